from __future__ import annotations

from typing import Any

from review_trigger.change import Change, Detail, FileChange, Finding
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    considered,
    finding,
    matching,
    register,
)


def _tool_table(blob: bytes) -> Any:
    import tomllib  # only when pyproject.toml changed
    try:
        return tomllib.loads(blob.decode()).get('tool', {}).get('review-trigger')
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return '<unparsable>'


def _pyproject_config_changed(change: Change, f: FileChange) -> bool:
    def table(sha: str | None) -> Any:
        return None if sha is None else _tool_table(change.read_blob(sha))
    return bool(table(f.old_blob) != table(f.new_blob))


def check(change: Change, settings: Settings) -> Finding | None:
    paths = matching(change, settings['paths'])
    details = []
    for f in considered(change):
        if f.path in paths or f.old_path in paths:
            details.append(Detail(f.path, f'governance or agent-context file {f.status}'))
        elif f.path == 'pyproject.toml' and not f.binary and \
                _pyproject_config_changed(change, f):
            details.append(Detail(f.path, 'review-trigger configuration changed'))
    return finding(
        'governance', 'governance or agent-context files modified', details,
    )


TRIGGER = register(Trigger(
    'governance', 'Governance and agent-context files', 'architecture_decision',
    check,
    concern='The rules agents and humans follow changed: check they are '
            'consistent with the architecture and do not weaken review, '
            'security or CI gates.',
))
