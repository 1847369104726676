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
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

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


# -- pathspec's translations, remembered between runs -------------------------
#
# Importing pathspec takes longer than the rest of a hook's start-up, and a
# repository's globs rarely change. So each glob's translation (a regex
# source and whether it includes or excludes) is kept in a file in the git
# directory, for the pathspec installed (its file's size and time): pathspec
# is imported only when a glob is new to that file.

_TRANSLATED: dict[str, tuple[str | None, bool | None]] = {}
_STORE: list[str] = []          # [path, pathspec's stamp] once use_store ran
_NEW: list[bool] = [False]      # translations the store does not have yet


def _pathspec_stamp() -> str | None:
    import importlib.util
    try:
        spec = importlib.util.find_spec('pathspec')
        origin = spec.origin if spec is not None else None
        if origin is None:
            return None
        st = os.stat(origin)
    except (ImportError, OSError, ValueError):
        return None
    return f'{origin}:{st.st_size}:{st.st_mtime_ns}'


def use_store(directory: str) -> None:
    """Read (and later write, ``save_store``) remembered translations in
    ``directory``."""
    import json
    stamp = _pathspec_stamp()
    if stamp is None:
        return
    path = os.path.join(directory, 'globs.json')
    _STORE[:] = [path, stamp]
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError):
        return
    if not isinstance(data, dict) or data.get('pathspec') != stamp or \
            not isinstance(data.get('globs'), dict):
        return
    for glob, value in data['globs'].items():
        if isinstance(glob, str) and isinstance(value, list) and len(value) == 2 and \
                (value[0] is None or isinstance(value[0], str)) and \
                (value[1] is None or isinstance(value[1], bool)):
            _TRANSLATED.setdefault(glob, (value[0], value[1]))


def save_store() -> None:
    """Write the translations if some are new (a read-only git directory
    only costs speed)."""
    if not (_STORE and _NEW[0]):
        return
    import json

    from review_trigger.errors import UserError
    from review_trigger.output import write_atomic
    path, stamp = _STORE
    try:
        write_atomic(path, json.dumps({'pathspec': stamp, 'globs': _TRANSLATED}))
    except UserError:
        return
    _NEW[0] = False


def _translate(glob: str) -> tuple[str | None, bool | None]:
    """pathspec's regex for ``glob``, and whether it includes (None: a
    comment or blank line)."""
    found = _TRANSLATED.get(glob)
    if found is None:
        regex, include = _pattern_class().pattern_to_regex(glob)
        found = _TRANSLATED[glob] = (regex, include)
        _NEW[0] = True
    return found


class PathMatcher:
    """A compiled gitignore-style glob list: ``match_file(path) -> bool``."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        # pathspec's translation of each glob into a regex (not compiled:
        # they are compiled here, joined).
        translated = [_translate(p) for p in patterns]
        compiled = [(regex, include) for regex, include in translated
                    if include is not None and regex is not None]
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
        self._memo: tuple[Sequence[str], frozenset[str]] | None = None   # the last select

    def match_file(self, path: str) -> bool:
        if self._fallback:
            if self._spec is None:
                # A negation: pathspec's own last-match-wins loop.
                import pathspec
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

    def select(self, paths: Sequence[str]) -> frozenset[str]:
        """The ``paths`` that ``match_file`` accepts.

        Many paths are searched at once, joined with newlines: a path that
        matches alone matches there too (``^`` and ``$`` see the newlines
        as its ends), so each search finds the next path that may match,
        which ``match_file`` then decides. With RE2 installed, one pass
        finds the paths that may match (``prefilter``).
        """
        memo = self._memo
        if memo is not None and (memo[0] is paths or memo[0] == paths):
            return memo[1]
        found = self._select(paths)
        self._memo = (paths, found)
        return found

    def _select(self, paths: Sequence[str]) -> frozenset[str]:
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
    key = tuple(rules)
    memo = _CANDIDATES.get(key)
    if memo is not None and (memo[0] is paths or memo[0] == paths):
        return memo[1]
    from review_trigger import prefilter
    pre = _prefilter_for(key)
    if pre is None:
        return None
    data = _encoded(text)
    out = []
    index = last = 0
    for start in prefilter.candidate_lines(pre, data):
        index += data.count(b'\n', last, start)
        last = start
        out.append(index)
    if len(_CANDIDATES) > 64:
        _CANDIDATES.clear()
    _CANDIDATES[key] = (paths, out)
    return out


# The last candidates found for each rule list, with the paths they are of.
_CANDIDATES: dict[tuple[re.Pattern[str] | WordSet, ...], tuple[Sequence[str], list[int]]] = {}


def all_paths(files: Sequence[Any]) -> tuple[str, ...]:
    """The paths of changed files (``FileChange``), then their old paths."""
    return (*(f.path for f in files), *(f.old_path for f in files if f.old_path is not None))


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


def prepare_words(words: Iterable[str], paths: Sequence[str]) -> None:
    """Find now the ``paths`` that may hold a word of the list (what
    ``candidates`` will be asked)."""
    from review_trigger.words import compile_words
    candidates([compile_words(words)], paths, joined(paths)[0])


def joined(paths: Sequence[str]) -> tuple[str, list[int]]:
    """``paths`` joined with newlines, and where each starts (the last
    list joined is remembered: every trigger asks for the same one)."""
    if _JOINED and (_JOINED[0][0] is paths or _JOINED[0][0] == paths):
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
