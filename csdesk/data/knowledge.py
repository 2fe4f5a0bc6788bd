"""Knowledge-base use cases: index the Markdown articles, search, read, use, report, edit.

Reached as ``store.kb`` (:class:`KnowledgeBase`). Articles come from ``knowledge_base/``
(``<language>/<id>.md``, YAML front matter): indexing is incremental by content hash and a
changed file becomes a new version (old ones are kept). Versions written in the in-app
editor are events (``kb.article_edited``) applied by the reducer through
:func:`apply_version`. Search is SQLite FTS5 (``kb_fts``) over text segmented by
:mod:`csdesk.domain.kb_text`, ranked by bm25 with title and tags weighted above the body.

Audience: an article for ``team_lead`` or ``supervisor`` is never returned to a role that
may not read it (:data:`csdesk.domain.roles.KB_AUDIENCE`); the filter is part of every
query here, not of the UI.

Indexing from files is not an event (the files are the source and every desk ships them)
and needs no permission: anyone who can write the files controls the content anyway.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import threading
import tomllib
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, func, select, text, update

from csdesk.data.api import KbArticle, KbGap, KbHit, KbReindexReport, KbUse, KbVersion, StoreMode
from csdesk.data.engine import WRITE_OPTION
from csdesk.data.kb_call import call_facts
from csdesk.data.kb_tables import KbArticleRow, KbGapRow, KbVersionRow
from csdesk.domain import kb_text, kb_values
from csdesk.domain.call_values import CallFacts, call_values
from csdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from csdesk.domain.roles import KB_AUDIENCE, Permission, Role, can, kb_audiences
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.uuid7 import uuid7
from csdesk.domain.when import today_local

if TYPE_CHECKING:
    from csdesk.data.store import Store

ARTICLE: Table = KbArticleRow.__table__  # type: ignore[assignment]
VERSION: Table = KbVersionRow.__table__  # type: ignore[assignment]
GAP: Table = KbGapRow.__table__  # type: ignore[assignment]

LANGUAGES = ("zh-CN", "en")
SCRIPT_HEADING = {"zh-CN": "话术", "en": "Script"}
#: bm25 weights of the kb_fts columns: title, tags, body.
WEIGHTS = (10.0, 5.0, 1.0)
TITLE_LIMIT = 200
BODY_LIMIT = 100_000
TAG_LIMIT = 40
GAP_LIMIT = 5_000
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_FRONT = re.compile(r"^---\n(.*?)\n---\n?(.*)$", re.S)


def default_kb_dir() -> Path:
    """The shipped articles: inside the installed package, else the source tree's ``knowledge_base/``."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "knowledge_base", package.parent / "knowledge_base"):
        if candidate.is_dir():
            return candidate
    return package.parent / "knowledge_base"


def load_synonyms(directory: Path) -> dict[str, dict[str, list[str]]]:
    """``{language: {canonical: [variants]}}`` from ``synonyms.toml`` beside the articles (empty if none)."""
    path = directory / "synonyms.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {lang: kb_text.parse_synonyms(table) for lang, table in data.items() if isinstance(table, dict)}


def local_values_file() -> Path:
    """Where a firm states its own figures for the articles' ``{{placeholders}}``."""
    from platformdirs import user_config_path

    return user_config_path("csdesk") / "kb_values.toml"


