"""``newsgraph report --out report.html``: the knowledge base as one self-contained HTML file."""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import click

from newsgraph.commands._shared import DB_OPTION, kb_store


RECORD_NAMES = {"stories": "story", "events": "merged event", "claims": "claim cluster"}


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command("report")
@click.option("--out", "out_path", required=True, help="HTML file to write ('-' for standard output).")
@click.option("--timestamp/--no-timestamp", default=True, show_default=True,
              help="Add a 'Generated …' line (without it the same knowledge base gives the same bytes).")
@DB_OPTION
def command(out_path: str, timestamp: bool, db: str) -> None:
    """Write a self-contained HTML report: stories with citations, key claims with their grades,
    a map, a timeline and the sources. It opens offline."""
    from newsgraph.report import collect, render

    target = None if out_path == "-" else Path(out_path).expanduser()
    if target is not None:
        if target.is_dir():
            raise click.ClickException(f"cannot write {out_path}: it is a folder; give a file name such as report.html")
        if not target.parent.is_dir():
            raise click.ClickException(f"cannot write {out_path}: folder {target.parent} does not exist")
    with kb_store(db) as store:
        data = collect(store)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if timestamp else None
    html = render(data, generated_at=stamp)
    if target is None:
        sys.stdout.write(html)
        return
    try:
        write_atomically(target, html)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out_path}: {exc.strerror or exc}") from exc
    c = data.counts
    click.echo(f"wrote {target} ({len(html.encode('utf-8')):,} bytes): {len(data.stories)} stories, "
               f"{len(data.claims)} key claims, {c['events']} events, {c['documents']} articles cited")
    for kind, derived in sorted(data.derived.items()):
        if derived:
            click.echo(f"note: the knowledge base holds no {RECORD_NAMES[kind]} records yet; "
                       "the report shows per-article records instead", err=True)
