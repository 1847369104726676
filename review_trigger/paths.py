"""Matching paths against gitignore-style glob lists.

pathspec translates each glob into a regex; matching a path against a list
of N globs with pathspec tries N regexes one by one. Every trigger checks
every changed file against several lists, which on a 20,000-file change
was most of the run time, so a list is compiled here into (at most) two
combined regexes that git's paths are matched against in one call each.
A list with a negation (``!``) keeps pathspec's own last-match-wins loop.

What a run learns about its paths (the joined text, which paths each list
selects) lives on that run's ``ChangedPaths``; nothing here remembers a
run once it is over, but for ``functools`` caches of pure functions.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from review_trigger.memo import Memo
from review_trigger.words import WordSet

# Below this many paths, matching each path alone is quicker than joining
# them and searching the joined text (measured on the default lists). A
# list of plain globs is matched by components at any size: compiling the
# default lists' regexes was a seventh of a hook's run on ten files.
BULK_AFTER = 32
# From this many paths the joined text is searched with RE2 (one pass for
# a whole list) instead of Python's re: below it, building the RE2 regex
# costs more than it saves.
RE2_AFTER = 1000
# pathspec's translation of a glob that may match below any directory.
_ANYWHERE = '^(?:.+/)?'
_GROUP = re.compile(r'\(\?P<[A-Za-z_]\w*>')

Translation = tuple[str | None, bool | None]


def _pattern_class() -> Any:
    """pathspec's gitignore pattern class (its name moved in pathspec 1.0)."""
    try:
        from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

        return GitIgnoreSpecPattern
    except ImportError:  # pathspec < 1.0
        from pathspec.patterns.gitwildmatch import GitWildMatchPattern

        return GitWildMatchPattern


@functools.cache
def translate(glob: str) -> Translation:
    """pathspec's regex for ``glob``, and whether it includes (None: a
    comment or blank line). Pure: pathspec does not change in a process."""
    regex, include = _pattern_class().pattern_to_regex(glob)
    return regex, include


# -- pathspec's translations, remembered between runs -------------------------
#
# Importing pathspec takes longer than the rest of a hook's start-up, and a
# repository's globs rarely change. So each glob's translation (a regex
# source and whether it includes or excludes) is kept in a file in the git
# directory, for the pathspec installed (its file's size and time): pathspec
# is imported only when a glob is new to that file.


def _pathspec_stamp() -> str | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec('pathspec')
        origin = spec.origin if spec is not None else None
        if origin is None:
            return None
        origin = os.path.realpath(origin)  # the file, whatever link leads to it
        st = os.stat(origin)
    except (ImportError, OSError, ValueError):
        return None
    return f'{origin}:{st.st_size}:{st.st_mtime_ns}'


class Globs:
    """One run's glob translations: those remembered in ``directory`` (if
    any), and those translated during the run (``save`` writes them), and
    the matchers compiled from them."""

    def __init__(self, directory: str | None = None) -> None:
        # What the run works out from its rules, remembered beside them.
        self.memo = Memo(directory)
        self._known: dict[str, Translation] = {}
        self._new = False
        self._matchers: dict[tuple[str, ...], PathMatcher] = {}
        self._path: str | None = None
        self._stamp: str | None = None
        if directory is not None:
            self._load(directory)

    def _load(self, directory: str) -> None:
        from review_trigger.files import read_own_json

        stamp = _pathspec_stamp()
        if stamp is None:
            return
        self._path = os.path.join(directory, 'globs.json')
        self._stamp = stamp
        data = read_own_json(self._path)  # None: translated anew
        if (
            not isinstance(data, dict)
            or data.get('pathspec') != stamp
            or not isinstance(data.get('globs'), dict)
        ):
            return
        for glob, value in data['globs'].items():
            if (
                isinstance(glob, str)
                and isinstance(value, list)
                and len(value) == 2
                and (value[0] is None or isinstance(value[0], str))
                and (value[1] is None or isinstance(value[1], bool))
            ):
                self._known.setdefault(glob, (value[0], value[1]))

    def translate(self, glob: str) -> Translation:
        found = self._known.get(glob)
        if found is None:
            found = self._known[glob] = translate(glob)
            self._new = True
        return found

    def matcher(self, patterns: Iterable[str]) -> PathMatcher:
        """The matcher for ``patterns``, compiled once in this run."""
        key = tuple(patterns)
        found = self._matchers.get(key)
        if found is None:
            found = self._matchers[key] = PathMatcher(key, self.translate)
        return found

    def save(self) -> None:
        """Write the translations if some are new (a read-only git directory
        only costs speed), and the run's ``memo``."""
        self.memo.save()
        if not (self._new and self._path is not None):
            return
        import json

        from review_trigger.errors import UserError
        from review_trigger.output import write_atomic

        try:
            write_atomic(self._path, json.dumps({'pathspec': self._stamp, 'globs': self._known}))
        except UserError:
            return
        self._new = False


