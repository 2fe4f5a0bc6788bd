"""``csdesk kb``: search, show and reindex the knowledge base from scripts.

Stable for scripts: ``csdesk kb search QUERY --json`` prints a JSON array, best first, of
``{"id", "title", "score", "snippet", "language", "version"}`` where ``id`` is the topic id.

Who is asking: the configured user (``--user`` / ``CSDESK_USER`` / settings file) when one
is set, so a team lead also finds team-lead articles; with no user set, an anonymous
reader at agent level (articles for team leads and supervisors are never shown to it).
Every failure is one sentence on stderr and exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from csdesk.cli import DemoOpt, _open_store, _settings, app, fail

kb_app = typer.Typer(help="The knowledge base: search, show, reindex, gaps, firm values.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")

KbLangOpt = Annotated[str | None, typer.Option("--lang", help="Article language: zh-CN or en (default: both).")]


def _check_lang(lang: str | None) -> str | None:
    if lang in (None, "", "all"):
        return None
    if lang not in ("zh-CN", "en"):
        raise fail(f"Unknown language {lang!r}; use zh-CN or en.")
    return lang


def _reader(ctx: typer.Context) -> str | None:
    return _settings(ctx).user or None


@kb_app.command("search")
def kb_search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What the customer asked, in their words.")],
    lang: KbLangOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="Most results to print.", min=1, max=200)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array, best first.")] = False,
    demo_store: DemoOpt = False,
) -> None:
    """Search the knowledge base (Chinese and English, colloquial words welcome)."""
    language = _check_lang(lang)
    store = _open_store(ctx, demo=demo_store)
    try:
        hits = store.kb.search(_reader(ctx), query, language=language, limit=limit)
    finally:
        store.close()
    if as_json:
        data = [
            {"id": h.id, "title": h.title, "score": h.score, "snippet": h.snippet, "language": h.language,
             "version": h.version}
            for h in hits
        ]
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    if not hits:
        typer.echo("No article matches.")
    for h in hits:
        typer.echo(f"{h.score:8.2f}  {h.id}  [{h.language} v{h.version}]  {h.title}")
        typer.echo(f"          {h.snippet}")


@kb_app.command("show")
def kb_show(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(help="Topic id, e.g. card-loss-report.")],
    lang: KbLangOpt = None,
    version: Annotated[int | None, typer.Option("--version", help="An older version.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    demo_store: DemoOpt = False,
) -> None:
    """Print one article (Markdown), with the firm's values put in for its {{placeholders}}."""
    language = _check_lang(lang) or "zh-CN"
    store = _open_store(ctx, demo=demo_store)
    try:
        article = store.kb.get(_reader(ctx), article_id, language, version)
        filled = store.kb.fill_values(article.body, article.language)
    finally:
        store.close()
    if as_json:
        data: dict[str, Any] = {
            "id": article.id, "language": article.language, "version": article.version, "title": article.title,
            "business": article.business, "audience": article.audience, "tags": list(article.tags),
            "related": list(article.related), "body": article.body, "filled_body": filled.text,
            "missing_values": list(filled.missing),
        }
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    typer.echo(f"# {article.title}  ({article.id}, {article.language}, v{article.version})")
    typer.echo(f"tags: {', '.join(article.tags)}\n")
    typer.echo(filled.text.rstrip())
    if filled.missing:
        typer.echo(f"csdesk: not set by the firm yet: {', '.join(filled.missing)} (see `csdesk kb values`).", err=True)


@kb_app.command("reindex")
def kb_reindex(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Option("--path", help="Folder with zh-CN/ and en/ articles.")] = None,
    demo_store: DemoOpt = False,
) -> None:
    """Index new and changed articles (a changed file becomes a new version; old ones are kept)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    store = _open_store(ctx, demo=demo_store)
    try:
        with Progress(TextColumn("Indexing"), BarColumn(), MofNCompleteColumn(), transient=True) as bar:
            task = bar.add_task("index", total=None)
            report = store.kb.reindex(path, progress=lambda done, total: bar.update(task, completed=done, total=total))
    finally:
        store.close()
    typer.echo(
        f"Indexed {report.scanned} files: {report.added} new, {report.changed} changed, "
        f"{report.unchanged} unchanged."
    )
    for error in report.errors:
        typer.echo(f"csdesk: skipped {error}", err=True)
    if report.errors:
        raise typer.Exit(2)


@kb_app.command("gaps")
def kb_gaps(
    ctx: typer.Context,
    status: Annotated[str, typer.Option("--status", help="open, resolved or all.")] = "open",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array, newest first.")] = False,
    demo_store: DemoOpt = False,
) -> None:
    """Gaps agents reported (questions the knowledge base did not answer); editors only."""
    if status not in ("open", "resolved", "all"):
        raise fail(f"Unknown status {status!r}; use open, resolved or all.")
    user = _reader(ctx)
    if not user:
        raise fail("Reading gaps needs a user: pass --user ID (a team lead or supervisor).")
    store = _open_store(ctx, demo=demo_store)
    try:
        gaps = store.kb.list_gaps(user, None if status == "all" else status)
    finally:
        store.close()
    if as_json:
        data = [
            {"id": g.id, "status": g.status, "reported_at": g.reported_at.isoformat(), "reported_by": g.reported_by,
             "ticket_id": g.ticket_id, "article_id": g.article_id, "language": g.language, "query": g.query,
             "text": g.text}
            for g in gaps
        ]
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    if not gaps:
        typer.echo("No gaps.")
    for g in gaps:
        summary = " ".join(g.text.split())[:80]
        typer.echo(f"{g.reported_at:%Y-%m-%d %H:%M}  {g.status:8}  {g.article_id or '-':24}  {summary}")


@kb_app.command("values")
def kb_values_command(
    ctx: typer.Context,
    missing: Annotated[bool, typer.Option("--missing", help="Only placeholders without a value.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    demo_store: DemoOpt = False,
) -> None:
    """The firm's figures in the articles: every {{placeholder}}, its value per language, where to set it."""
    store = _open_store(ctx, demo=demo_store)
    try:
        table = store.kb.value_table()
        problem, source = store.kb.values_problem, store.kb.values_file
    finally:
        store.close()
    if problem:
        typer.echo(f"csdesk: {problem} No value is used until it is fixed.", err=True)
    rows = [
        {"name": name, "values": values, "articles": count}
        for name, values, count in table
        if not (missing and values)
    ]
    unset = sum(1 for _, values, _ in table if not values)
    if as_json:
        typer.echo(json.dumps({"placeholders": rows, "unset": unset, "file": str(source)},
                              ensure_ascii=False))
        return
    for row in rows:
        shown = " | ".join(f"{lang if lang != '*' else 'all'}: {v}" for lang, v in row["values"].items())
        typer.echo(f"{row['name']:40} {row['articles']:3} article(s)  {shown or '(not set)'}")
    typer.echo(f"{len(table)} placeholder(s), {unset} without a value; set them in {source}.")
