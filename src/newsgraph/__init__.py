"""newsgraph: sourced, geocoded, cross-checked knowledge bases from news articles."""

__version__ = "0.1.0"