class PathMatcher:
    """A compiled gitignore-style glob list: ``match_file(path) -> bool``.

    Compiled when first used, with ``translate`` (a run's ``Globs``, or
    pathspec itself), so that building one costs nothing.
    """

    def __init__(
        self, patterns: tuple[str, ...], translate: Callable[[str], Translation] = translate
    ) -> None:
        self.patterns = patterns
        self._translate = translate
        self._compiled = False
        self._sources: tuple[list[str], list[str]] | None = None
        self._fallback = False
        self._shape: Any = _UNSET

    def _sources_of(self) -> tuple[list[str], list[str]]:
        """pathspec's regexes for the list, in two parts: those anchored at
        the path's start, and those that may match below any directory
        (without that prefix). Sets ``_fallback`` for a list with a negation."""
        if self._sources is None:
            translated = [self._translate(p) for p in self.patterns]
            compiled = [
                (regex, include) for regex, include in translated if include is not None and regex is not None
            ]
            self._fallback = any(not include for _, include in compiled)
            anywhere, anchored = [], []
            for regex, _ in compiled:
                # Named groups would clash once the regexes are joined.
                source = _GROUP.sub('(?:', regex)
                if source.startswith(_ANYWHERE):
                    anywhere.append(source[len(_ANYWHERE) :])
                else:
                    anchored.append(source.removeprefix('^'))
            self._sources = (anchored, anywhere)
        return self._sources

    def _compile(self) -> None:
        anchored, anywhere = self._sources_of()
        self._spec: Any = None
        # "At the start, or right after a slash": the same as pathspec's
        # optional leading "any directories/" prefix, without backtracking.
        self._anywhere = (
            re.compile(
                '(?:^|(?<=/))(?:' + '|'.join(anywhere) + ')',
            )
            if anywhere
            else None
        )
        self._anchored = (
            re.compile(
                '(?:' + '|'.join(anchored) + ')',
            )
            if anchored
            else None
        )
        self._joined: list[re.Pattern[str]] | None = None
        self._compiled = True

    def match_file(self, path: str) -> bool:
        if not self._compiled:
            self._compile()
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
        if not self._compiled:
            self._compile()
        if self._joined is None:
            anchored, anywhere = self._sources_of()
            self._joined = [
                re.compile(source, re.M)
                for source in (
                    '^(?:' + '|'.join(anchored) + ')' if anchored else None,
                    '(?:^|(?<=/))(?:' + '|'.join(anywhere) + ')' if anywhere else None,
                )
                if source is not None
            ]
        return self._joined

    def select(self, paths: Sequence[str] | ChangedPaths) -> frozenset[str]:
        """The ``paths`` that ``match_file`` accepts.

        A list of plain globs is matched by the paths' components
        (``Shapes``). Other lists search many paths at once, joined with
        newlines: a path that
        matches alone matches there too (``^`` and ``$`` see the newlines
        as its ends), so each search finds the next path that may match,
        which ``match_file`` then decides. With RE2 installed, one pass
        finds the paths that may match (``prefilter``).
        """
        index = paths if isinstance(paths, ChangedPaths) else ChangedPaths(tuple(paths))
        self._sources_of()
        every = index.paths
        shapes = None if self._fallback else self._shapes()
        if shapes is not None and index.unindexed() and _only_rooted(shapes):
            # Paths from a folder only (``docs/adr/``), of paths not indexed
            # yet (a head's listing): a pass of startswith, not an index
            # (22,000 paths: 2 ms against 20).
            return _rooted(every, shapes)
        if shapes is not None:
            found_paths = index.components()
            if found_paths is not None:
                return frozenset(every[i] for i in found_paths.select(shapes))
        if self._fallback or len(every) < BULK_AFTER:
            return frozenset(p for p in every if self.match_file(p))
        text, starts = index.joined()
        found = index.candidates(tuple(self._many()))
        if found is not None:
            return frozenset(every[i] for i in found if self.match_file(every[i]))
        out = set()
        last = len(every) - 1
        for regex in self._many():
            pos = 0
            while (m := regex.search(text, pos)) is not None:
                i = bisect.bisect_right(starts, m.start()) - 1
                if self.match_file(every[i]):
                    out.add(every[i])
                if i >= last:
                    break
                pos = starts[i + 1]
        return frozenset(out)

    def _shapes(self) -> Shapes | None:
        """The list as plain shapes of path components (``shapes_of``), or
        None if a glob has another shape."""
        if self._shape is _UNSET:
            anchored, anywhere = self._sources_of()
            self._shape = shapes_of(tuple(anchored), tuple(anywhere))
        return self._shape  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f'PathMatcher({list(self.patterns)!r})'


