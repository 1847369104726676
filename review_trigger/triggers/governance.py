"""Governance: the rules agents and humans follow, the CI gates, the review
rules themselves.

Fires on agent instructions and configuration wherever they live, CI and
hook configuration, CODEOWNERS, decision records, `.gitattributes` (it
changes how git shows a change), review-trigger's own configuration, and a
`review-trigger: ignore[...]` the change adds (the change edits its own
review rules). A CI or hook file whose only edit moves `uses:` / `rev:`
pins (a dependabot-style bump) does not fire: it is listed in the report
as information instead, each pin's old and new version.
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any

from review_trigger.change import Change, Detail, FileChange, Finding, Information
from review_trigger.regex import regex
from review_trigger.scan import SUPPRESS_MARKER, LineRule
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    considered,
    finding,
    hits_for,
    matching,
    register,
)

# Files a pin bump edits: workflows, composite actions, pre-commit hooks.
_PINNED = re.compile(r'(^|/)(\.github/(workflows|actions)/.*\.ya?ml|\.pre-commit-config\.ya?ml)$')
# A pin, and the comment naming its version: `uses: a/b@v4  # v4.1.0`,
# `rev: v1.2.3`, `- uses: a/b@<sha> # v6`.
_PIN = re.compile(r"""^(\s*-?\s*(uses|rev)\s*:\s*['"]?)([^@\s'"#]+@)?[^\s'"#]+(['"]?)(\s*#.*)?$""")
_SUPPRESSION = 'review-trigger suppression added'


def _tool_table(blob: bytes) -> Any:
    import tomllib  # only when pyproject.toml changed

    try:
        return tomllib.loads(blob.decode()).get('tool', {}).get('review-trigger')
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return '<unparsable>'


def _pyproject_config_changed(change: Change, f: FileChange) -> bool:
    def table(sha: str | None) -> Any:
        return None if sha is None else _tool_table(change.read_blob(sha))

    return bool(table(f.old_blob) != table(f.new_blob))


def pins_only(change: Change, f: FileChange) -> bool:
    """Whether a modified workflow, action or hook configuration differs
    from its old version only in the versions its pins name."""
    return moved_pins(change, f) is not None


def _pinned(f: FileChange) -> bool:
    """A modified workflow, action or hook configuration, both versions
    readable: one ``moved_pins`` reads."""
    return (
        f.status == 'modified'
        and not f.binary
        and f.old_blob is not None
        and f.new_blob is not None
        and bool(_PINNED.search(f.path))
    )


def _prefetch_pinned(change: Change, paths: Container[str]) -> None:
    """Read ahead what ``moved_pins`` will read of the files ``paths``
    names (by path or old path)."""
    change.prefetch(
        sha
        for f in considered(change)
        if (f.path in paths or f.old_path in paths) and _pinned(f)
        for sha in (f.old_blob, f.new_blob)
    )


def moved_pins(change: Change, f: FileChange) -> tuple[str, ...] | None:
    """The pins a modified workflow, action or hook configuration moved
    (``old -> new``, as written, version comment included), if that is
    all that changed in it; None otherwise."""
    if not _pinned(f):
        return None
    assert f.old_blob is not None and f.new_blob is not None
    old = change.read_blob(f.old_blob).decode('utf-8', 'replace').splitlines()
    new = change.read_blob(f.new_blob).decode('utf-8', 'replace').splitlines()
    if len(old) != len(new):
        return None
    # Same number of lines, the same but for the pins: line i moved a pin
    # (lines alike are alike without their pins: only the others are read).
    moved = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    if any(_unpinned(a) != _unpinned(b) for a, b in moved):
        return None
    return tuple(dict.fromkeys(f'{_pin_of(a)} -> {_pin_of(b)}' for a, b in moved))


def _unpinned(line: str) -> str:
    return _PIN.sub(r'\1\3<pin>\4', line)


def _pin_of(line: str) -> str:
    # `- uses: a/b@v4  # v4.1.0` -> `a/b@v4 # v4.1.0`
    m = _PIN.match(line)
    value = line[m.end(1) :] if m else line
    return ' '.join(value.replace('"', '').replace("'", '').split())


def check(change: Change, settings: Settings) -> Finding | None:
    paths = matching(change, settings['paths'])
    details = []
    _prefetch_pinned(change, paths)
    for f in considered(change):
        if f.path in paths or f.old_path in paths:
            if not pins_only(change, f):
                details.append(Detail(f.path, f'governance or agent-context file {f.status}'))
        elif f.path == 'pyproject.toml' and not f.binary and _pyproject_config_changed(change, f):
            details.append(Detail(f.path, 'review-trigger configuration changed'))
    # Every suppression a commit range or pull request adds, in full: hits
    # of the marker rule, and the marker lines that suppressed this very
    # rule. Not for a staged change: there the author is marking, at the
    # gate's own request, the lines they reviewed (still listed in the
    # prompt as suppressed).
    if change.range.mode != 'staged':
        marked = [(h.path, h.line) for h in hits_for(change, 'governance') if h.rule == _SUPPRESSION]
        marked += [(s.path, s.line) for s in change.suppressions]
        for path, line in dict.fromkeys(marked):
            details.append(Detail(path, f'{_SUPPRESSION} at line {line}'))
    return finding(
        'governance',
        'governance or agent-context files modified',
        details,
    )


def information(change: Change, settings: Settings) -> tuple[Information, ...]:
    """The governance files the change left quiet because it only moved
    their pins: listed, with what moved."""
    paths = matching(change, settings['paths'])
    out = []
    _prefetch_pinned(change, paths)
    for f in considered(change):
        if f.path in paths or f.old_path in paths:
            moved = moved_pins(change, f)
            if moved:
                out.append(
                    Information(
                        'governance',
                        'pins-moved',
                        f.path,
                        'only its uses or rev pins moved to other versions (a dependabot-style bump)',
                        moved,
                    )
                )
    return tuple(out)


def line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return _RULES


# Any added suppression, with or without a reason, in any file: the marker
# as it suppresses, so that a text showing its form (`ignore[<trigger-id>]`,
# in a starter configuration or a README) is not one.
_RULES = (LineRule('governance', _SUPPRESSION, regex(SUPPRESS_MARKER)),)


TRIGGER = register(
    Trigger(
        'governance',
        'Governance and agent-context files',
        'architecture_decision',
        check,
        line_rules,
        concern='The rules agents and humans follow changed: check they are '
        'consistent with the architecture and do not weaken review, '
        'security or CI gates.',
        information=information,
    )
)
