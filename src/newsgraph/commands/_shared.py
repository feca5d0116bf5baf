"""What every CLI command shares: the consoles, the --db option, opening the store, progress.

Text that comes from users or inputs (file names, outlet names, notes, reasons) goes
through ``escape`` before it is printed, so that "[/bold]" in a name is shown, not parsed.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsgraph import settings
from newsgraph.store import DATABASE_FAILURES, StoreError, describe_failure, open_store

err = Console(stderr=True)
out = Console()

DB_OPTION = click.option(
    "--db", default=lambda: settings.get("db"), show_default="newsgraph.db or $NEWSGRAPH_DB",
    help="SQLite file path or postgresql://user@host:port/dbname URL.",
)


@contextmanager
def cli_store(db: str):
    """The store at ``db``, closed afterwards; a store error (on open or in the command: a
    damaged file, a full disk, a lost server, another writer) is a clear CLI error."""
    try:
        store = open_store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except DATABASE_FAILURES as exc:  # from a query made outside the store's own methods
        raise click.ClickException(str(describe_failure(exc, store.display_url))) from exc
    finally:
        store.close()


def apply_edit(db: str, edit, *args):
    """Run an analyst's edit function ``edit(store, *args)`` on the store at ``db``; the
    ValueError it raises for a bad id or grade becomes a clear CLI error."""
    with cli_store(db) as store:
        try:
            return edit(store, *args)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc


@contextmanager
def progress(label: str, total: int | None):
    """A progress bar on stderr (only on a terminal); yields ``advance(name)``."""
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"), console=err, transient=True, disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=total, current="")

        def advance(name: str = "") -> None:
            bar.update(task, advance=1, current=Path(name).name[:40])

        yield advance