_UNSET: Any = object()


# -- plain globs, matched by their path components ------------------------------
#
# Most globs are a name (``Dockerfile``, ``.github/``), an extension or other
# affix of a name (``*.md``, ``test_*.py``, ``LICENSE*``) or a path from the
# root (``docs/adr/``). A list of only those is matched without a regex: each
# run indexes its paths' components once, and a list's paths are then set
# lookups. Read off pathspec's own regex for each glob, so the meaning is
# pathspec's. Measured (CPU) on the synthetic change's 22,002 paths: the
# default lists took 0.07 s to select this way, 0.16 s with an exact RE2
# search of the joined paths and 0.96 s with Python's regexes (without
# RE2); on fastapi's 3,509 paths, 0.012 s against 0.08 s with RE2. Every
# default list is plain; a list of another shape is searched joined.

# The ends pathspec gives a glob's regex (its named group already made a
# plain one): the name ends there (a file, or a directory above more), or
# a directory goes on.
_END = '(?:(?:/)|$)'
_DIR = '(?:/)'
_STAR = '[^/]*'


class Shapes(NamedTuple):
    names: frozenset[str]  # a component equal to one, at any depth
    dirs: frozenset[str]  # a directory (a component with more below) equal to one
    # A component made of these parts with anything between (``*.md`` is
    # ('', '.md')), at any depth; and, below a path from the root, its
    # next component (``requirements/*.txt``).
    affixes: tuple[tuple[str, ...], ...]
    rooted_affixes: tuple[tuple[str, tuple[str, ...]], ...]
    anchored: tuple[str, ...]  # the path itself, or a path below it
    under: tuple[str, ...]  # a path below it


