"""Configuration: the built-in defaults merged with the repository's file."""
from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, NamedTuple

from review_trigger import defaults


class Config(NamedTuple):
    triggers: Mapping[str, Mapping[str, Any]]
    exclude: tuple[str, ...] = ()
    generated: tuple[str, ...] = defaults.GENERATED
    context_files: tuple[str, ...] = defaults.CONTEXT_FILES
    max_scan_bytes: int = defaults.MAX_SCAN_BYTES
    reviewer: str = 'Opus'
    source: str | None = None       # the file it was read from


def default_config() -> Config:
    return Config(triggers=copy.deepcopy(defaults.TRIGGERS))
