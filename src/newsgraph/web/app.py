"""The web app: JSON API and HTML pages over one knowledge base.

Every HTML page has a JSON twin at the same URL plus ``.json`` (the overview ``/`` at
``/index.json``); maps, timelines and graphs are drawn in the browser from the twins by our own
JavaScript in ``static/`` (no CDN). Article text is untrusted: templates autoescape and the
scripts only set ``textContent``.
"""
from __future__ import annotations

import inspect
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsgraph.store import open_store
from newsgraph.web import pages
from newsgraph.web.catalog import CatalogCache
from newsgraph.web.edits import router as edits_router
from newsgraph.web import security
from newsgraph.web.search import KINDS
from newsgraph.web.search import search as run_search
from newsgraph.web.text import segments

HERE = Path(__file__).parent
CSV_ROWS = 100_000
HREF = {"document": "/documents/", "entity": "/entities/", "event": "/events/", "claim": "/claims/",
        "story": "/stories/", "source": "/sources/"}


def _templates() -> Jinja2Templates:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html"], default=True))
    from newsgraph.corpus.credibility import grade_label

    env.globals.update(segments=segments, href=HREF, document_segments=pages.document_segments,
                       credibility_labels={g: grade_label(g) for g in range(1, 7)})
    env.filters["kind"] = lambda value: (value or "").replace("_", " ")
    return Jinja2Templates(env=env)


