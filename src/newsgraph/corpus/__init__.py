"""Across documents: entity resolution, stories and merged events, claim clusters, origins and
credibility. Each module that defines ``STAGE`` is a stage of ``newsgraph build``, run after the
per-document extraction in the order of ``STAGE.order``."""
