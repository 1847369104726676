"""What a trigger is, and the registry the built-in ones add themselves to.

A trigger is a pure function of the change and its own settings returning a
Finding or None; content rules it owns are handed to the scanner up front so
the diff is read once. Adding a trigger is one module plus one import line
in ``triggers/__init__.py``.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from review_trigger.change import Change, Detail, FileChange, Finding, Hit, Information
from review_trigger.defaults import MANIFESTS, MAX_SCAN_BYTES, NOT_CODE
from review_trigger.paths import ChangedPaths, PathMatcher, all_paths, matcher
from review_trigger.regex import regex
from review_trigger.scan import LineRule
from review_trigger.words import compile_words, find_word, split_words

Settings = Mapping[str, Any]


def _no_rules(settings: Settings) -> tuple[LineRule, ...]:
    return ()


def _no_information(change: Change, settings: Settings) -> tuple[Information, ...]:
    return ()


class Trigger(NamedTuple):
    id: str
    title: str  # for humans: "Security-sensitive code"
    task_type: str  # the routing table's task type
    check: Callable[[Change, Settings], Finding | None]
    line_rules: Callable[[Settings], tuple[LineRule, ...]] = _no_rules
    concern: str = ''  # what the reviewer should look at
    # What the trigger saw and stayed quiet on by design, for the report.
    information: Callable[[Change, Settings], tuple[Information, ...]] = _no_information


REGISTRY: dict[str, Trigger] = {}


def register(trigger: Trigger) -> Trigger:
    assert trigger.id not in REGISTRY, trigger.id
    REGISTRY[trigger.id] = trigger
    return trigger


def spec(patterns: Iterable[str]) -> PathMatcher:
    """A gitignore-style matcher (compiled once per distinct pattern list)."""
    return matcher(patterns)


def changed_paths(change: Change) -> ChangedPaths:
    """The run's index of the change's paths (a new one for a change built
    without it, as tests do)."""
    return change.paths if change.paths is not None else ChangedPaths(all_paths(change.files))


def paths_of(change: Change) -> tuple[str, ...]:
    """Every path of the change, new and old."""
    return change.paths.paths if change.paths is not None else all_paths(change.files)


def matching(change: Change, patterns: Iterable[str]) -> frozenset[str]:
    """The paths of the change (new and old) that match a glob list."""
    return changed_paths(change).select(patterns)


def pattern_rules(
    trigger: str,
    patterns: Iterable[tuple[str, str]],
    paths: Iterable[str] | None = None,
) -> tuple[LineRule, ...]:
    """Content rules from (name, regex) pairs, optionally only for ``paths``."""
    only = None if paths is None else spec(paths)
    return tuple(LineRule(trigger, name, regex(pattern, re.M), paths=only) for name, pattern in patterns)


def considered(change: Change) -> Sequence[FileChange]:
    """The files triggers look at: everything not excluded by config."""
    files = change.files
    if any(f.excluded for f in files):
        files = tuple(f for f in files if not f.excluded)
    return files


def blob_lines(change: Change, blob: str | None) -> list[str] | None:
    """A blob's lines ([] for no blob), or None if it is larger than
    MAX_SCAN_BYTES (too large to read line by line)."""
    if blob is None:
        return []
    data = change.read_blob(blob)
    if len(data) > MAX_SCAN_BYTES:
        return None
    return data.decode('utf-8', 'replace').splitlines()


def line_changes(old: list[str], new: list[str], autojunk: bool = True) -> tuple[list[int], list[int]]:
    """The indexes of the lines of ``old`` and of ``new`` that a line diff
    (not a set difference: a moved line is changed at both ends) says the
    change removed or replaced, and added or replaced."""
    removed: list[int] = []
    added: list[int] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=autojunk).get_opcodes():
        if op != 'equal':
            removed.extend(range(i1, i2))
            added.extend(range(j1, j2))
    return removed, added


def edited_code(
    change: Change, code: Container[str], not_code: Container[str], limit: int
) -> list[FileChange]:
    """The files of ``code`` (not of ``not_code``) that the change edited,
    with both versions to read (modified or renamed, not binary, generated
    or a submodule): at most ``limit`` of them, so that a check reading
    their blobs stays bounded on a huge change."""
    files = [
        f
        for f in considered(change)
        if f.status in ('modified', 'renamed')
        and f.old_blob is not None
        and f.new_blob is not None
        and not (f.binary or f.generated or f.submodule)
        and f.path not in not_code
        and f.path in code
    ][:limit]
    change.prefetch(sha for f in files for sha in (f.new_blob, f.old_blob))
    return files


def path_word_details(
    change: Change,
    words: Iterable[str],
    what: str,
    veto: Callable[[list[str], str], bool] | None = None,
) -> list[Detail]:
    """A detail for each considered, non-generated code file whose path (or
    old path, for a rename or copy) has one of ``words`` (word-aware:
    ``AUTHORS`` is not ``auth``). Documents, translations and manifests
    do not count (``defaults.NOT_CODE``, ``defaults.MANIFESTS``); nor does a
    word ``veto(path_words, word)`` rejects."""
    wordset = compile_words(words)
    # Every word of a path is part of the lower-cased path, so a path
    # holding none of the words a match can start with is not split.
    index = changed_paths(change)
    paths = index.paths
    text, offsets = index.joined()
    found = index.candidates((wordset,))
    if found is not None:
        candidates = {paths[i] for i in found}
    elif len(text.lower()) == len(text):
        # Each start looked for with str.find (a regex of them all tried
        # every one at every offset: 0.2 s for the synthetic change's
        # 22,000 paths), from the path after the last that held it.
        folded = text.lower()
        candidates = set()
        for needle in wordset.needles:
            at = folded.find(needle)
            while at >= 0:
                i = bisect.bisect_right(offsets, at) - 1
                candidates.add(paths[i])
                if i + 1 >= len(paths):
                    break
                at = folded.find(needle, offsets[i + 1])
    else:  # lower-casing changed lengths: look at each path
        candidates = {p for p in paths if any(n in p.lower() for n in wordset.needles)}
    if not candidates:
        return []
    not_code = index.select((*NOT_CODE, *MANIFESTS))
    details = []
    for f in considered(change):
        if f.generated:
            continue
        for path, which in ((f.path, ''), (f.old_path, ', old path')):
            if path is None or path not in candidates or path in not_code:
                continue
            split = split_words(path)
            word = find_word(split, wordset)
            if word and not (veto is not None and veto(split, word)):
                details.append(
                    Detail(
                        f.path,
                        f'path names {what} ("{word}"{which}), {f.status}',
                    )
                )
                break
    return details


def removed_lines(change: Change, f: FileChange, max_bytes: int) -> list[tuple[int, str]]:
    """The lines of ``f``'s old version that its new version no longer has
    (line number in the old version, text): what a change deleted, read
    from the two blobs. Empty for a file too large to read."""
    if f.old_blob is None or f.binary or f.submodule:
        return []
    old = change.read_blob(f.old_blob)
    if len(old) > max_bytes:
        return []
    new = change.read_blob(f.new_blob) if f.new_blob is not None else b''
    kept = set(new.decode('utf-8', 'replace').splitlines()) if new else set()
    return [
        (n, line)
        for n, line in enumerate(old.decode('utf-8', 'replace').splitlines(), 1)
        if line not in kept and line.strip()
    ]


def hits_for(change: Change, trigger: str) -> list[Hit]:
    return [h for h in change.hits if h.trigger == trigger]


def hit_details(hits: Sequence[Hit], weak: Iterable[str] = ()) -> list[Detail]:
    """One detail per file: its first hits' lines and every rule they
    matched. A ``weak`` rule's hit on a line another rule hit too is left
    out: the other one says more."""
    weak = frozenset(weak)
    if weak:
        strong = {(h.path, h.line) for h in hits if h.rule not in weak}
        hits = [h for h in hits if h.rule not in weak or (h.path, h.line) not in strong]
    by_path: dict[str, list[Hit]] = {}
    for h in hits:
        by_path.setdefault(h.path, []).append(h)
    details = []
    for path, file_hits in by_path.items():
        rules = ', '.join(dict.fromkeys(h.rule for h in file_hits))
        numbers = list(dict.fromkeys(h.line for h in file_hits))
        lines = ', '.join(str(n) for n in numbers[:5])
        more = '' if len(numbers) <= 5 else ', ...'
        details.append(Detail(path, f'added line {lines}{more}: {rules}'))
    return details


def finding(trigger: str, reason: str, details: Iterable[Detail]) -> Finding | None:
    """A Finding if there are details, one per file (a file's reasons joined)."""
    by_path: dict[str, Detail] = {}
    for d in details:
        seen = by_path.get(d.path)
        by_path[d.path] = (
            d
            if seen is None
            else Detail(
                d.path,
                f'{seen.why}; {d.why}',
                seen.items + d.items,
            )
        )
    return Finding(trigger, reason, tuple(by_path.values())) if by_path else None