def parse_article(path: Path) -> dict[str, Any]:
    """Front matter and body of one article file; raises :class:`ValidationError` with a sentence."""
    import yaml

    raw = path.read_text(encoding="utf-8")
    match = _FRONT.match(raw.replace("\r\n", "\n"))
    if not match:
        raise ValidationError("file", f"{path.name} has no YAML front matter.")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ValidationError("file", f"{path.name}: the front matter is not valid YAML ({exc}).") from None
    if not isinstance(meta, dict):
        raise ValidationError("file", f"{path.name}: the front matter is not a mapping.")
    article_id = str(meta.get("id") or path.stem)
    if not _ID.match(article_id):
        raise ValidationError("id", f"{path.name}: the id {article_id!r} is not a lower-case slug.")
    audience = str(meta.get("audience") or "agent")
    if audience not in KB_AUDIENCE:
        raise ValidationError("audience", f"{path.name}: unknown audience {audience!r}.")
    updated = meta.get("updated")
    if isinstance(updated, date) and not isinstance(updated, datetime):
        updated_at = datetime(updated.year, updated.month, updated.day, tzinfo=UTC)
    elif isinstance(updated, datetime):
        updated_at = updated if updated.tzinfo else updated.replace(tzinfo=UTC)
    else:
        updated_at = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    def line(value: Any, limit: int = 100) -> str:  # file text is untrusted like any other input
        return sanitize_line(str(value), max_chars=limit).strip()

    tags, related = meta.get("tags") or [], meta.get("related") or []
    if not isinstance(tags, list) or not isinstance(related, list):
        raise ValidationError("tags", f"{path.name}: tags and related must be lists.")
    return {
        "id": article_id,
        "title": line(meta.get("title") or article_id, TITLE_LIMIT),
        "business": line(meta.get("business") or "general"),
        "audience": audience,
        "tags": [line(t) for t in tags][:TAG_LIMIT],
        "related": [line(t) for t in related][:TAG_LIMIT],
        "body": sanitize_text(match.group(2), max_chars=BODY_LIMIT).strip() + "\n",
        "updated_at": updated_at,
        "content_hash": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
    }


