"""``newsgraph entity``: list, show, merge and split resolved entities (analyst decisions)."""
from __future__ import annotations

import click

from newsgraph.commands._shared import DB_OPTION, apply_edit, kb_store, out


def _p(text: str = "") -> None:
    out.print(text, highlight=False, markup=False, soft_wrap=True)


def _line(e: dict) -> str:
    docs = len(e.get("documents") or [])
    return f"{e['id']}  {e['type']:<8} {e['name']}  ({e['mention_count']} mentions, {docs} documents)"


def _show(e: dict, decisions: list[dict]) -> None:
    _p(_line(e))
    _p("  aliases: " + "; ".join(e.get("aliases") or []))
    attrs = {k: v for k, v in (e.get("attributes") or {}).items() if k != "place"}
    if attrs:
        _p("  attributes: " + "; ".join(f"{k}: {v}" for k, v in sorted(attrs.items())))
    place = (e.get("attributes") or {}).get("place")
    if place:
        coords = f", {place['lat']}, {place['lon']}" if place.get("lat") is not None else ""
        _p(f"  place: GeoNames {place.get('geonames_id')}, {place.get('country_code')}, "
           f"{place.get('feature')}{coords}")
    _p("  local ids: " + ", ".join(e.get("local_ids") or []))
    merge = e.get("merge")
    if merge:
        _p(f"  merge score {merge['score']}:")
        for reason in merge["reasons"]:
            _p(f"    - {reason}")
    else:
        _p("  merge: none (one local entity)")
    for k in e.get("kept_apart") or []:
        other = f" ({k['entity_id']})" if k.get("entity_id") else ""
        _p(f"  kept apart from {k['name']}{other}: {k['reason']}")
    for d in decisions:
        note = f" — {d['note']}" if d.get("note") else ""
        _p(f"  decision {d['id']} {d['kind']} {d['created_at']}: {d['data']}{note}")


def _decisions_about(store, e: dict) -> list[dict]:
    ids = {e["id"]}
    return [d for d in store.iter_decisions() if d["kind"] in ("entity_merge", "entity_split")
            and (d["subject"] in ids or (d.get("data") or {}).get("other") in ids)]


@click.group("entity")
def command() -> None:
    """Resolved entities: list, show, merge, split (decisions survive rebuilds)."""


@command.command("list")
@DB_OPTION
@click.option("--type", "type_", help="Only this type (PERSON, GROUP, ORG, PLACE, NORP, …).")
def list_(db: str, type_: str | None) -> None:
    """List entities, most mentioned first."""
    with kb_store(db) as store:
        rows = [e for e in store.iter_entities() if not type_ or e["type"] == type_.upper()]
    for e in sorted(rows, key=lambda e: (-e["mention_count"], e["name"])):
        _p(_line(e))


@command.command("show")
@DB_OPTION
@click.argument("id_or_name")
def show(db: str, id_or_name: str) -> None:
    """Show an entity (by id or name): aliases, merge score and reasons, decisions."""
    from newsgraph.corpus.entities import find_entities

    with kb_store(db) as store:
        found = find_entities(store, id_or_name)
        if not found:
            raise click.ClickException(f"no entity with id or name '{id_or_name}'")
        for i, e in enumerate(found):
            if i:
                _p()
            _show(e, _decisions_about(store, e))


@command.command("merge")
@DB_OPTION
@click.argument("a")
@click.argument("b")
@click.option("--note", default="", help="Why (kept with the decision).")
def merge(db: str, a: str, b: str, note: str) -> None:
    """Merge entity B into entity A, each given by id or name (recorded; survives rebuilds)."""
    from newsgraph.corpus.entities import merge_entities
    from newsgraph.store.views import entity_by_ref

    def by_ref(store, a, b, note):
        ea, eb = entity_by_ref(store, a), entity_by_ref(store, b)
        return eb, merge_entities(store, ea["id"], eb["id"], note)

    gone, e = apply_edit(db, by_ref, a, b, note)
    _p(f"merged {gone['id']} ({gone['name']}) into {e['id']} ({e['name']})")
    _p(_line(e))


@command.command("split")
@DB_OPTION
@click.argument("entity_id", metavar="ID_OR_NAME")
@click.option("--alias", "aliases", multiple=True, help="A name to move into a new entity (repeatable).")
@click.option("--local-id", "local_ids", multiple=True, help="A local id to move into a new entity (repeatable).")
@click.option("--note", default="", help="Why (kept with the decision).")
def split(db: str, entity_id: str, aliases: tuple[str, ...], local_ids: tuple[str, ...], note: str) -> None:
    """Move some names or local ids of an entity (given by id or name) into a new entity
    (recorded; survives rebuilds)."""
    from newsgraph.corpus.entities import split_entity
    from newsgraph.store.views import entity_by_ref

    if bool(aliases) == bool(local_ids):
        raise click.UsageError("give either --alias NAME… or --local-id ID…")
    def by_ref(store, ref, items, why):
        return split_entity(store, entity_by_ref(store, ref)["id"], items, why)

    remaining, new = apply_edit(db, by_ref, entity_id, list(aliases or local_ids), note)
    _p(f"split {entity_id}")
    _p(_line(remaining))
    _p(_line(new))
