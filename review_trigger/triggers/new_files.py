from __future__ import annotations

from review_trigger.change import Change, Detail, Finding
from review_trigger.triggers._base import Settings, Trigger, considered, register

_NEW = frozenset(('added', 'copied'))


def check(change: Change, settings: Settings) -> Finding | None:
    limit = settings['more_than']
    new = [f for f in considered(change) if f.status in _NEW]
    if len(new) <= limit:
        return None
    return Finding(
        'new-files',
        f'{len(new):,} new files (more than {limit:,})',
        tuple(
            [
                Detail(f.path, 'new file', ())
                if f.old_path is None
                else Detail(f.path, 'copied from', (f.old_path,))
                for f in new
            ]
        ),
    )


TRIGGER = register(
    Trigger(
        'new-files',
        'Many new files',
        'code_review_logic',
        check,
        concern='Check that the new files fit the existing structure, are all needed, and are tested.',
    )
)
