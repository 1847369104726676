from __future__ import annotations

from collections.abc import Sequence

from review_trigger.change import Change, Detail, FileChange, Finding
from review_trigger.scan import LineRule
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    considered,
    finding,
    hit_details,
    hits_for,
    matching,
    pattern_rules,
    register,
)


def _dependency_change(change: Change, f: FileChange) -> Detail | None:
    from review_trigger import manifests  # only when a manifest changed

    def deps(sha: str | None, path: str | None) -> manifests.Names:
        if sha is None or path is None:
            return {}
        return manifests.dependencies(path, change.read_blob(sha))

    try:
        before = deps(f.old_blob, f.old_path or f.path)
        after = deps(f.new_blob, f.path)
    except manifests.Unparsable:
        return Detail(f.path, 'dependency manifest changed and could not be parsed')
    # Compared by key, shown as declared (masked, as any text of the change).
    added = [after[k] for k in sorted(after.keys() - before.keys())]
    removed = [before[k] for k in sorted(before.keys() - after.keys())]
    if not added and not removed:
        return None
    parts = []
    if added:
        parts.append(f'{len(added)} added')
    if removed:
        parts.append(f'{len(removed)} removed')
    return Detail(
        f.path,
        f'declared dependencies changed ({", ".join(parts)})',
        tuple([f'+{d}' for d in added] + [f'-{d}' for d in removed]),
    )


_MOVED_IN = frozenset(('added', 'copied', 'renamed'))


def _first_in_new_dirs(change: Change, files: Sequence[FileChange]) -> dict[str, str]:
    """The first file (not a submodule) added, copied or renamed into each
    top-level directory the base commit does not have: path -> directory."""
    tops = {
        f.path.partition('/')[0] for f in files if '/' in f.path and f.status in _MOVED_IN and not f.submodule
    }
    fresh = tops - change.base_top_level() if tops else set()
    first: dict[str, str] = {}
    if fresh:
        for f in files:
            if '/' in f.path and f.status in _MOVED_IN and not f.submodule:
                top = f.path.partition('/')[0]
                if top in fresh:
                    fresh.discard(top)
                    first[f.path] = top
    return first


def check(change: Change, settings: Settings) -> Finding | None:
    infra = matching(change, settings['paths'])
    boundary = matching(change, settings['boundary_files'])
    manifest = matching(change, settings['manifests'])
    files = considered(change)
    first = _first_in_new_dirs(change, files) if settings['new_top_level_dirs'] else {}
    named = boundary | manifest | infra | first.keys()
    details: list[Detail] = []
    # Only the files something above names need a look, in order.
    for f in [
        f for f in files if f.submodule or f.path in named or (f.old_path is not None and f.old_path in infra)
    ]:
        if f.submodule:
            details.append(Detail(f.path, f'submodule {f.status}'))
            continue
        top = first.get(f.path)
        if top is not None:
            details.append(Detail(f.path, 'first file in a new top-level directory', (top + '/',)))
            continue
        if f.generated:
            continue
        if f.status in ('added', 'copied') and f.path in boundary:
            details.append(Detail(f.path, 'new package or module boundary'))
        elif f.path in manifest and not f.binary:
            dep = _dependency_change(change, f)
            if dep:
                details.append(dep)
        elif f.path in infra or f.old_path in infra:
            details.append(
                Detail(
                    f.path,
                    f'infrastructure, deployment or schema definition {f.status}',
                )
            )
    details.extend(hit_details(hits_for(change, 'architecture')))
    return finding('architecture', 'architectural change: new layer, integration or boundary', details)


def line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return pattern_rules(
        'architecture',
        settings['line_patterns'].items(),
        settings['line_pattern_paths'],
    )


TRIGGER = register(
    Trigger(
        'architecture',
        'Architectural change',
        'architecture_decision',
        check,
        line_rules,
        concern='Check consistency with ARCHITECTURE.md and earlier decisions, '
        'and weigh the long-term cost of the new dependency, boundary '
        'or infrastructure.',
    )
)
