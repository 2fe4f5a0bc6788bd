"""Satisfaction survey campaigns, reached as ``store.surveys`` (:class:`Surveys`).

A supervisor defines a campaign (period, population filters, sample size or share,
channel, questions), previews the sample per agent, and launches it: one write holds the
``survey.launched`` event (the sample, drawn reproducibly from the campaign's seed) and a
``satisfaction_survey`` callback per sampled customer planned by
``store.callbacks.plan_schedule``, spread over agents and working days inside each
customer's contact window. Agents answer in the callback outcome form; the per-question
scores travel in the ``callback.attempted`` event (``answers``), the overall one as its
``score``, so the CSAT KPI counts them too. Results roll up per agent, team and business
with the quarter-over-quarter trend. Rules: :mod:`csdesk.domain.survey`,
:mod:`csdesk.domain.survey_sampling`, :mod:`csdesk.domain.survey_plan`,
:mod:`csdesk.domain.survey_results`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from csdesk.data import survey_queries as q
from csdesk.data.callback_queries import checked_choice, prefs_from_row
from csdesk.data.callback_views import OutcomeResult
from csdesk.data.survey_views import AgentSample, CampaignView, SamplePreview, SurveyResults
from csdesk.domain.callback_rules import Channel, nearest_allowed
from csdesk.domain.errors import Conflict, NotFound, ValidationError
from csdesk.domain.roles import Permission
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.survey import (
    DEFAULT_QUESTIONS,
    NAME_LIMIT,
    QUESTION_LIMIT,
    CampaignDefinition,
    CampaignStatus,
    check_definition,
    check_launch,
    check_score,
    sample_target,
)
from csdesk.domain.survey_plan import plan_calls
from csdesk.domain.survey_results import TARGET_FLOOR, TARGET_GOAL, csat, csat_by, question_means, trend
from csdesk.domain.survey_sampling import Served, one_per_customer, per_agent, stratified_sample
from csdesk.domain.tickets import Business, Kind
from csdesk.domain.uuid7 import uuid7
from csdesk.domain.when import today_local

if TYPE_CHECKING:
    from csdesk.data.store import Store

Item = tuple[str, str, str, dict[str, Any]]
REASON_LIMIT = 500
CALLER_ROLES = ("agent", "specialist")
#: Campaigns whose answers count in the trend.
REPORTED = (CampaignStatus.LAUNCHED, CampaignStatus.CLOSED)


def _day(value: date | str, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(sanitize_line(str(value), 32).strip())
    except ValueError:
        raise ValidationError(field, f"Give the {field.replace('_', ' ')} as a date, YYYY-MM-DD.") from None


def _choices(values: Sequence[str], enum: type, field: str) -> tuple[str, ...]:
    return tuple(sorted({checked_choice(sanitize_line(v, 40).strip(), enum, field) for v in values if v.strip()}))


def seed_of(campaign_id: str) -> int:
    """The sampling seed recorded with a new campaign (from its id: unpredictable, reproducible)."""
    return int(hashlib.sha256(campaign_id.encode()).hexdigest()[:8], 16)


class Surveys:
    """Survey campaign use cases on one store (``store.surveys``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------- defining
    def definition(
        self,
        *,
        name: str,
        start: date | str,
        end: date | str,
        questions: Sequence[str] | None = None,
        sample_size: int | None = None,
        sample_share: float | None = None,
        channel: str = "phone",
        kinds: Sequence[str] = (),
        businesses: Sequence[str] = (),
        agents: Sequence[str] = (),
        fatigue_days: int = 90,
        call_days: int = 10,
        seed: int = 0,
    ) -> CampaignDefinition:
        """A checked definition from typed values (sanitised); :class:`ValidationError` names the rule."""
        asked = [sanitize_line(text, QUESTION_LIMIT).strip() for text in (questions or DEFAULT_QUESTIONS)]
        for agent in agents:
            self.store.get_user(agent)  # NotFound names an unknown agent
        definition = CampaignDefinition(
            name=sanitize_line(name or "", NAME_LIMIT).strip(),
            start=_day(start, "period_start"),
            end=_day(end, "period_end"),
            questions=tuple(asked),
            sample_size=sample_size,
            sample_share=sample_share,
            channel=checked_choice(channel, Channel, "channel"),
            kinds=_choices(kinds, Kind, "kind"),
            businesses=_choices(businesses, Business, "business"),
            agents=tuple(sorted(set(agents))),
            fatigue_days=fatigue_days,
            call_days=call_days,
            seed=seed,
        )
        return check_definition(definition, today_local(self.store.clock.now()))

    def define(self, actor_id: str, **options: Any) -> CampaignView:
        """Record a campaign (supervisors); takes the keywords of :meth:`definition` but ``seed``."""
        self.store._require(actor_id, Permission.SURVEY_MANAGE)
        campaign_id = uuid7(self.store.clock)
        found = self.definition(**options, seed=seed_of(campaign_id))
        payload = {
            "name": found.name, "period_start": found.start.isoformat(), "period_end": found.end.isoformat(),
            "kinds": list(found.kinds), "businesses": list(found.businesses), "agents": list(found.agents),
            "sample_size": found.sample_size, "sample_share": found.sample_share, "channel": found.channel,
            "questions": list(found.questions), "seed": found.seed, "fatigue_days": found.fatigue_days,
            "call_days": found.call_days,
        }
        self.store._write(actor_id, [("survey", campaign_id, "survey.campaign_defined", payload)])
        return self.get(actor_id, campaign_id)

    # ------------------------------------------------------------- reading
    def list(self, actor_id: str) -> list[CampaignView]:
        """Every campaign, newest period first."""
        self.store._require(actor_id, Permission.SURVEY_READ)
        with self.store._read() as conn:
            return q.campaigns(conn)

    def get(self, actor_id: str, campaign_id: str) -> CampaignView:
        """One campaign; :class:`NotFound` when there is none."""
        self.store._require(actor_id, Permission.SURVEY_READ)
        with self.store._read() as conn:
            found = q.campaigns(conn, campaign_id)
        if not found:
            raise NotFound(f"There is no survey campaign {campaign_id!r}.")
        return found[0]

    def find(self, actor_id: str, key: str) -> CampaignView:
        """A campaign by id, or by its exact name or the start of its id (CLI)."""
        self.store._require(actor_id, Permission.SURVEY_READ)
        key = sanitize_line(key, 120).strip()
        matches = [c for c in self.list(actor_id) if key in (c.id, c.name) or (len(key) >= 6 and c.id.startswith(key))]
        if len(matches) != 1:
            message = f"{key!r} names several campaigns." if matches else f"There is no survey campaign {key!r}."
            raise NotFound(message)
        return matches[0]

    # ------------------------------------------------------------- the sample
    def _eligible(self, definition: CampaignDefinition) -> tuple[list[Served], int, int]:
        """(eligible population, excluded do-not-contact, excluded recently surveyed) at now."""
        since = self.store.clock.now() - timedelta(days=definition.fatigue_days)
        with self.store._read() as conn:
            served = one_per_customer(q.served_tickets(
                conn, definition.start, definition.end, definition.kinds, definition.businesses, definition.agents,
            ))
            blocked = q.do_not_contact(conn, (m.customer_id for m in served))
            recent = q.recently_surveyed(conn, since) if definition.fatigue_days else set()
        eligible = [m for m in served if m.customer_id not in blocked and m.customer_id not in recent]
        dnc = sum(1 for m in served if m.customer_id in blocked)
        return eligible, dnc, len(served) - len(eligible) - dnc

    def _target(self, definition: CampaignDefinition, population: int) -> int:
        filters = "; ".join(
            f"{label} {', '.join(values)}"
            for label, values in (("kinds", definition.kinds), ("businesses", definition.businesses),
                                  ("agents", definition.agents))
            if values
        )
        period = f"served {definition.start} to {definition.end}" + (f"; {filters}" if filters else "")
        return sample_target(population, definition.sample_size, definition.sample_share, period)

    def preview(self, actor_id: str, definition: CampaignDefinition) -> SamplePreview:
        """Population, exclusions and sample per agent a launch would draw now (nothing written)."""
        self.store._require(actor_id, Permission.SURVEY_MANAGE)
        eligible, dnc, recent = self._eligible(definition)
        sample = stratified_sample(eligible, self._target(definition, len(eligible)), definition.seed)
        drawn = per_agent(sample)
        names = {u.id: u.name for u in self.store.list_users()}
        agents = tuple(
            AgentSample(agent, names.get(agent, agent), served, drawn.get(agent, 0))
            for agent, served in per_agent(eligible).items()
        )
        return SamplePreview(len(eligible), len(sample), dnc, recent, agents)

    def _definition_of(self, campaign: CampaignView) -> CampaignDefinition:
        return CampaignDefinition(
            name=campaign.name, start=campaign.period_start, end=campaign.period_end, questions=campaign.questions,
            sample_size=campaign.sample_size, sample_share=campaign.sample_share, channel=campaign.channel,
            kinds=campaign.kinds, businesses=campaign.businesses, agents=campaign.agents,
            fatigue_days=campaign.fatigue_days, call_days=campaign.call_days, seed=campaign.seed,
        )

    def preview_campaign(self, actor_id: str, campaign_id: str) -> SamplePreview:
        """:meth:`preview` of a recorded campaign, with its own seed."""
        return self.preview(actor_id, self._definition_of(self.get(actor_id, campaign_id)))

    # ------------------------------------------------------------- launching
    def _callers(self) -> list[str]:
        return [u.id for u in self.store.list_users() if u.active and u.role in CALLER_ROLES]

    def launch(self, actor_id: str, campaign_id: str) -> CampaignView:
        """Draw the sample and schedule every survey callback, in ONE write (supervisors)."""
        self.store._require(actor_id, Permission.SURVEY_MANAGE)
        campaign = self.get(actor_id, campaign_id)
        if campaign.status != CampaignStatus.DEFINED:
            raise Conflict(f"The campaign is already {campaign.status}; a campaign is launched once.")
        definition = self._definition_of(campaign)
        now = self.store.clock.now()
        check_launch(definition, today_local(now))
        eligible, dnc, recent = self._eligible(definition)
        sample = stratified_sample(eligible, self._target(definition, len(eligible)), definition.seed)
        calls = plan_calls([m.agent_id for m in sample], self._callers(), today_local(now), definition.call_days)
        members: list[dict[str, Any]] = []
        items: list[Item] = []
        with self.store._read() as conn:
            prefs = {m.customer_id: prefs_from_row(self.store.callbacks._pref_row(conn, m.customer_id)) for m in sample}
        for member, call in zip(sample, calls, strict=True):
            due = nearest_allowed(max(call.due, now + timedelta(minutes=5)), prefs[member.customer_id].window)
            if due is None:
                continue
            item = self.store.callbacks.plan_schedule(
                actor_id, purpose=q.SURVEY_PURPOSE, due=due, customer_id=member.customer_id,
                ticket_id=member.ticket_id or None, channel=definition.channel, assignee_id=call.caller_id,
                note=f"Satisfaction survey: {campaign.name}",
            )
            items.append(item)
            members.append({
                "customer_id": member.customer_id, "agent_id": member.agent_id, "team": member.team,
                "business": member.business, "ticket_id": member.ticket_id, "callback_id": item[1],
                "caller_id": call.caller_id,
            })
        excluded = {"do_not_contact": dnc, "recently_surveyed": recent, "no_allowed_time": len(sample) - len(members)}
        launched = ("survey", campaign_id, "survey.launched",
                    {"population": len(eligible), "members": members, "excluded": excluded})
        self.store._write(actor_id, [launched, *items])
        return self.get(actor_id, campaign_id)

    # ------------------------------------------------------------- finishing
    def close(self, actor_id: str, campaign_id: str, reason: str = "") -> CampaignView:
        """Close a launched campaign: its results are final; calls still to make are cancelled."""
        return self._finish(actor_id, campaign_id, "survey.closed", reason or "Campaign closed.")

    def cancel(self, actor_id: str, campaign_id: str, reason: str) -> CampaignView:
        """Cancel a campaign (with a reason); calls still to make are cancelled."""
        if not sanitize_line(reason or "", REASON_LIMIT).strip():
            raise ValidationError("reason", "Say why the campaign is cancelled.")
        return self._finish(actor_id, campaign_id, "survey.cancelled", reason)

    def _finish(self, actor_id: str, campaign_id: str, kind: str, reason: str) -> CampaignView:
        self.store._require(actor_id, Permission.SURVEY_MANAGE)
        campaign = self.get(actor_id, campaign_id)
        if campaign.status not in (CampaignStatus.DEFINED, CampaignStatus.LAUNCHED):
            raise Conflict(f"The campaign is already {campaign.status}.")
        if kind == "survey.closed" and campaign.status != CampaignStatus.LAUNCHED:
            raise Conflict("Only a launched campaign is closed; cancel one that was never launched.")
        reason = sanitize_line(reason, REASON_LIMIT).strip()
        with self.store._read() as conn:
            still_open = q.open_callbacks(conn, campaign_id)
        items: list[Item] = [("survey", campaign_id, kind, {"reason": reason})]
        items += [("callback", cb, "callback.cancelled", {"reason": f"Survey campaign ended: {reason}"})
                  for cb in still_open]
        self.store._write(actor_id, items)
        return self.get(actor_id, campaign_id)

    # ------------------------------------------------------------- answers
    def for_callback(self, actor_id: str, callback_id: str) -> CampaignView | None:
        """The campaign a survey callback belongs to (its questions), or None."""
        self.store._require(actor_id, Permission.CALLBACK_READ)
        with self.store._read() as conn:
            campaign_id = q.campaign_of_callback(conn, callback_id)
            found = q.campaigns(conn, campaign_id) if campaign_id else []
        return found[0] if found else None

    def record_answers(
        self, actor_id: str, callback_id: str, scores: Sequence[int], comment: str = ""
    ) -> OutcomeResult:
        """Record a reached survey call: a 1–5 score per question of its campaign, and a comment."""
        campaign = self.for_callback(actor_id, callback_id)
        if campaign is None:
            raise NotFound("This callback is not part of a survey campaign.")
        if len(scores) != len(campaign.questions):
            raise ValidationError(
                "answers", f"Answer each of the {len(campaign.questions)} questions with a score from 1 to 5."
            )
        checked = [check_score(s, question) for s, question in zip(scores, campaign.questions, strict=True)]
        comment = sanitize_text(comment or "", max_chars=2_000).strip()
        return self.store.callbacks.record_outcome(
            actor_id, callback_id, "reached", score=checked[0], comment=comment, answers=checked,
        )

    # ------------------------------------------------------------- results
    def results(self, actor_id: str, campaign_id: str) -> SurveyResults:
        """CSAT overall, per agent (who served), team and business; question means; trend per quarter."""
        self.store._require(actor_id, Permission.SURVEY_READ)
        campaign = self.get(actor_id, campaign_id)
        with self.store._read() as conn:
            mine = q.responses(conn, campaign_id)
            history = [
                (c.period_start, mine if c.id == campaign_id else q.responses(conn, c.id))
                for c in q.campaigns(conn)
                if c.status in REPORTED and c.period_start <= campaign.period_start
            ]
        return SurveyResults(
            campaign=campaign,
            overall=csat(campaign.name, mine),
            by_agent=tuple(csat_by(mine, "agent_id")),
            by_team=tuple(csat_by(mine, "team")),
            by_business=tuple(csat_by(mine, "business")),
            question_means=tuple(question_means(mine, len(campaign.questions))),
            trend=tuple(trend(history)),
            target_floor=TARGET_FLOOR,
            target_goal=TARGET_GOAL,
            agent_names={u.id: u.name for u in self.store.list_users()},
        )
