"""Triggers a team defines in its configuration (``custom_triggers``).

One fires when enough files match its path globs (and, if it has content
patterns, have an added line matching one), with enough added lines.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from review_trigger.change import Change, Detail, Finding
from review_trigger.scan import LineRule
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    considered,
    hits_for,
    matching,
    pattern_rules,
)


def check(change: Change, settings: Settings) -> Finding | None:
    tid = settings['id']
    paths = matching(change, settings.get('paths') or ['*'])
    files = [f for f in considered(change) if f.path in paths]
    if settings.get('patterns'):
        hit: dict[str, list[int]] = {}
        for h in hits_for(change, tid):
            hit.setdefault(h.path, []).append(h.line)
        details = [
            Detail(
                f.path,
                'matches the paths and a content pattern at line ' + ', '.join(map(str, hit[f.path][:5])),
            )
            for f in files
            if f.path in hit
        ]
        counted = [f for f in files if f.path in hit]
    else:
        details = [Detail(f.path, f'matches the paths, {f.status}') for f in files]
        counted = files
    if len(counted) < settings.get('min_files', 1) or not counted:
        return None
    if sum(f.added_lines for f in counted) < settings.get('min_added_lines', 0):
        return None
    return Finding(tid, settings.get('description') or f'custom trigger {tid}', tuple(details))


def _line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return pattern_rules(
        settings['id'],
        [('content pattern', p) for p in settings.get('patterns', ())],
        settings.get('paths') or ['*'],
    )


@functools.cache
def _make(tid: str, description: str, task_type: str, concern: str) -> Trigger:
    return Trigger(tid, description, task_type, check, _line_rules, concern)


def make(settings: Mapping[str, Any]) -> Trigger:
    return _make(
        settings['id'],
        settings.get('description') or settings['id'],
        settings.get('task_type', 'code_review_logic'),
        settings.get('concern', ''),
    )
