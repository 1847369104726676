"""Content rules: scanning one file's added lines for hits.

Each rule is a regex or a word list, owned by a trigger. A file's added
lines are joined and every regex runs over the whole text at once, which
keeps the per-line cost in C rather than in a Python loop.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pathspec

from review_trigger.change import Hit, Suppression
from review_trigger.words import WordSet, find_word, split_words

# `review-trigger: ignore[security] reason` in any comment syntax.
SUPPRESS = re.compile(
    r'review-trigger:\s*ignore\[([a-z0-9][a-z0-9_, -]*)\][ \t]*([^\n]*)',
)
# A file gets at most this many hits per rule: enough to point the reviewer
# at it, bounded for huge files.
MAX_HITS_PER_RULE = 5


class LineRule(NamedTuple):
    trigger: str
    name: str
    pattern: re.Pattern[str] | None = None
    words: WordSet | None = None
    needles: re.Pattern[str] | None = None   # prefilter for ``words``
    paths: pathspec.PathSpec | None = None   # only files matching these


def word_rule(trigger: str, name: str, words: WordSet) -> LineRule:
    needles = re.compile(
        '|'.join(re.escape(n) for n in words.needles) or r'(?!)', re.I,
    )
    return LineRule(trigger, name, words=words, needles=needles)


def _line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


class FileScan(NamedTuple):
    hits: list[Hit]
    suppressions: list[Suppression]
    notes: list[str]


def scan_file(
        path: str, lines: Sequence[tuple[int, str]],
        rules: Iterable[LineRule],
) -> FileScan:
    """Hits of ``rules`` on the added ``lines`` (line number, text) of path."""
    result = FileScan([], [], [])
    if not lines:
        return result
    text = '\n'.join(line for _, line in lines)
    starts = [0]
    for _, line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    suppressed: dict[int, dict[str, str]] = {}
    if 'review-trigger:' in text:
        for m in SUPPRESS.finditer(text):
            idx = _line_of(starts, m.start())
            reason = m[2].strip()
            if not reason:
                result.notes.append(
                    f'{path}:{lines[idx][0]}: a review-trigger suppression '
                    f'without a reason is ignored',
                )
                continue
            for trigger in m[1].split(','):
                suppressed.setdefault(idx, {})[trigger.strip()] = reason

    def add(rule: LineRule, idx: int, name: str) -> bool:
        reason = suppressed.get(idx, {}).get(rule.trigger)
        lineno = lines[idx][0]
        if reason is not None:
            s = Suppression(rule.trigger, path, lineno, reason)
            if s not in result.suppressions:
                result.suppressions.append(s)
            return False
        result.hits.append(Hit(rule.trigger, path, lineno, name))
        return True

    for rule in rules:
        if rule.paths is not None and not rule.paths.match_file(path):
            continue
        count = 0
        last = -1
        if rule.pattern is not None:
            for m in rule.pattern.finditer(text):
                idx = _line_of(starts, m.start())
                if idx == last:
                    continue
                # A match must not span lines: joined lines are not adjacent
                # in the file. Re-check within the line alone.
                if '\n' in m[0] and not rule.pattern.search(lines[idx][1]):
                    continue
                last = idx
                if add(rule, idx, rule.name):
                    count += 1
                    if count >= MAX_HITS_PER_RULE:
                        break
        elif rule.words is not None and rule.needles is not None:
            for m in rule.needles.finditer(text):
                idx = _line_of(starts, m.start())
                if idx == last:
                    continue
                last = idx
                word = find_word(split_words(lines[idx][1]), rule.words)
                if word and add(rule, idx, word):
                    count += 1
                    if count >= MAX_HITS_PER_RULE:
                        break
    return result
