"""The per-document steps of newsgraph as spaCy components, registered by name.

Each component reads what earlier components left on the Doc and writes its own extension
attribute; ``requires`` and ``assigns`` declare both, so ``nlp.analyze_pipes`` can check the
order. The model's own components (tok2vec, tagger, parser, lemmatizer, ``newsgraph_aliases``,
``ner``, ``newsgraph_entities``) come first; ours follow in this order:

=====================  =====================================  ===========================
component              reads                                  writes
=====================  =====================================  ===========================
ng_entities            doc.ents, doc.sents, doc._.ng_meta     doc._.ng_entities
ng_times               doc._.ng_meta                          doc._.ng_times
ng_quantities          doc.sents                              doc._.ng_quantities
ng_geocode             doc._.ng_entities, doc._.ng_meta       doc._.ng_mentions, doc._.ng_resolutions
ng_events              entities, times, quantities, meta      doc._.ng_events
ng_movements           entities, times, events                doc._.ng_movements
ng_attribution         entities, doc._.ng_meta                doc._.ng_attributions
ng_claims              entities, times, quantities, attrib.   doc._.ng_claims
=====================  =====================================  ===========================

A component that raises marks the document failed (``doc._.ng_failed``: the component and
the reason) through the pipeline's error handler; spaCy then leaves the Doc out of the
stream, and the runner turns it into a failure record in its place. One article never stops
a build.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import wraps

from spacy.language import Language
from spacy.tokens import Doc

EXTENSIONS = ("ng_meta", "ng_failed", "ng_entities", "ng_times", "ng_quantities", "ng_mentions",
              "ng_resolutions", "ng_events", "ng_movements", "ng_attributions", "ng_claims")
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

OUR_COMPONENTS = ("ng_entities", "ng_times", "ng_quantities", "ng_geocode", "ng_events", "ng_movements",
                  "ng_attribution", "ng_claims")


@dataclass
class DocMeta:
    """What a component may know of a document besides its text (set before the pipeline)."""
    id: str | None = None
    source: str | None = None
    published: date | None = None
    precision: str = "day"
    credited: list = field(default_factory=list)
    context_hint: str | None = None
    notes: list[str] = field(default_factory=list)


def record_failure(proc_name: str, proc, docs: list[Doc], error: Exception) -> None:
    """The pipeline's error handler: the documents of a component that raised are marked failed."""
    for doc in docs:
        if isinstance(doc, Doc) and doc._.ng_failed is None:
            doc._.ng_failed = {"component": proc_name, "reason": f"{type(error).__name__}: {error}"}


def _guarded(func: Callable[[Doc], None]) -> Callable[[Doc], Doc]:
    """A component body that leaves failed documents alone and returns the Doc."""
    @wraps(func)
    def component(doc: Doc) -> Doc:
        if doc._.ng_failed is None:
            func(doc)
        return doc
    return component


def _meta(doc: Doc) -> DocMeta:
    return doc._.ng_meta or DocMeta()


@Language.component("ng_entities", requires=["doc.ents", "doc.sents"], assigns=["doc._.ng_entities"])
@_guarded
def entities_component(doc: Doc) -> None:
    from newsgraph.extraction.entities import extract_entities

    doc._.ng_entities = extract_entities(doc)


@Language.component("ng_times", requires=["doc._.ng_meta"], assigns=["doc._.ng_times"])
@_guarded
def times_component(doc: Doc) -> None:
    from newsgraph.extraction.times import find_times

    meta = _meta(doc)
    doc._.ng_times = find_times(doc.text, meta.published, meta.precision)


@Language.component("ng_quantities", requires=["doc.sents"], assigns=["doc._.ng_quantities"])
@_guarded
def quantities_component(doc: Doc) -> None:
    from newsgraph.extraction.quantities import find_quantities

    doc._.ng_quantities = find_quantities(doc.text)


@Language.component("ng_geocode", requires=["doc._.ng_entities", "doc._.ng_meta"],
                    assigns=["doc._.ng_mentions", "doc._.ng_resolutions"])
@_guarded
def geocode_component(doc: Doc) -> None:
    from newsgraph.pipeline.geocoding import geocode

    mentions = [asdict(m) for m in doc._.ng_entities]
    doc._.ng_mentions, doc._.ng_resolutions = geocode(doc.text, mentions, context_hint=_meta(doc).context_hint)


@Language.component("ng_events", requires=["doc._.ng_entities", "doc._.ng_times", "doc._.ng_quantities",
                                           "doc._.ng_meta"], assigns=["doc._.ng_events"])
@_guarded
def events_component(doc: Doc) -> None:
    from newsgraph.extraction.events import extract_events

    doc._.ng_events = extract_events(doc, doc._.ng_entities, doc._.ng_times, doc._.ng_quantities,
                                     _meta(doc).published)


@Language.component("ng_movements", requires=["doc._.ng_entities", "doc._.ng_times", "doc._.ng_events"],
                    assigns=["doc._.ng_movements"])
@_guarded
def movements_component(doc: Doc) -> None:
    from newsgraph.extraction.movements import extract_movements

    doc._.ng_movements = extract_movements(doc, doc._.ng_entities, doc._.ng_times, doc._.ng_events)


@Language.component("ng_attribution", requires=["doc._.ng_entities", "doc._.ng_meta"],
                    assigns=["doc._.ng_attributions"])
@_guarded
def attribution_component(doc: Doc) -> None:
    from newsgraph.extraction.attribution import attribute_sentences

    meta = _meta(doc)
    doc._.ng_attributions = attribute_sentences(doc, doc._.ng_entities, meta.source, meta.credited)


@Language.component("ng_claims", requires=["doc._.ng_entities", "doc._.ng_times", "doc._.ng_quantities",
                                           "doc._.ng_attributions"], assigns=["doc._.ng_claims"])
@_guarded
def claims_component(doc: Doc) -> None:
    from newsgraph.extraction.claims import extract_claims

    doc._.ng_claims = extract_claims(doc, doc._.ng_entities, doc._.ng_times, doc._.ng_quantities,
                                     doc._.ng_attributions)


def add_components(nlp: Language) -> Language:
    """Add our components, in order, after the model's; set the failure-recording error handler."""
    for name in OUR_COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    # (nlp.set_error_handler would also set it on the model's Cython pipes, which refuse it: those
    # keep raising, and the runner fails the documents of a batch they drop)
    nlp.default_error_handler = record_failure
    return nlp


@Language.component("ng_document", assigns=["doc._.ng_meta"])
def document_component(doc: Doc) -> Doc:
    """First step: the cleaning stage's metadata of the document (publication date, outlet,
    credited sources) is on the Doc; a Doc made from bare text gets empty metadata."""
    if doc._.ng_meta is None:
        doc._.ng_meta = DocMeta()
    return doc


def first_component(nlp: Language) -> None:
    if "ng_document" not in nlp.pipe_names:
        nlp.add_pipe("ng_document", first=True)