def _flat(value, prefix: str, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flat(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(value, list):
        out[prefix] = "; ".join(str(v.get("name") or v.get("id") or v) if isinstance(v, dict) else str(v)
                                for v in value)
    else:
        out[prefix] = value


def csv_text(items: list[dict]) -> str:
    """A list page's items as CSV: nested fields flattened ("date.start"), lists joined by "; ",
    formula-like cells escaped (export/_csv.py)."""
    import io

    from newsgraph.export._csv import write_csv

    rows, columns = [], {}
    for item in items:
        row: dict = {}
        _flat(item, "", row)
        rows.append(row)
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    write_csv(buffer, list(columns), rows)
    return buffer.getvalue()


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(x) for x in error.get("loc", ())[1:]) or "request"
        given = error.get("input")
        shown = f" (got {str(given)[:40]!s})" if given is not None and not isinstance(given, dict) else ""
        parts.append(f"{where}: {error.get('msg', 'invalid')}{shown}")
    return "bad request: " + "; ".join(parts)


def create_app(db: str, token: str | None = None, host: str = "127.0.0.1", allowed_hosts: tuple[str, ...] = (),
               read_token: str | None = None) -> FastAPI:
    """A FastAPI app over the store at ``db``; edits need ``token`` (none: editing disabled). Only
    the names of ``host`` (and ``allowed_hosts``) are answered; with ``read_token`` every request
    needs it (docs/security.md)."""
    from newsgraph.store.views import TimeLimit, install_time_limits, time_limit

    store = open_store(db, create=False)
    install_time_limits(store, security.PAGE_SECONDS)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.cache.warm()
        yield
        store.close()

    app = FastAPI(title="newsgraph", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="A sourced, geocoded, cross-checked knowledge base from news articles. "
                              "Every page has a JSON twin at the same URL plus .json.")
    app.add_middleware(security.Guard, names=security.served_names(host, allowed_hosts), read_token=read_token)
    app.state.store, app.state.token, app.state.cache = store, token or None, CatalogCache(store)
    templates = _templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(edits_router)

    def render(request: Request, template: str, data: dict, status: int = 200) -> HTMLResponse:
        path = request.url.path
        twin = "/index.json" if path == "/" else path + ".json"
        if request.url.query:
            twin += "?" + request.url.query
        return templates.TemplateResponse(request, template, {"data": data, "twin": twin,
                                                              "editing": bool(app.state.token)}, status_code=status)

    def page(path: str, template: str, tag: str, csv: bool = False):
        """Register ``fn`` at ``path`` + ".json" (JSON) and at ``path`` (HTML from ``template``); a
        list page also at ``path`` + ".csv" (its items as CSV: every matching row up to CSV_ROWS
        unless ``limit`` is given)."""

        def register(fn):
            sig = inspect.signature(fn)
            params = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
                      *sig.parameters.values()]

            def call(kwargs):
                try:
                    with time_limit(security.PAGE_SECONDS):
                        return fn(**kwargs)
                except TimeLimit as exc:
                    raise StarletteHTTPException(503, f"this page took too long and was stopped ({exc}): "
                                                      "narrow it with filters or a smaller limit") from exc
                except ValueError as exc:
                    raise StarletteHTTPException(400, str(exc)) from exc

            last: list = [None, b""]  # the last body, for a page whose data is kept with the snapshot

            def as_json(request: Request, **kwargs):
                data = call(kwargs)
                if "redirect" in data:
                    return RedirectResponse(data["redirect"] + ".json", status_code=307)
                if last[0] is not data:
                    last[:] = [data, JSONResponse(data).body]
                return Response(last[1], media_type="application/json")

            def as_html(request: Request, **kwargs):
                data = call(kwargs)
                if "redirect" in data:
                    return RedirectResponse(data["redirect"], status_code=307)
                return render(request, template, data)

            def as_csv(request: Request, **kwargs):
                if "limit" in kwargs and "limit" not in request.query_params:
                    kwargs["limit"] = CSV_ROWS
                data = call(kwargs)
                name = path.strip("/").replace("/", "-") or "index"
                return Response(csv_text(data["items"]), media_type="text/csv; charset=utf-8",
                                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})

            for wrapper, name in ((as_json, "_json"), (as_html, ""), (as_csv, "_csv")):
                wrapper.__signature__ = sig.replace(parameters=params)
                wrapper.__doc__ = fn.__doc__
            json_path = "/index.json" if path == "/" else path + ".json"
            app.add_api_route(json_path, as_json, methods=["GET"], tags=[tag], name=fn.__name__ + "_json",
                              summary=(fn.__doc__ or "").strip().split("\n")[0] or None)
            app.add_api_route(path, as_html, methods=["GET"], response_class=HTMLResponse, include_in_schema=False,
                              name=fn.__name__)
            if csv:
                app.add_api_route(path + ".csv", as_csv, methods=["GET"], tags=[tag], name=fn.__name__ + "_csv",
                                  summary=f"{path[1:]} as CSV", response_class=Response)
            return fn

        return register

    cat = app.state.cache.get
    offset_q = Query(0, ge=0, le=security.MAX_OFFSET)
    limit_q = Query(100, ge=1, le=500)

    @page("/", "index.html", "overview")
    def overview():
        """Counts, top stories, most-contested claims, map and timeline of all events."""
        catalog = cat()
        return catalog.memo("overview", lambda: pages.overview(store, catalog))

    @page("/search", "search.html", "search")
    def search(q: str = "", kind: list[str] = Query(default=[]), limit: int = Query(20, ge=1, le=200),
               offset: int = offset_q):
        """Full-text search across documents, entities, events, claims, stories and sources."""
        bad = [k for k in kind if k not in KINDS]
        if bad:
            raise StarletteHTTPException(400, f"unknown kind {bad[0]!r}: choose from {', '.join(KINDS)}")
        security.check_query(q)
        found = run_search(store, q, tuple(kind) or KINDS, limit=limit, offset=offset)
        for group in found["results"].values():
            for hit in group["hits"]:
                hit["href"] = HREF[hit["kind"]] + hit["ref"]
        return found

    @page("/events", "events.html", "events", csv=True)
    def events(offset: int = offset_q, limit: int = limit_q, type: str | None = None, place: str | None = None,
               source: str | None = None, year: str | None = Query(None, pattern=r"^\d{4}$"),
               dated: bool | None = None):
        """Events (merged across documents when the corpus stage has run), by date; filters and facets
        by type, place, source, year and dated/undated. Also at /events.csv."""
        return pages.events_list(store, cat(), offset, limit, type, place, source, year, dated)

    @page("/events/{event_id}", "event.html", "events")
    def event(event_id: str):
        """One event: type, time and place with precision, participants, counts with sources, evidence."""
        return pages.event_page(store, cat(), event_id)

    @page("/claims", "claims.html", "claims", csv=True)
    def claims(offset: int = offset_q, limit: int = limit_q, grade: int | None = Query(None, ge=1, le=6),
               contradicted: bool | None = None):
        """Claim clusters (or per-document claims before clustering); filters and facets by grade and
        contradiction. Also at /claims.csv."""
        return pages.claims_list(store, cat(), offset, limit, grade, contradicted)

    @page("/claims/{claim_id}", "claim.html", "claims")
    def claim(claim_id: str):
        """One claim cluster (or claim): evidence for and against, origin chain, credibility."""
        return pages.claim_page(store, cat(), claim_id)

    @page("/entities", "entities.html", "entities", csv=True)
    def entities(offset: int = offset_q, limit: int = limit_q, type: str | None = None):
        """People, groups, organisations and places, most mentioned first."""
        return pages.entities_list(store, cat(), offset, limit, type)

    @page("/entities/{entity_id}", "entity.html", "entities")
    def entity(entity_id: str):
        """One entity: aliases, attributes, mentions, events, movement legs in order, documents."""
        return pages.entity_page(store, cat(), entity_id)

    @page("/sources", "sources.html", "sources", csv=True)
    def sources():
        """Outlets with their reliability (A–F) and its basis."""
        return pages.sources_list(store, cat())

    @page("/sources/{source_id}", "source.html", "sources")
    def source(source_id: str):
        """One outlet: reliability and basis, its documents and claims."""
        return pages.source_page(store, cat(), source_id)

    @page("/documents", "documents.html", "documents", csv=True)
    def documents(offset: int = offset_q, limit: int = limit_q):
        """Documents, newest first."""
        return pages.documents_list(store, cat(), offset, limit)

    @page("/documents/{doc_id}", "document.html", "documents")
    def document(doc_id: str):
        """One document: clean text with mentions, what cleaning removed, comments, its events and claims."""
        return pages.document_page(store, cat(), doc_id)

    @page("/stories", "stories.html", "stories", csv=True)
    def stories(offset: int = offset_q, limit: int = limit_q):
        """Stories: documents about the same happening, largest first."""
        return pages.stories_list(store, cat(), offset, limit)

    @page("/stories/{story_id}", "story.html", "stories")
    def story(story_id: str):
        """One story: its events, claims and documents."""
        return pages.story_page(store, cat(), story_id)

    @app.get("/outlines.json", tags=["map"])
    def outlines(tolerance: float = Query(0.1, ge=0.0, le=2.0)):
        """Country outlines (lon/lat rings) for the offline maps."""
        from newsgraph.geo.outlines import country_outlines

        return JSONResponse(country_outlines(tolerance), headers={"Cache-Control": "public, max-age=86400"})

    def wants_json(request: Request) -> bool:
        return request.url.path.endswith(".json") or request.method != "GET" or \
            "text/html" not in request.headers.get("accept", "text/html")

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request):
        """Swagger UI, served from the package's own copy (static/vendor/swagger-ui-dist)."""
        return templates.TemplateResponse(request, "api_docs.html", {})

    @app.exception_handler(RequestValidationError)
    def bad_request(request: Request, exc: RequestValidationError):
        message = _validation_message(exc)
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=400)
        return render(request, "error.html", {"status": 400, "message": message}, status=400)

    @app.exception_handler(pages.NotFound)
    def not_found(request: Request, exc: pages.NotFound):
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}: start at / (overview), /search or /docs (the API)"
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=exc.status_code, headers=exc.headers)
        return render(request, "error.html", {"status": exc.status_code, "message": message}, status=exc.status_code)

    return app
