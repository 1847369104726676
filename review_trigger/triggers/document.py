from __future__ import annotations

from review_trigger.change import Change, Detail, FileChange, Finding
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    considered,
    finding,
    matching,
    register,
)


def _reads_old(f: FileChange, settings: Settings) -> bool:
    """Whether ``_grew`` counts the lines of the old version: the counts
    alone do not settle it."""
    net = f.added_lines - f.deleted_lines
    return (
        net < int(settings['expanded_min_lines'])
        and f.old_blob is not None
        and (net >= settings['growth_min_lines'] or f.added_lines >= int(settings['expanded_min_lines']))
    )


def _grew(change: Change, f: FileChange, settings: Settings) -> bool:
    """Net growth (added minus deleted lines), or a rewrite of most of the
    file: ``+96 -100`` on an existing document is an edit, not an expansion."""
    net = f.added_lines - f.deleted_lines
    if net >= int(settings['expanded_min_lines']):
        return True
    if not _reads_old(f, settings):
        return False
    assert f.old_blob is not None
    grew = net >= settings['growth_min_lines']
    rewrote = f.added_lines >= int(settings['expanded_min_lines'])
    before = change.read_blob(f.old_blob).count(b'\n') or 1
    if grew and net * 100 >= before * int(settings['growth_percent']):
        return True
    # Most of the old text replaced.
    return rewrote and f.deleted_lines * 4 >= before * 3


def check(change: Change, settings: Settings) -> Finding | None:
    docs = matching(change, settings['paths'])
    not_docs = matching(change, settings['not_paths'])
    adr = matching(change, settings['adr_dirs'])
    details = []
    named = adr | docs
    if not named:
        return None
    files = [f for f in considered(change) if f.path in named]
    change.prefetch(
        f.old_blob
        for f in files
        if f.path in docs
        and f.path not in not_docs
        and not (f.is_new or f.binary or f.generated or f.status == 'deleted')
        and _reads_old(f, settings)
    )
    for f in files:
        if f.binary or f.generated or f.status == 'deleted':
            continue
        if f.is_new and f.path in adr:
            details.append(Detail(f.path, f'new decision record, {f.added_lines} lines'))
        elif f.path not in docs or f.path in not_docs:
            continue
        elif f.is_new and f.added_lines >= settings['new_min_lines']:
            details.append(Detail(f.path, f'new document, {f.added_lines} lines'))
        elif not f.is_new and _grew(change, f, settings):
            details.append(
                Detail(
                    f.path,
                    f'document expanded: +{f.added_lines} -{f.deleted_lines} lines',
                )
            )
    return finding('document', 'a document or ADR written or significantly expanded', details)


TRIGGER = register(
    Trigger(
        'document',
        'Document or ADR',
        'adr_writing',
        check,
        concern='Check that the alternatives and trade-offs are real, and that '
        'the document agrees with the code and with earlier decisions.',
    )
)
