"""CLI commands beyond the core ones in ``newsgraph.cli``: each public module here defines
``command`` (a click command or group), which ``newsgraph.cli`` adds to the main group."""
from __future__ import annotations

import importlib
import pkgutil

import click


def all_commands() -> list[click.Command]:
    modules = sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}").command for name in modules]
