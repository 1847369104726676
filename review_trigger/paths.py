"""Matching paths against gitignore-style glob lists.

pathspec translates each glob into a regex; matching a path against a list
of N globs with pathspec tries N regexes one by one. Every trigger checks
every changed file against several lists, which on a 20,000-file change
was most of the run time, so a list is compiled here into (at most) two
combined regexes that git's paths are matched against in one call each.
A list with a negation (``!``) keeps pathspec's own last-match-wins loop.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pathspec

from review_trigger.words import WordSet

# Paths matched one by one below this many, and with RE2 from that many.
BULK_AFTER = 32
RE2_AFTER = 1000
# pathspec's translation of a glob that may match below any directory.
_ANYWHERE = '^(?:.+/)?'
_GROUP = re.compile(r'\(\?P<[A-Za-z_]\w*>')


def _pattern_class() -> Any:
    """pathspec's gitignore pattern class (its name moved in pathspec 1.0)."""
    try:
        from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern
        return GitIgnoreSpecPattern
    except ImportError:     # pathspec < 1.0
        from pathspec.patterns.gitwildmatch import GitWildMatchPattern
        return GitWildMatchPattern


class PathMatcher:
    """A compiled gitignore-style glob list: ``match_file(path) -> bool``."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        # pathspec's translation of each glob into a regex (not compiled:
        # they are compiled here, joined).
        translate = _pattern_class().pattern_to_regex
        translated = [translate(p) for p in patterns]
        compiled = [(regex, include) for regex, include in translated if include is not None]
        self._fallback = any(not include for _, include in compiled)
        self._spec: Any = None
        anywhere, anchored = [], []
        for regex, _ in compiled:
            # Named groups would clash once the regexes are joined.
            source = _GROUP.sub('(?:', regex)
            if source.startswith(_ANYWHERE):
                anywhere.append(source[len(_ANYWHERE):])
            else:
                anchored.append(source.removeprefix('^'))
        self._sources = (anchored, anywhere)
        # "At the start, or right after a slash": the same as pathspec's
        # optional leading "any directories/" prefix, without backtracking.
        self._anywhere = re.compile(
            '(?:^|(?<=/))(?:' + '|'.join(anywhere) + ')',
        ) if anywhere else None
        self._anchored = re.compile(
            '(?:' + '|'.join(anchored) + ')',
        ) if anchored else None
        self._joined: list[re.Pattern[str]] | None = None

    def match_file(self, path: str) -> bool:
        if self._fallback:
            if self._spec is None:
                # A negation: pathspec's own last-match-wins loop.
                self._spec = pathspec.GitIgnoreSpec.from_lines(self.patterns)
            return bool(self._spec.match_file(path))
        return bool(
            (self._anchored is not None and self._anchored.match(path))
            or (self._anywhere is not None and self._anywhere.search(path)),
        )

    def _many(self) -> list[re.Pattern[str]]:
        """The regexes for paths joined with newlines (``select``)."""
        if self._joined is None:
            anchored, anywhere = self._sources
            self._joined = [re.compile(source, re.M) for source in (
                '^(?:' + '|'.join(anchored) + ')' if anchored else None,
                '(?:^|(?<=/))(?:' + '|'.join(anywhere) + ')' if anywhere else None,
            ) if source is not None]
        return self._joined

    def prepare(self) -> None:
        """Compile now what ``select`` on many paths will need."""
        if not self._fallback:
            _prefilter_for(tuple(self._many()))

    def select(self, paths: Sequence[str]) -> frozenset[str]:
        """The ``paths`` that ``match_file`` accepts.

        Many paths are searched at once, joined with newlines: a path that
        matches alone matches there too (``^`` and ``$`` see the newlines
        as its ends), so each search finds the next path that may match,
        which ``match_file`` then decides. With RE2 installed, one pass
        finds the paths that may match (``prefilter``).
        """
        if self._fallback or len(paths) < BULK_AFTER:
            return frozenset(p for p in paths if self.match_file(p))
        text, starts = joined(paths)
        found = candidates(self._many(), paths, text)
        if found is not None:
            return frozenset(paths[i] for i in found if self.match_file(paths[i]))
        out = set()
        last = len(paths) - 1
        for regex in self._many():
            pos = 0
            while (m := regex.search(text, pos)) is not None:
                i = bisect.bisect_right(starts, m.start()) - 1
                if self.match_file(paths[i]):
                    out.add(paths[i])
                if i >= last:
                    break
                pos = starts[i + 1]
        return frozenset(out)

    def __repr__(self) -> str:
        return f'PathMatcher({list(self.patterns)!r})'


_JOINED: list[tuple[Sequence[str], str, list[int]]] = []


def candidates(rules: Sequence[re.Pattern[str] | WordSet], paths: Sequence[str],
               text: str) -> list[int] | None:
    """The indexes of the ``paths`` (joined as ``text``) that any of
    ``rules`` may match, found with RE2; None without it, or for fewer
    than RE2_AFTER paths."""
    if len(paths) < RE2_AFTER or text.count('\n') != len(paths) - 1:
        return None         # a path with a newline in it
    from review_trigger import prefilter
    pre = _prefilter_for(tuple(rules))
    if pre is None:
        return None
    data = _encoded(text)
    out = []
    index = last = 0
    for start in prefilter.candidate_lines(pre, data):
        index += data.count(b'\n', last, start)
        last = start
        out.append(index)
    return out


_PREFILTERS: dict[tuple[re.Pattern[str] | WordSet, ...], Any] = {}


def _prefilter_for(rules: tuple[re.Pattern[str] | WordSet, ...]) -> Any:
    """The RE2 prefilter covering all ``rules`` (built once), or None."""
    if rules not in _PREFILTERS:
        from review_trigger import prefilter
        if len(_PREFILTERS) > 64:
            _PREFILTERS.clear()
        pre = prefilter.build(list(rules))
        _PREFILTERS[rules] = pre if pre is not None and all(pre.covered) else None
    return _PREFILTERS[rules]


_ENCODED: list[tuple[str, bytes]] = []


def _encoded(text: str) -> bytes:
    if not (_ENCODED and _ENCODED[0][0] is text):
        _ENCODED[:] = [(text, text.encode('utf-8', 'surrogateescape'))]
    return _ENCODED[0][1]


def prepare_words(words: Iterable[str]) -> None:
    """Compile now what ``candidates`` will need for this word list."""
    from review_trigger.words import compile_words
    _prefilter_for((compile_words(words),))


def joined(paths: Sequence[str]) -> tuple[str, list[int]]:
    """``paths`` joined with newlines, and where each starts (the last
    list joined is remembered: every trigger asks for the same one)."""
    if _JOINED and _JOINED[0][0] is paths:
        return _JOINED[0][1], _JOINED[0][2]
    starts = []
    at = 0
    for p in paths:
        starts.append(at)
        at += len(p) + 1
    text = '\n'.join(paths)
    _JOINED[:] = [(paths, text, starts)]
    return text, starts


@functools.lru_cache(maxsize=128)
def _matcher(patterns: tuple[str, ...]) -> PathMatcher:
    return PathMatcher(patterns)


def matcher(patterns: Iterable[str]) -> PathMatcher:
    """The compiled matcher for ``patterns`` (compiled once per list)."""
    return _matcher(tuple(patterns))