# A pure function of the regexes, and its answer immutable: remembered for
# the process, so a process that analyses many changes (an in-process
# caller, the tests) works out each list's shapes once (2.5 ms a run for
# the default lists).
@functools.cache
def shapes_of(anchored: tuple[str, ...], anywhere: tuple[str, ...]) -> Shapes | None:
    """A list's regexes (``PathMatcher._sources_of``) as ``Shapes``, or None
    if one of them is not a plain shape."""
    names: set[str] = set()
    dirs: set[str] = set()
    affixes: set[tuple[str, ...]] = set()
    rooted_affixes: set[tuple[str, tuple[str, ...]]] = set()
    rooted: set[str] = set()
    under: set[str] = set()
    for source, anywhere_ in [*((a, False) for a in anchored), *((w, True) for w in anywhere)]:
        if source.endswith(_END):
            body, end = source[: -len(_END)], 'end'
        elif source.endswith(_DIR):
            body, end = source[: -len(_DIR)], 'dir'
        else:
            body, end = source, 'raw'
        found = [_literal(part) for part in body.split(_STAR)]
        if any(part is None for part in found):
            return None
        parts = tuple(p for p in found if p is not None)
        if len(parts) > 1:
            # A name with stars: it ends there, below any directory or
            # right below one path from the root.
            head, _, first = parts[0].rpartition('/')
            if end != 'end' or any('/' in p for p in parts[1:]) or (anywhere_ and head):
                return None
            if anywhere_:
                affixes.add(parts)
            elif not head or head.startswith('/') or '//' in head:
                return None
            else:
                rooted_affixes.add((head, (first, *parts[1:])))
            continue
        path = parts[0]
        if end == 'raw':
            if not path.endswith('/'):
                return None
            path, end = path[:-1], 'dir'
        if not path or path.startswith('/') or path.endswith('/') or '//' in path:
            return None
        if anywhere_:
            if '/' in path:
                return None
            (names if end == 'end' else dirs).add(path)
        else:
            (rooted if end == 'end' else under).add(path)
    return Shapes(
        frozenset(names),
        frozenset(dirs),
        tuple(sorted(affixes)),
        tuple(sorted(rooted_affixes)),
        tuple(sorted(rooted)),
        tuple(sorted(under)),
    )


def _fits(name: str, parts: tuple[str, ...]) -> bool:
    """Whether ``name`` is ``parts`` with anything but '/' between them
    (the parts hold no '/'; a glob's ``*``, leftmost first)."""
    first, last = parts[0], parts[-1]
    pos, end = len(first), len(name) - len(last)
    if end < pos or '/' in name or not (name.startswith(first) and name.endswith(last)):
        return False
    for part in parts[1:-1]:
        at = name.find(part, pos, end)
        if at < 0:
            return False
        pos = at + len(part)
    return True


_ESCAPED = frozenset('\\.^$*+?{}[]|()')


def _literal(source: str) -> str | None:
    """The text a regex of only ``re.escape``d characters matches, or None."""
    out = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == '\\':
            if i + 1 >= len(source) or source[i + 1].isalnum():
                return None  # \d, \b...: a class or an anchor, not a character
            out.append(source[i + 1])
            i += 2
            continue
        if ch in _ESCAPED or ch == '\n':
            return None
        out.append(ch)
        i += 1
    return ''.join(out)