def content_hash(title: str, tags: Iterable[str], body: str) -> str:
    """Hash of an edited version's content."""
    blob = json.dumps([title, list(tags), body], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------- low-level writes (also used by the reducer)
def _fts_put(conn: Connection, pk: int, title: str, tags: list[str], article_id: str, body: str) -> None:
    tag_text = " ".join([*tags, article_id.replace("-", " ")])
    conn.execute(
        text("INSERT INTO kb_fts(rowid, title, tags, body) VALUES (:pk, :title, :tags, :body)"),
        {
            "pk": pk,
            "title": kb_text.index_text(title),
            "tags": kb_text.index_text(tag_text),
            "body": kb_text.index_text(body),
        },
    )


def _fts_drop(conn: Connection, pk: int) -> None:
    conn.execute(text("DELETE FROM kb_fts WHERE rowid = :pk"), {"pk": pk})


def apply_version(conn: Connection, values: dict[str, Any], origin: dict[str, Any]) -> int | None:
    """Insert one version of an article and make the newest version current; return its number.

    ``values``: id, language, version (None = next), title, business, audience, tags,
    related, body, content_hash, source_path, updated_at. ``origin``: kb_version's origin,
    author_id, event_id, base_version, comment, created_at. Applying the same event twice
    changes nothing (its event id is already recorded); a version number already taken by
    different content (two desks edited at once) moves to the next free number.
    """
    key = (ARTICLE.c.id == values["id"], ARTICLE.c.language == values["language"])
    if origin.get("event_id"):
        done = conn.execute(select(VERSION.c.version).where(VERSION.c.event_id == origin["event_id"])).first()
        if done:
            return None
    newest = conn.execute(select(func.max(ARTICLE.c.version)).where(*key)).scalar() or 0
    version = values.get("version") or newest + 1
    taken = conn.execute(select(ARTICLE.c.content_hash).where(*key, ARTICLE.c.version == version)).first()
    if taken is not None:
        if taken.content_hash == values["content_hash"]:
            return None
        version = newest + 1
    current = conn.execute(select(ARTICLE.c.pk, ARTICLE.c.version).where(*key, ARTICLE.c.current)).first()
    becomes_current = current is None or version > current.version
    row = {
        **{k: values[k] for k in ("id", "language", "title", "business", "audience", "body", "content_hash")},
        "version": version,
        "tags": json.dumps(values["tags"], ensure_ascii=False),
        "related": json.dumps(values.get("related") or [], ensure_ascii=False),
        "source_path": values.get("source_path"),
        "updated_at": values["updated_at"],
        "current": becomes_current,
    }
    if becomes_current and current is not None:
        conn.execute(update(ARTICLE).where(ARTICLE.c.pk == current.pk).values(current=False))
        _fts_drop(conn, current.pk)
    pk = conn.execute(ARTICLE.insert().values(**row)).inserted_primary_key[0]
    if becomes_current:
        _fts_put(conn, pk, values["title"], values["tags"], values["id"], values["body"])
    conn.execute(
        VERSION.insert().values(
            article_id=values["id"],
            language=values["language"],
            version=version,
            origin=origin.get("origin", "file"),
            author_id=origin.get("author_id"),
            event_id=origin.get("event_id"),
            base_version=origin.get("base_version"),
            comment=origin.get("comment", ""),
            content_hash=values["content_hash"],
            created_at=origin["created_at"],
        )
    )
    return version


def _article(row: Any) -> KbArticle:
    body = row.body
    return KbArticle(
        id=row.id,
        language=row.language,
        version=row.version,
        title=row.title,
        business=row.business,
        audience=row.audience,
        tags=tuple(json.loads(row.tags)),
        related=tuple(json.loads(row.related)),
        body=body,
        updated_at=row.updated_at,
        current=bool(row.current),
        script=kb_text.script_section(body, SCRIPT_HEADING.get(row.language, "Script")),
    )


def _gap(row: Any) -> KbGap:
    return KbGap(
        id=row.id,
        ticket_id=row.ticket_id,
        article_id=row.article_id,
        language=row.language,
        query=row.query,
        text=row.text,
        status=row.status,
        reported_by=row.reported_by,
        reported_at=row.reported_at,
    )


class KnowledgeBase:
    """Knowledge-base use cases on one store (``store.kb``)."""

    def __init__(self, store: Store, directory: Path | None = None) -> None:
        self.store = store
        self.directory = directory or default_kb_dir()
        self._synonyms: dict[str, dict[str, list[str]]] | None = None
        self._values: kb_values.Values | None = None
        #: why the firm's values file was not used (one sentence), if it was not
        self.values_problem: str | None = None
        self._index_lock = threading.Lock()
        self._indexed = False

    # ------------------------------------------------------------- plumbing
    @property
    def synonyms(self) -> dict[str, dict[str, list[str]]]:
        """Query synonyms per language, read once from ``synonyms.toml``."""
        if self._synonyms is None:
            self._synonyms = load_synonyms(self.directory)
        return self._synonyms

    @property
    def values_file(self) -> Path:
        """The file the values come from: the firm's ``kb_values.toml``, or the demo firm's in demo mode."""
        if self.store.mode is StoreMode.DEMO:
            return self.directory / "values.demo.toml"
        return local_values_file()

    @property
    def values(self) -> kb_values.Values:
        """The firm's values for the placeholders, read once: ``kb_values.toml`` (the demo firm's in demo mode)."""
        if self._values is None:
            path = self.values_file
            self._values = {}
            if path.is_file():
                try:
                    self._values = kb_values.parse_values(path.read_text(encoding="utf-8"), str(path))
                except ValidationError as exc:
                    self.values_problem = exc.message
        return self._values

    def fill_values(
        self, text: str, language: str, mark_missing: str = "{{%s}}", *, call: CallFacts | None = None
    ) -> kb_values.Filled:
        """``text`` with the firm's values in ``language`` put in; placeholders without one are marked.

        With ``call``, the call's own values (agent number, ticket number, dates) win over the firm's.
        """
        values = self.values if call is None else {**self.values, **call_values(call)}
        return kb_values.fill(text, values, language, mark_missing=mark_missing)

    def fill_for_call(
        self, text: str, language: str, actor_id: str, ticket_id: str | None, mark_missing: str = "{{%s}}"
    ) -> kb_values.Filled:
        """:meth:`fill_values` for a call by ``actor_id`` about ``ticket_id`` (or no ticket)."""
        with self.store._read() as conn:
            facts = call_facts(conn, actor_id, ticket_id, today_local(self.store.clock.now()))
        return self.fill_values(text, language, mark_missing, call=facts)

    def value_table(self) -> list[tuple[str, dict[str, str], int]]:
        """Every placeholder in the current articles: (name, values by language, articles using it)."""
        self.ensure_indexed()
        with self.store._read() as conn:
            bodies = conn.execute(select(ARTICLE.c.id, ARTICLE.c.body).where(ARTICLE.c.current)).all()
        used: dict[str, set[str]] = {}
        for article_id, body in bodies:
            for name in kb_values.placeholders(body):
                used.setdefault(name, set()).add(article_id)
        values = self.values
        return [(name, dict(values.get(name, {})), len(ids)) for name, ids in sorted(used.items())]

    def _synonyms_for(self, language: str | None) -> dict[str, list[str]]:
        if language is not None:
            return self.synonyms.get(language, {})
        merged: dict[str, list[str]] = {}
        for table in self.synonyms.values():
            merged.update(table)
        return merged

    def _audiences(self, actor_id: str | None) -> tuple[str, ...]:
        """Audiences ``actor_id`` may read; ``None`` is an anonymous agent-level reader (the CLI with no user)."""
        if actor_id is None:
            return kb_audiences(Role.AGENT)
        return kb_audiences(self.store._require(actor_id, Permission.KB_READ).role)

    def _check_audience(self, actor_id: str | None, audience: str) -> None:
        needed = KB_AUDIENCE.get(audience, Permission.KB_READ_SUPERVISOR)
        if actor_id is None:
            if not can(Role.AGENT, needed):
                raise PermissionDenied(f"Reading this article needs a signed-in user who may: {needed.value}.")
            return
        self.store._require(actor_id, needed)

    @staticmethod
    def _language(language: str | None) -> str | None:
        if language in (None, "", "all"):
            return None
        if language not in LANGUAGES:
            raise ValidationError("language", f"Unknown language {language!r}; use zh-CN or en.")
        return language

    def is_empty(self) -> bool:
        """True when no article has been indexed yet."""
        with self.store._read() as conn:
            return conn.execute(select(ARTICLE.c.pk).limit(1)).first() is None

    def ensure_indexed(self, progress: Callable[[int, int], None] | None = None) -> KbReindexReport | None:
        """Index the shipped articles if the store has none (first open); once per process."""
        if self._indexed:
            return None
        with self._index_lock:
            if self._indexed:
                return None
            report = self.reindex(progress=progress) if self.is_empty() else None
            self._indexed = True
            return report

    # ------------------------------------------------------------- indexing
    def reindex(
        self, path: Path | None = None, progress: Callable[[int, int], None] | None = None
    ) -> KbReindexReport:
        """Index ``path`` (default: the shipped articles): new and changed files become new versions.

        ``progress(done, total)`` is called after each file. A broken file is reported
        and skipped; it never stops the others.
        """
        directory = Path(path) if path else self.directory
        if not directory.is_dir():
            raise NotFound(f"There is no knowledge-base folder at {directory}.")
        files = sorted(p for lang in LANGUAGES for p in (directory / lang).glob("*.md"))
        if path:
            self.directory = directory
            self._synonyms = None
        added = changed = unchanged = 0
        errors: list[str] = []
        with self.store._read() as conn:
            known: dict[tuple[str, str], str] = {}
            rows = conn.execute(
                select(VERSION.c.article_id, VERSION.c.language, VERSION.c.content_hash)
                .where(VERSION.c.origin == "file")
                .order_by(VERSION.c.version)
            )
            for r in rows:
                known[(r.article_id, r.language)] = r.content_hash
        pending: list[dict[str, Any]] = []
        for done, file in enumerate(files, 1):
            language = file.parent.name
            try:
                values = parse_article(file)
            except (ValidationError, OSError, UnicodeDecodeError) as exc:
                message = getattr(exc, "message", None) or str(exc)
                errors.append(sanitize_line(f"{language}/{file.name}: {message}", max_chars=None)[:500])
            else:
                previous = known.get((values["id"], language))
                if previous == values["content_hash"]:
                    unchanged += 1
                else:
                    values.update(language=language, version=None, source_path=f"{language}/{file.name}")
                    pending.append(values)
                    if previous is None:
                        added += 1
                    else:
                        changed += 1
            if progress:
                progress(done, len(files))
        if pending:
            now = self.store.clock.now()
            with self.store._lock, self.store._engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
                with conn.begin():
                    for values in pending:
                        apply_version(conn, values, {"origin": "file", "created_at": now})
        return KbReindexReport(len(files), added, changed, unchanged, tuple(errors))

    # ------------------------------------------------------------- reading
    def search(self, actor_id: str | None, query: str, language: str | None = None, limit: int = 10) -> list[KbHit]:
        """Articles matching ``query``, best first. Any text is a safe query (never FTS syntax)."""
        audiences = self._audiences(actor_id)
        language = self._language(language)
        self.ensure_indexed()
        limit = max(1, min(int(limit), 200))
        cleaned = sanitize_text((query or "")[: kb_text.MAX_QUERY_CHARS], max_chars=kb_text.MAX_QUERY_CHARS)
        prepared = kb_text.build_query(cleaned, self._synonyms_for(language))
        if prepared.empty or not audiences:
            return []
        sql, params = self.search_sql(prepared.match, language, audiences, limit)
        with self.store._read() as conn:
            rows = conn.execute(text(sql), params).all()
        hits = []
        for r in rows:
            snippet = kb_text.make_snippet(self.fill_values(r.body, r.language).text, prepared.terms)
            hits.append(
                KbHit(
                    id=r.id,
                    language=r.language,
                    version=r.version,
                    title=r.title,
                    business=r.business,
                    audience=r.audience,
                    score=round(-float(r.rank), 4),
                    snippet=snippet.text,
                    spans=snippet.spans,
                    title_spans=tuple(kb_text.find_spans(r.title, prepared.terms)),
                )
            )
        return hits

    @staticmethod
    def search_sql(
        match: str, language: str | None, audiences: Iterable[str], limit: int
    ) -> tuple[str, dict[str, Any]]:
        """The one FTS5 query behind :meth:`search` (the bench runs it raw for comparison)."""
        audiences = tuple(audiences)
        params: dict[str, Any] = {"match": match, "limit": limit}
        marks = []
        for i, audience in enumerate(audiences):
            params[f"aud{i}"] = audience
            marks.append(f":aud{i}")
        where = f"kb_fts MATCH :match AND a.current = 1 AND a.audience IN ({', '.join(marks)})"
        if language:
            where += " AND a.language = :language"
            params["language"] = language
        weights = ", ".join(str(w) for w in WEIGHTS)
        sql = (
            "SELECT a.id, a.language, a.version, a.title, a.business, a.audience, a.body, "
            f"bm25(kb_fts, {weights}) AS rank "
            "FROM kb_fts JOIN kb_article a ON a.pk = kb_fts.rowid "
            f"WHERE {where} ORDER BY rank LIMIT :limit"
        )
        return sql, params

    def _row(self, conn: Connection, article_id: str, language: str, version: int | None) -> Any:
        where = [ARTICLE.c.id == article_id, ARTICLE.c.language == language]
        where.append(ARTICLE.c.current if version is None else ARTICLE.c.version == version)
        return conn.execute(select(ARTICLE).where(*where)).first()

    def get(
        self, actor_id: str | None, article_id: str, language: str = "zh-CN", version: int | None = None
    ) -> KbArticle:
        """One article (its current version unless ``version``); refused above the actor's level."""
        self._audiences(actor_id)
        language = self._language(language) or "zh-CN"
        self.ensure_indexed()
        with self.store._read() as conn:
            row = self._row(conn, article_id, language, version)
        if row is None:
            suffix = f" version {version}" if version is not None else ""
            raise NotFound(f"There is no knowledge-base article {article_id!r} in {language}{suffix}.")
        self._check_audience(actor_id, row.audience)
        return _article(row)

    def history(self, actor_id: str | None, article_id: str, language: str) -> list[KbVersion]:
        """Every version of an article, newest first."""
        current = self.get(actor_id, article_id, language)
        with self.store._read() as conn:
            rows = conn.execute(
                select(VERSION)
                .where(VERSION.c.article_id == article_id, VERSION.c.language == language)
                .order_by(VERSION.c.version.desc())
            ).all()
        return [
            KbVersion(r.version, r.origin, r.author_id, r.created_at, r.comment, r.content_hash,
                      r.version == current.version)
            for r in rows
        ]

    def diff(self, actor_id: str | None, article_id: str, language: str, old: int, new: int | None = None) -> str:
        """Unified diff (title, tags, body) from version ``old`` to ``new`` (default: current)."""
        before = self.get(actor_id, article_id, language, old)
        after = self.get(actor_id, article_id, language, new)

        def lines(a: KbArticle) -> list[str]:
            return [f"# {a.title}\n", f"tags: {', '.join(a.tags)}\n", "\n", *a.body.splitlines(keepends=True)]

        return "".join(
            difflib.unified_diff(lines(before), lines(after), f"v{before.version}", f"v{after.version}")
        )

    # ------------------------------------------------------------- changing
    def use_in_ticket(self, actor_id: str, ticket_id: str, article_id: str, language: str) -> KbUse:
        """Answer a ticket from an article: its script becomes a note; the use is recorded."""
        self.store._require(actor_id, Permission.TICKET_NOTE)
        article = self.get(actor_id, article_id, language)
        with self.store._read() as conn:
            self.store._ticket(conn, ticket_id)
        script = sanitize_text(article.script, max_chars=20_000).strip()
        filled = self.fill_for_call(script, article.language, actor_id, ticket_id)
        note = f"[{article.title} · {article.id} v{article.version}]\n{filled.text}"
        note_id = uuid7(self.store.clock)
        payload = {"article_id": article.id, "language": article.language, "version": article.version,
                   "title": article.title}
        self.store._write(
            actor_id,
            [
                ("ticket", ticket_id, "ticket.note_added", {"note_id": note_id, "body": note}),
                ("ticket", ticket_id, "ticket.kb_used", payload),
            ],
        )
        return KbUse(ticket_id, article.id, article.language, article.version, note_id, note, filled.missing)

    def report_gap(
        self,
        actor_id: str,
        ticket_id: str | None,
        text_: str,
        *,
        article_id: str | None = None,
        language: str | None = None,
        query: str = "",
    ) -> KbGap:
        """Record a KB gap (no answer found) or a suggested change to ``article_id``."""
        self.store._require(actor_id, Permission.KB_GAP_REPORT)
        body = sanitize_text(text_ or "", max_chars=GAP_LIMIT).strip()
        if not body:
            raise ValidationError("text", "Describe the question the knowledge base did not answer.")
        language = self._language(language)
        if ticket_id:
            with self.store._read() as conn:
                self.store._ticket(conn, ticket_id)
        if article_id:
            self.get(actor_id, article_id, language or "zh-CN")
        gap_id = uuid7(self.store.clock)
        payload = {
            "ticket_id": ticket_id or None,
            "article_id": article_id,
            "language": language,
            "query": sanitize_line(query or "", max_chars=500).strip(),
            "text": body,
        }
        self.store._write(actor_id, [("kb_gap", gap_id, "kb.gap_reported", payload)])
        return self.gap(actor_id, gap_id)

    def gap(self, actor_id: str, gap_id: str) -> KbGap:
        """One gap report (its reporter or an editor)."""
        user = self.store._actor(actor_id)
        with self.store._read() as conn:
            row = conn.execute(select(GAP).where(GAP.c.id == gap_id)).first()
        if row is None:
            raise NotFound("That knowledge-base gap does not exist.")
        if row.reported_by != actor_id:
            self.store._require(user.id, Permission.KB_EDIT)
        return _gap(row)

    def list_gaps(self, actor_id: str, status: str | None = "open") -> list[KbGap]:
        """Gap reports for editors (team lead and up), newest first."""
        self.store._require(actor_id, Permission.KB_EDIT)
        stmt = select(GAP).order_by(GAP.c.reported_at.desc(), GAP.c.id.desc())
        if status:
            stmt = stmt.where(GAP.c.status == status)
        with self.store._read() as conn:
            return [_gap(r) for r in conn.execute(stmt)]

    def resolve_gap(self, actor_id: str, gap_id: str, note: str = "") -> KbGap:
        """Mark a gap handled (the article was added or revised)."""
        self.store._require(actor_id, Permission.KB_EDIT)
        self.gap(actor_id, gap_id)
        note = sanitize_text(note or "", max_chars=GAP_LIMIT).strip()
        self.store._write(actor_id, [("kb_gap", gap_id, "kb.gap_resolved", {"note": note})])
        return self.gap(actor_id, gap_id)

    def edit(
        self,
        actor_id: str,
        article_id: str,
        language: str,
        *,
        body: str | None = None,
        title: str | None = None,
        tags: Iterable[str] | None = None,
        comment: str = "",
    ) -> KbArticle:
        """Save a new version of an article (team lead and up); the old one stays in the history."""
        self.store._require(actor_id, Permission.KB_EDIT)
        current = self.get(actor_id, article_id, language)
        new_title = sanitize_line(title if title is not None else current.title, max_chars=TITLE_LIMIT).strip()
        new_body = sanitize_text(body if body is not None else current.body, max_chars=BODY_LIMIT).strip() + "\n"
        new_tags = [sanitize_line(t, max_chars=100).strip() for t in (tags if tags is not None else current.tags)]
        new_tags = list(dict.fromkeys(t for t in new_tags if t))[:TAG_LIMIT]
        if not new_title:
            raise ValidationError("title", "An article needs a title.")
        if not new_body.strip():
            raise ValidationError("body", "An article cannot be empty.")
        if (new_title, tuple(new_tags), new_body.strip()) == (current.title, current.tags, current.body.strip()):
            raise ValidationError("body", "Nothing was changed; no new version was saved.")
        payload = {
            "article_id": current.id,
            "language": current.language,
            "version": current.version + 1,
            "base_version": current.version,
            "title": new_title,
            "tags": new_tags,
            "body": new_body,
            "business": current.business,
            "audience": current.audience,
            "related": list(current.related),
            "content_hash": content_hash(new_title, new_tags, new_body),
            "comment": sanitize_line(comment or "", max_chars=500).strip(),
        }
        self.store._write(actor_id, [("kb_article", f"{current.id}:{current.language}", "kb.article_edited", payload)])
        return self.get(actor_id, article_id, language)


def apply_edit_event(conn: Connection, event_id: str, actor: str, at: datetime, data: dict[str, Any]) -> None:
    """The reducer's handler body for ``kb.article_edited``."""
    values = {
        "id": data["article_id"],
        "language": data["language"],
        "version": data.get("version"),
        "title": data["title"],
        "business": data.get("business", "general"),
        "audience": data.get("audience", "agent"),
        "tags": list(data.get("tags") or []),
        "related": list(data.get("related") or []),
        "body": data["body"],
        "content_hash": data["content_hash"],
        "source_path": None,
        "updated_at": at,
    }
    origin = {
        "origin": "edit",
        "author_id": actor,
        "event_id": event_id,
        "base_version": data.get("base_version"),
        "comment": data.get("comment", ""),
        "created_at": at,
    }
    apply_version(conn, values, origin)

