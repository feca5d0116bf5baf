"""The declared records of newsgraph and their value types (see docs/schema.md)."""
