"""What the server does before and after every request, to hold against a hostile page in the
analyst's browser and against heavy queries (docs/security.md):

- only the host names it was bound to (and those given with ``--allowed-host``) are answered:
  a page on another site that rebinds its DNS name to 127.0.0.1 gets a 400, not the knowledge base;
- an opt-in read token (``--read-token``) for serving beyond loopback: every request then needs
  ``Authorization: Bearer <token>`` or HTTP Basic with the token as password (browsers ask);
- security headers on every response: a Content-Security-Policy that allows only the package's
  own scripts and styles, X-Content-Type-Options, X-Frame-Options, Referrer-Policy;
- bounds on what a request may ask (query length, offsets, page sizes), answered with a 400
  that says what is allowed.
"""
from __future__ import annotations

import base64
import ipaddress
import secrets
import socket
from pathlib import Path

from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 32
MAX_OFFSET = 1_000_000
PAGE_SECONDS = 10.0

# vis-timeline's bundle also injects its own stylesheet as <style> elements (the same CSS the page
# loads from static/vendor): the hashes of exactly what it injects (computed by
# scripts/vendor_js.sh into style-hashes.txt), and of the empty element it starts with, pass.
# tests/test_web_browser.py fails on any CSP violation.
EMPTY_STYLE = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
VENDOR_STYLE_HASHES = tuple(dict.fromkeys([EMPTY_STYLE, *(
    Path(__file__).parent.joinpath("static/vendor/vis-timeline/style-hashes.txt").read_text("utf-8").split())]))
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' "
       + " ".join(f"'{h}'" for h in VENDOR_STYLE_HASHES)
       + "; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_names(host: str, allowed: tuple[str, ...] = ()) -> set[str]:
    """The Host header names the server answers when bound to ``host``: the loopback names for a
    loopback address, the machine's names and addresses for 0.0.0.0 / ::, the address itself
    otherwise, plus every ``allowed`` name."""
    names = {host.lower().strip("[]")}
    if is_loopback(host):
        names.update(LOOPBACK_NAMES)
    elif host in ("0.0.0.0", "::", ""):
        names.update(LOOPBACK_NAMES)
        hostname = socket.gethostname()
        names.update({hostname.lower(), socket.getfqdn().lower()})
        try:
            names.update(info[4][0] for info in socket.getaddrinfo(hostname, None))
        except OSError:
            pass
    names.update(a.lower().strip("[]") for a in allowed if a)
    return names


def host_of(value: str) -> str:
    """The name in a Host header, without its port ("[::1]:8000" -> "::1")."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _authorized(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    given = given.strip()
    if scheme.lower() == "basic":
        try:
            given = base64.b64decode(given, validate=True).decode("utf-8").partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            return False
    elif scheme.lower() != "bearer":
        return False
    return bool(given) and secrets.compare_digest(given.encode(), token.encode())


class Guard:
    """ASGI middleware: host check, read token, security headers."""

    def __init__(self, app: ASGIApp, names: set[str] | None, read_token: str | None):
        self.app, self.names, self.read_token = app, names, read_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = host_of(headers.get("host", ""))
        if self.names is not None and host not in self.names:
            response = PlainTextResponse(
                f"this server does not answer for host {host!r}: open it at one of "
                f"{', '.join(sorted(self.names))}, or start it with --allowed-host {host}", status_code=400)
            await self._send(response, scope, receive, send)
            return
        if self.read_token and not _authorized(headers.get("authorization", ""), self.read_token):
            response = JSONResponse({"detail": "reading needs the server's read token: send 'Authorization: Bearer "
                                               "<token>' (or sign in with any user name and the token as password)"},
                                    status_code=401, headers={"WWW-Authenticate": 'Basic realm="newsgraph"'})
            await self._send(response, scope, receive, send)
            return

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {k.lower() for k, _ in message["headers"]}
                message["headers"] = list(message["headers"]) + [(k, v) for k, v in HEADERS if k not in present]
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _send(self, response, scope, receive, send) -> None:
        response.raw_headers.extend(HEADERS)
        await response(scope, receive, send)


def check_query(q: str) -> None:
    """A 400 for a query longer than the search accepts (ValueError with the reason)."""
    if len(q) > MAX_QUERY_CHARS:
        raise ValueError(f"the query is {len(q):,} characters long; at most {MAX_QUERY_CHARS} are searched")
    words = len(q.split())
    if words > MAX_QUERY_WORDS:
        raise ValueError(f"the query has {words} words; at most {MAX_QUERY_WORDS} are searched")
