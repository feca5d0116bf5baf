"""Analyst edits over HTTP: source reliability, claim credibility override, entity merge and split.

Each calls the same function as the CLI (it records a decision in the store, so the edit survives a
rebuild, and updates the stored records at once). Editing needs the token the server was started
with, sent as ``Authorization: Bearer <token>``; reading needs none.
"""
from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

DISABLED = "editing is disabled: start the server with --token"
MISSING = "editing needs the server's token: send the header 'Authorization: Bearer <token>'"
WRONG = "the token does not match the one the server was started with"


class Reliability(BaseModel):
    grade: str = Field(description="A (completely reliable) … F (cannot be judged)")
    basis: str = Field(description="why: the analyst's basis for the grade")


class Credibility(BaseModel):
    grade: int = Field(description="1 (confirmed) … 6 (cannot be judged)")
    note: str = Field(description="why the analyst overrides the suggested grade")


class Merge(BaseModel):
    other: str = Field(description="id or name of the entity merged into this one")
    note: str = ""


class Split(BaseModel):
    local_ids: list[str] = Field(default_factory=list, description="per-document entity ids to split off")
    aliases: list[str] = Field(default_factory=list, description="or names to split off")
    note: str = ""


def require_token(request: Request) -> None:
    token = request.app.state.token
    if not token:
        raise HTTPException(403, DISABLED)
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, MISSING, headers={"WWW-Authenticate": "Bearer"})
    if not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(403, WRONG)


router = APIRouter(tags=["edits"], dependencies=[Depends(require_token)])


def _apply(request: Request, fn, *args):
    try:
        result = fn(request.app.state.store, *args)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    request.app.state.cache.invalidate()
    return result


def _exists(request: Request, what: str, found: bool, ref: str) -> None:
    if not found:
        raise HTTPException(404, f"no {what} {ref!r} in this knowledge base")


@router.post("/sources/{source_id}/reliability")
def set_reliability(request: Request, source_id: str, body: Reliability) -> dict:
    """Grade a source's reliability (A–F) with its basis."""
    from newsgraph.corpus.credibility import set_source_reliability

    store = request.app.state.store
    _exists(request, "source", any(s["id"] == source_id for s in store.iter_sources()), source_id)
    return {"source": _apply(request, set_source_reliability, source_id, body.grade, body.basis)}


@router.post("/claims/{cluster_id}/credibility")
def set_credibility(request: Request, cluster_id: str, body: Credibility) -> dict:
    """Override the suggested credibility (1–6) of a claim cluster, with a note."""
    from newsgraph.corpus.credibility import override_credibility

    store = request.app.state.store
    _exists(request, "claim cluster", store.get_corpus_record("claim_cluster", cluster_id) is not None, cluster_id)
    cluster = _apply(request, override_credibility, cluster_id, body.grade, body.note)
    return {"cluster": {"id": cluster["id"], "text": cluster.get("text"), "credibility": cluster.get("credibility")}}


def _entity_exists(request: Request, entity_id: str) -> None:
    from newsgraph.store.views import entity_exists

    _exists(request, "entity", entity_exists(request.app.state.store, entity_id), entity_id)


@router.post("/entities/{entity_id}/merge")
def merge(request: Request, entity_id: str, body: Merge) -> dict:
    """Merge entity ``other`` into this one."""
    from newsgraph.corpus.entities import merge_entities
    from newsgraph.store.views import entity_by_ref

    _entity_exists(request, entity_id)
    return {"entity": _apply(request, lambda store, a, b, note: merge_entities(
        store, a, entity_by_ref(store, b)["id"], note=note), entity_id, body.other, body.note)}


@router.post("/entities/{entity_id}/split")
def split(request: Request, entity_id: str, body: Split) -> dict:
    """Split per-document ids (or names) off this entity into a new one."""
    from newsgraph.corpus.entities import split_entity

    _entity_exists(request, entity_id)
    items = body.local_ids or body.aliases
    if not items:
        raise HTTPException(400, "name the local_ids or the aliases to split off")
    return {"entities": _apply(request, lambda store, e, i, note: split_entity(store, e, i, note=note),
                               entity_id, items, body.note)}
