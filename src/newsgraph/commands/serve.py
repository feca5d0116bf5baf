"""`newsgraph serve`: the JSON API and web pages over one knowledge base."""
from __future__ import annotations

import click

from newsgraph.commands._shared import DB_OPTION, err


@click.command("serve")
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--token", envvar="NEWSGRAPH_TOKEN", default=None, show_envvar=True,
              help="Token analysts send (Authorization: Bearer …) to edit; without one, editing is disabled.")
def command(db: str, host: str, port: int, token: str | None) -> None:
    """Serve the knowledge base: web pages with map, timeline and graphs, and a JSON API (/docs)."""
    import uvicorn

    from newsgraph.store import StoreError
    from newsgraph.web.app import create_app

    try:
        app = create_app(db, token)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    err.print(f"[bold]newsgraph[/] serving {app.state.store.display_url} at http://{host}:{port}/ "
              f"(API: /docs; editing {'on' if token else 'off: start with --token to allow edits'})")
    uvicorn.run(app, host=host, port=port, log_level="warning")
