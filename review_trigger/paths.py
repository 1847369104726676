"""Matching paths against gitignore-style glob lists.

pathspec translates each glob into a regex; matching a path against a list
of N globs with pathspec tries N regexes one by one. Every trigger checks
every changed file against several lists, which on a 20,000-file change
was most of the run time, so a list is compiled here into (at most) two
combined regexes that git's paths are matched against in one call each.
A list with a negation (``!``) keeps pathspec's own last-match-wins loop.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import pathspec

# pathspec's translation of a glob that may match below any directory.
_ANYWHERE = '^(?:.+/)?'
_GROUP = re.compile(r'\(\?P<[A-Za-z_]\w*>')


class PathMatcher:
    """A compiled gitignore-style glob list: ``match_file(path) -> bool``."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        self._spec = pathspec.GitIgnoreSpec.from_lines(patterns)
        compiled = [p for p in self._spec.patterns if p.include is not None]
        self._fallback = any(not p.include for p in compiled)
        anywhere, anchored = [], []
        for p in compiled:
            assert p.regex is not None
            # Named groups would clash once the regexes are joined.
            source = _GROUP.sub('(?:', p.regex.pattern)
            if source.startswith(_ANYWHERE):
                anywhere.append(source[len(_ANYWHERE):])
            else:
                anchored.append(source.removeprefix('^'))
        # "At the start, or right after a slash": the same as pathspec's
        # optional leading "any directories/" prefix, without backtracking.
        self._anywhere = re.compile(
            '(?:^|(?<=/))(?:' + '|'.join(anywhere) + ')',
        ) if anywhere else None
        self._anchored = re.compile(
            '(?:' + '|'.join(anchored) + ')',
        ) if anchored else None

    def match_file(self, path: str) -> bool:
        if self._fallback:
            return bool(self._spec.match_file(path))
        return bool(
            (self._anchored is not None and self._anchored.match(path))
            or (self._anywhere is not None and self._anywhere.search(path)),
        )

    def __repr__(self) -> str:
        return f'PathMatcher({list(self.patterns)!r})'


@functools.lru_cache(maxsize=128)
def _matcher(patterns: tuple[str, ...]) -> PathMatcher:
    return PathMatcher(patterns)


def matcher(patterns: Iterable[str]) -> PathMatcher:
    """The compiled matcher for ``patterns`` (compiled once per list)."""
    return _matcher(tuple(patterns))
