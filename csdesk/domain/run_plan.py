"""The timetable of a scenario run: every contact and customer line, with when it is due.

A run is planned from the scenario, the run's seed and its start time, and is the same
every time it is planned again: the simulator replans on each tick and plays the steps
that have come due and were not played yet, so the timetable does not depend on how
often it ticks, on pauses or on the clock's speed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from csdesk.domain.arrivals import arrival_times, constant_rate, profile_rate
from csdesk.domain.scenario import Arrival, Scenario, Text, Wave


@dataclass(frozen=True, slots=True)
class Step:
    """One contact to create: ``key`` names it in the run for good (``a0.3``: arrival 0, copy 3; ``w1.7``)."""

    key: str
    at: datetime
    arrival: Arrival | None = None
    wave: Wave | None = None

    @property
    def primary(self) -> bool:
        """The first copy of a scripted arrival: the contact the trainee is timed on."""
        return self.arrival is not None and self.key.endswith(".0")

    @property
    def subject(self) -> Text:
        """What the contact is about."""
        if self.arrival is not None:
            return self.arrival.subject
        assert self.wave is not None
        return self.wave.subject


def plan_run(scenario: Scenario, seed: int, started_at: datetime) -> list[Step]:
    """Every contact of the run in time order (scripted arrivals, then Poisson waves)."""
    steps: list[Step] = []
    for index, arrival in enumerate(scenario.arrivals):
        gap = arrival.spread / max(arrival.count - 1, 1)
        for copy in range(arrival.count):
            steps.append(Step(f"a{index}.{copy}", started_at + arrival.at + gap * copy, arrival=arrival))
    rng = random.Random(seed)
    for index, wave in enumerate(scenario.waves):
        start = started_at + wave.start
        rate = profile_rate(wave.per_hour) if wave.profile else constant_rate(wave.per_hour)
        times = arrival_times(rng, start, start + timedelta(minutes=wave.minutes), rate)
        steps.extend(Step(f"w{index}.{n}", at, wave=wave) for n, at in enumerate(times))
    steps.sort(key=lambda step: step.at)
    return steps


def due_lines(step_at: datetime, arrival: Arrival | None, now: datetime) -> list[int]:
    """Indexes of the arrival's customer lines due by ``now`` for a contact created at ``step_at``."""
    if arrival is None:
        return []
    return [i for i, line in enumerate(arrival.lines) if step_at + line.after <= now]
