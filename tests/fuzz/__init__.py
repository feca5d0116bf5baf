"""Our own ingest fuzzer: a generator of bad or odd inputs and a harness that runs them."""
