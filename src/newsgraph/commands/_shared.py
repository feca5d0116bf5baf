"""What every CLI command shares: the consoles, the --db option, opening the store, progress.

Imports of the store and of rich's progress bar happen on use, so that ``newsgraph --help``
answers at once. Text that comes from users or inputs (file names, outlet names, notes,
reasons) goes through ``escape`` before it is printed, so that "[/bold]" in a name is shown,
not parsed."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from newsgraph import settings

err = Console(stderr=True)
out = Console()

DB_OPTION = click.option(
    "--db", default=lambda: settings.get("db"), show_default="newsgraph.db or $NEWSGRAPH_DB",
    help="SQLite file path or postgresql://user@host:port/dbname URL.",
)


@contextmanager
def cli_store(db: str, create: bool = True):
    """The store at ``db``, closed afterwards; a store error (on open or in the command: a
    damaged file, a full disk, a lost server, another writer) is a clear CLI error. Only
    ``ingest`` and ``build`` create a knowledge base: every other command uses ``kb_store``."""
    from newsgraph.store import DATABASE_FAILURES, StoreError, describe_failure, open_store

    try:
        store = open_store(db, create=create)
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


def kb_store(db: str):
    """The existing knowledge base at ``db``: a mistyped path is an error, never a new empty database."""
    return cli_store(db, create=False)


def apply_edit(db: str, edit, *args):
    """Run an analyst's edit function ``edit(store, *args)`` on the store at ``db``; the
    ValueError it raises for a bad id or grade becomes a clear CLI error."""
    with kb_store(db) as store:
        try:
            return edit(store, *args)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc


@contextmanager
def progress(label: str, total: int | None):
    """A progress bar on stderr (only on a terminal); yields ``advance(name)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"), console=err, transient=True, disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=total, current="")

        def advance(name: str = "") -> None:
            bar.update(task, advance=1, current=Path(name).name[:40])

        yield advance


def plain_rows(header: tuple[str, ...], rows: list[tuple]) -> None:
    """Tab-separated lines (for pipes and scripts): every value whole, never cut to a width."""
    click.echo("\t".join(header))
    for row in rows:
        click.echo("\t".join(" ".join(str(v if v is not None else "").split()) for v in row))
