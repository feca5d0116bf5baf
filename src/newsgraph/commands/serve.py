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
@click.option("--read-token", envvar="NEWSGRAPH_READ_TOKEN", default=None, show_envvar=True,
              help="Token every request must carry to read (Bearer, or HTTP Basic with it as password): "
                   "for serving beyond this machine.")
@click.option("--allowed-host", "allowed_hosts", multiple=True,
              help="Another host name the server answers for (repeatable), e.g. its name on your network.")
def command(db: str, host: str, port: int, token: str | None, read_token: str | None,
            allowed_hosts: tuple[str, ...]) -> None:
    """Serve the knowledge base: web pages with map, timeline and graphs, and a JSON API (/docs).
    Only requests naming this server's host (or an --allowed-host) are answered."""
    import uvicorn

    from newsgraph.store import StoreError
    from newsgraph.web.app import create_app
    from newsgraph.web.security import is_loopback, served_names

    try:
        app = create_app(db, token, host=host, allowed_hosts=allowed_hosts, read_token=read_token)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if not is_loopback(host) and not read_token:
        err.print(f"[yellow]warning[/]: serving on {host} without --read-token: anyone who can reach this machine "
                  f"on port {port} can read the whole knowledge base. Give --read-token TOKEN to require a token, "
                  "or serve on 127.0.0.1.", highlight=False)
    err.print(f"[bold]newsgraph[/] serving {app.state.store.display_url} at http://{host}:{port}/ "
              f"(API: /docs; editing {'on' if token else 'off: start with --token to allow edits'}; "
              f"answering for {', '.join(sorted(served_names(host, allowed_hosts)))})", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
