"""Word-aware matching: paths and identifiers are split into lower-case words.

``src/auth/login.py`` -> ``src auth login py``; ``userPermissions.ts`` ->
``user permissions ts``; ``HTTPServer`` -> ``http server``. Matching whole
words is what keeps ``AUTHORS`` and ``tokenizer.py`` from looking like
``auth`` and ``token``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

_IDENT = re.compile(r'[A-Za-z0-9]+')
_CAMEL = re.compile(r'[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+[a-z]*')


def split_words(text: str) -> list[str]:
    """Split on anything not alphanumeric, then on camelCase humps. A run
    that looks random (base64, a hash, a key) gives no words: ``CVV`` or
    ``bic`` inside ``...N9SsnZCvV...`` is not a word of the text."""
    if text.lower() == text:
        # No capitals: every run is one lower-case word.
        return [w for w in _IDENT.findall(text) if not _random_lower(w)]
    words: list[str] = []
    for run in _IDENT.findall(text):
        words.extend(run_words(run, False))
    return words


def words_from(text: str, at: int) -> Iterator[list[str]]:
    """The words of each run of ``text`` from offset ``at`` on (a run's
    start), run by run: ``split_words(text)``, from there."""
    lower_text = text.lower() == text
    for m in _IDENT.finditer(text, at):
        yield run_words(m.group(), lower_text)


def run_words(run: str, lower_text: bool) -> list[str]:
    """The words ``split_words`` takes from one run of ASCII letters and
    digits of a text, where ``lower_text`` says the text has no capitals."""
    if lower_text:
        return [] if _random_lower(run) else [run]
    if run.islower() or run.isupper() or run.isdigit():
        return [] if _random_lower(run) or _random_upper(run) else [run.lower()]
    humps = _CAMEL.findall(run)
    return [] if _random_mixed(run, humps) else [w.lower() for w in humps]


# Thresholds for "random": long enough that a real identifier rarely
# qualifies, and mixing what names do not mix.
_RANDOM_MIN = 16


def _random_lower(run: str) -> bool:
    # A lower-case hex or base32 run with digits spread through it.
    return len(run) >= _RANDOM_MIN and sum(c.isdigit() for c in run) >= 4 and _digit_groups(run) >= 3


def _random_upper(run: str) -> bool:
    return len(run) >= _RANDOM_MIN and _digit_groups(run) >= 3


def _random_mixed(run: str, humps: list[str]) -> bool:
    # camelCase names have humps of several letters; base64 has many
    # one- and two-letter humps and digits among them.
    if len(run) < _RANDOM_MIN:
        return False
    short = sum(1 for h in humps if len(h) <= 2)
    return short * 2 >= len(humps) and len(humps) >= 5


def _digit_groups(run: str) -> int:
    groups = 0
    in_digits = False
    for c in run:
        if c.isdigit() and not in_digits:
            groups += 1
        in_digits = c.isdigit()
    return groups


class WordSet(NamedTuple):
    """A compiled word list: single words and multi-word phrases."""

    single: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    # Lower-case substrings one of which a text must contain to match at all.
    # Checking these first keeps the per-line cost low.
    needles: tuple[str, ...]


def compile_words(entries: Iterable[str]) -> WordSet:
    single: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    for entry in entries:
        words = tuple(split_words(entry))
        if len(words) == 1:
            single.add(words[0])
        elif words:
            phrases.add(words)
    needles = {w for w in single} | {p[0] for p in phrases}
    return WordSet(frozenset(single), tuple(sorted(phrases)), tuple(sorted(needles)))


def find_word(words: list[str], wordset: WordSet) -> str | None:
    """The first entry of ``wordset`` found in ``words``, or None."""
    single = wordset.single
    firsts = _phrases_by_first(wordset)
    for i, word in enumerate(words):
        if word in single or word in firsts or (word.endswith('s') and word[:-1] in single):
            found = entry_at(words, i, wordset)
            if found is not None:
                return found
    return None


def entry_at(words: list[str], i: int, wordset: WordSet) -> str | None:
    """The entry of ``wordset`` that starts at ``words[i]``, if one does
    (the first a word list's order gives)."""
    word = words[i]
    if word in wordset.single:
        return word
    if word.endswith('s') and word[:-1] in wordset.single:
        return word[:-1]
    for phrase in _phrases_by_first(wordset).get(word, ()):
        n = len(phrase)
        if len(words) - i >= n and words[i + 1 : i + n - 1] == list(phrase[1:-1]):
            last = words[i + n - 1]
            if last == phrase[-1] or (last.endswith('s') and last[:-1] == phrase[-1]):
                return ' '.join(phrase)
    return None


# A pure function of an immutable word set: cached for the process.
@functools.lru_cache(maxsize=64)
def _phrases_by_first(wordset: WordSet) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases of a word set by their first word, in their sorted order."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in wordset.phrases:
        by_first.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(ps) for first, ps in by_first.items()}