class Components:
    """A run's paths by their components: the paths whose file has each
    name, and the paths below each directory name; the other views
    (names sorted for a name's start, by extension for its end, the paths
    sorted for a path's start) are made when a list first needs them."""

    def __init__(self, paths: Sequence[str]) -> None:
        # A file name is most often one path's: its index alone, a list only
        # for a name that recurs (measured on 200,000 new files: lists for
        # all took 60 MB more at the peak).
        files: dict[str, int | list[int]] = {}
        above: dict[str, list[int]] = {}
        for i, path in enumerate(paths):
            *folders, name = path.split('/')
            known = files.get(name)
            if known is None:
                files[name] = i
            elif isinstance(known, int):
                files[name] = [known, i]
            else:
                known.append(i)
            for folder in folders:
                above.setdefault(folder, []).append(i)
        self._paths = paths
        self._files = files
        self._above = above

    def _of(self, name: str) -> list[int]:
        """The indexes of the paths whose file is called ``name``."""
        found = self._files.get(name)
        return [] if found is None else [found] if isinstance(found, int) else found

    def select(self, shapes: Shapes) -> set[int]:
        """The indexes of the paths that the shapes match."""
        out: set[int] = set()
        for name in shapes.names:
            out.update(self._of(name))
            out.update(self._above.get(name, ()))
        for name in shapes.dirs:
            out.update(self._above.get(name, ()))
        for parts in shapes.affixes:
            for name in self._affixed(parts):
                out.update(self._of(name))
                out.update(self._above.get(name, ()))
        for head, parts in shapes.rooted_affixes:
            cut = len(head) + 1
            out.update(i for i in self._below(head) if _fits(self._paths[i][cut:].partition('/')[0], parts))
        for path in shapes.anchored:
            out.update(self._equal(path))
            out.update(self._below(path))
        for path in shapes.under:
            out.update(self._below(path))
        return out

    def _affixed(self, parts: tuple[str, ...]) -> list[str]:
        """The names (of files and directories) made of ``parts``."""
        first, last = parts[0], parts[-1]
        if len(parts) == 2 and not first and '.' in last:
            # A suffix such as '.md' or '_test.go': names of its extension.
            ext = last.rpartition('.')[2]
            names = self._by_extension.get(ext, [])
            return names if last == '.' + ext else [n for n in names if n.endswith(last)]
        names = self._starting(first) if first else self._names
        # The longest part, looked for at C speed, leaves few to fit.
        longest = max(parts, key=len)
        return [n for n in names if longest in n and _fits(n, parts)]

    @functools.cached_property
    def _names(self) -> list[str]:
        return sorted({*self._files, *self._above})

    @functools.cached_property
    def _by_extension(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name in self._names:
            if '.' in name:
                out.setdefault(name.rpartition('.')[2], []).append(name)
        return out

    @functools.cached_property
    def _sorted(self) -> tuple[list[str], list[int]]:
        order = sorted(range(len(self._paths)), key=self._paths.__getitem__)
        return [self._paths[i] for i in order], order

    def _equal(self, path: str) -> list[int]:
        """The indexes of the paths equal to ``path``."""
        ordered, order = self._sorted
        lo = bisect.bisect_left(ordered, path)
        hi = lo
        while hi < len(ordered) and ordered[hi] == path:
            hi += 1
        return order[lo:hi]

    def _below(self, path: str) -> list[int]:
        """The indexes of the paths below ``path``."""
        ordered, order = self._sorted
        lo, hi = _span(ordered, path + '/')
        return order[lo:hi]

    def _starting(self, pre: str) -> list[str]:
        lo, hi = _span(self._names, pre)
        return self._names[lo:hi]


def _only_rooted(shapes: Shapes) -> bool:
    return not (shapes.names or shapes.dirs or shapes.affixes or shapes.rooted_affixes)


def _rooted(paths: Sequence[str], shapes: Shapes) -> frozenset[str]:
    """The ``paths`` that shapes of only ``anchored`` and ``under`` paths
    match (``Components.select`` of them, without the index)."""
    below = tuple(p + '/' for p in (*shapes.anchored, *shapes.under))
    equal = frozenset(shapes.anchored)
    return frozenset(p for p in paths if p.startswith(below) or p in equal) if below else frozenset()


def _span(ordered: list[str], start: str) -> tuple[int, int]:
    """Where the strings starting with ``start`` are in ``ordered``."""
    lo = bisect.bisect_left(ordered, start)
    hi = lo
    while hi < len(ordered) and ordered[hi].startswith(start):
        hi += 1
    return lo, hi


class ChangedPaths:
    """The paths of one run's change (new, then old), with what the run
    found out about them: their joined text, the paths each glob list
    selects and the candidates each RE2 prefilter finds. One per run:
    every trigger asks of the same paths."""

    def __init__(self, paths: tuple[str, ...], globs: Globs | None = None) -> None:
        self.paths = paths
        self.globs = globs if globs is not None else Globs()
        self._joined: tuple[str, list[int]] | None = None
        self._encoded: tuple[bytes, bool] | None = None
        self._selected: dict[tuple[str, ...], frozenset[str]] = {}
        self._candidates: dict[tuple[re.Pattern[str] | WordSet, ...], list[int] | None] = {}
        self._components: Any = _UNSET

    @functools.cached_property
    def known(self) -> frozenset[str]:
        """The paths, as a set."""
        return frozenset(self.paths)

    def joined(self) -> tuple[str, list[int]]:
        """The paths joined with newlines, and where each starts."""
        if self._joined is None:
            self._joined = joined(self.paths)
        return self._joined

    def select(self, patterns: Iterable[str]) -> frozenset[str]:
        """The paths a glob list matches."""
        key = tuple(patterns)
        found = self._selected.get(key)
        if found is None:
            found = self._selected[key] = self.globs.matcher(key).select(self)
        return found

    def unindexed(self) -> bool:
        """Whether the paths have no ``components`` yet and can have them
        (no path holds a newline)."""
        return self._components is _UNSET and not any('\n' in p for p in self.paths)

    def components(self) -> Components | None:
        """The paths by their components (built once), or None if a path
        holds a newline (then the joined search decides, as pathspec's
        regex reads a newline at a path's end)."""
        if self._components is _UNSET:
            self._components = None if any('\n' in p for p in self.paths) else Components(self.paths)
        return self._components  # type: ignore[no-any-return]

    def encoded(self) -> tuple[bytes, bool] | None:
        """The joined paths as UTF-8 (``prefilter.encode``), or None if a
        path holds a newline (then the lines are not the paths)."""
        if self._encoded is None:
            from review_trigger import prefilter

            text, _ = self.joined()
            if text.count('\n') != len(self.paths) - 1:
                return None
            self._encoded = prefilter.encode(text)
        return self._encoded

    def candidates(self, rules: tuple[re.Pattern[str] | WordSet, ...]) -> list[int] | None:
        """The indexes of the paths that any of ``rules`` may match, found
        with RE2; None without it, or for fewer than RE2_AFTER paths."""
        if rules not in self._candidates:
            self._candidates[rules] = self._find(rules)
        return self._candidates[rules]

    def _find(self, rules: tuple[re.Pattern[str] | WordSet, ...]) -> list[int] | None:
        text, _ = self.joined()
        if len(self.paths) < RE2_AFTER or text.count('\n') != len(self.paths) - 1:
            return None  # a path with a newline in it
        pre = _prefilter_for(rules)
        if pre is None:
            return None
        from review_trigger import prefilter

        encoded = self.encoded()
        if encoded is None:  # pragma: no cover  (checked above)
            return None
        data, exact = encoded
        out = []
        index = last = 0
        for start in prefilter.candidate_lines(pre, data):
            index += data.count(b'\n', last, start)
            last = start
            out.append(index)
        if not exact:
            # Paths that are not UTF-8 (RE2 saw '?' for their odd bytes):
            # every rule may match them.
            odd = [i for i, p in enumerate(self.paths) if prefilter.SURROGATE.search(p)]
            out = sorted({*out, *odd})
        return out


def all_paths(files: Sequence[Any]) -> tuple[str, ...]:
    """The paths of changed files (``FileChange``), then their old paths."""
    return (*(f.path for f in files), *(f.old_path for f in files if f.old_path is not None))


@functools.lru_cache(maxsize=64)
def _prefilter_for(rules: tuple[re.Pattern[str] | WordSet, ...]) -> Any:
    """The RE2 prefilter covering all ``rules``, or None (a pure function of
    compiled regexes and word sets)."""
    from review_trigger import prefilter

    pre = prefilter.build(list(rules), union=True)
    return pre if pre is not None and all(pre.covered) else None


def joined(paths: Sequence[str]) -> tuple[str, list[int]]:
    """``paths`` joined with newlines, and where each starts."""
    starts = []
    at = 0
    for p in paths:
        starts.append(at)
        at += len(p) + 1
    return '\n'.join(paths), starts


@functools.lru_cache(maxsize=128)
def _matcher(patterns: tuple[str, ...]) -> PathMatcher:
    return PathMatcher(patterns)


def matcher(patterns: Iterable[str]) -> PathMatcher:
    """The matcher for ``patterns``, translated by pathspec (outside a run)."""
    return _matcher(tuple(patterns))
