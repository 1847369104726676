"""Content rules: scanning files' added lines for hits.

Each rule is a regex or a word list, owned by a trigger. A rule hits an
added line when it matches within that line alone (a regex's ``search``,
a word list's ``find_word``); a file gets at most ``MAX_HITS_PER_RULE``
hits per rule, the first ones.

Checking every line against every rule in Python would be slow, so the
lines worth checking (*candidates*) of each rule are found first, in C,
in the text of the files it looks at (``Rules.profile``):

- with RE2 installed, RE2 sets say which rules match in the files' text
  at all, and those find the lines they may match (``prefilter``);
- otherwise, and for a rule RE2 cannot stand in for, a regex's candidates
  are the lines holding one of each of a few sets of its *necessary
  literals* (strings one of which each of its matches contains), found
  with ``str.find`` where the batch's vocabulary (its distinct runs of
  letters and digits) says they may be; a regex without any runs over the
  files' joined lines; and each word list looks only at lines holding a
  word that can start an entry.

A candidate is then checked line by line with the rule itself, so the
hits are the same whichever way the candidates were found.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, AnyStr, NamedTuple

from review_trigger import prefilter
from review_trigger.change import Hit, Suppression
from review_trigger.paths import Globs
from review_trigger.regex import Regex, Source, regex
from review_trigger.words import WordSet, entry_at, find_word, run_words, split_words, words_from

if TYPE_CHECKING:
    from review_trigger.memo import Memo
    from review_trigger.paths import ChangedPaths, PathMatcher

# `review-trigger: ignore[security] reason` in any comment syntax.
# A suppression marker, its trigger ids (the governance trigger's rule too).
SUPPRESS_MARKER = r'review-trigger:\s*ignore\[([a-z0-9][a-z0-9_, -]*)\]'
SUPPRESS = re.compile(SUPPRESS_MARKER + r'[ \t]*([^\n]*)')
# A file gets at most this many hits per rule: enough to point the reviewer
# at it, bounded for huge files.
MAX_HITS_PER_RULE = 5


class LineRule(NamedTuple):
    trigger: str
    name: str
    pattern: Regex | None = None
    words: WordSet | None = None
    needles: Regex | None = None  # prefilter for ``words``
    paths: PathMatcher | None = None  # only files matching these
    not_paths: PathMatcher | None = None  # and none matching these
    # A line this also matches is not a hit: a placeholder value
    # (``password = "changeme"``), a safe form (``yaml.load(s, Loader=SafeLoader)``).
    unless: Regex | None = None
    # A secret shape: also run on vendored and generated-by-name files.
    secret: bool = False
    # Whether a hit on line ``i`` (from 0) of the file's whole text counts,
    # for a rule only the lines around a hit can decide (which block of a
    # workflow a line is in); applied with the file at hand (``in_context``).
    context: Callable[[Sequence[str], int], bool] | None = None


def in_context(
    hits: Iterable[Hit], rules: Iterable[LineRule], lines_of: Callable[[str], Sequence[str] | None]
) -> list[Hit]:
    """``hits`` without those their rule's ``context`` refuses, read with
    ``lines_of(path)``, the file's lines (None: it could not be read, and
    the hit stays)."""
    contexts = {(r.trigger, r.name): r.context for r in rules if r.context is not None}
    hits = list(hits)
    if not contexts:
        return hits
    read: dict[str, Sequence[str] | None] = {}
    out = []
    for h in hits:
        context = contexts.get((h.trigger, h.rule))
        if context is not None:
            if h.path not in read:
                read[h.path] = lines_of(h.path)
            lines = read[h.path]
            if lines is not None and 0 < h.line <= len(lines) and not context(lines, h.line - 1):
                continue
        out.append(h)
    return out


def _needles_source(words: WordSet) -> str:
    return '|'.join(re.escape(n) for n in words.needles) or r'(?!)'


def word_rule(
    trigger: str,
    name: str,
    words: WordSet,
    not_paths: PathMatcher | None = None,
    unless: Regex | None = None,
) -> LineRule:
    needles = regex(_needles_source(words), re.I)
    return LineRule(trigger, name, words=words, needles=needles, not_paths=not_paths, unless=unless)


class Rules:
    """One run's content rules, and what the run learns scanning with them:
    their RE2 prefilter (built once), the words seen by each word list,
    their path lists compiled with the run's glob translations, and which
    of them look at each path (``profile``)."""

    def __init__(
        self,
        rules: Sequence[LineRule],
        globs: Globs | None = None,
        changed: ChangedPaths | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.globs = globs if globs is not None else Globs()
        # The run's index of the changed paths: a path list is then matched
        # against all of them at once (``profile``).
        self.changed = changed
        self._prefilter: list[prefilter.Prefilter | None] = []
        self._runs: dict[int, _Runs] = {}
        self._sets: dict[int, tuple[frozenset[bytes], ...]] = {}
        self._profiles: dict[int, tuple[int, ...]] = {}  # by the bits of the lists that match
        self._masks: dict[str, int] | None = None  # each changed path's bits (``profile``)
        self._keys = [(_patterns(r.paths), _patterns(r.not_paths)) for r in self.rules]
        self._distinct = sorted({k for key in self._keys for k in key if k is not None})

    def prefilter(self) -> prefilter.Prefilter | None:
        """The RE2 prefilter of the rules (None without RE2)."""
        if not self._prefilter:
            self._prefilter.append(
                prefilter.build(
                    [
                        r.pattern
                        if r.pattern is not None
                        else r.words
                        if r.words is not None and _fast_words(r, _needles_source(r.words))
                        else re.compile('')  # anything else: searched with Python's re
                        for r in self.rules
                    ],
                    self._keys,
                    literals=self._literals,
                    superset_of=self._superset,
                )
            )
        return self._prefilter[0]

    def aligned_superset(self, r: int) -> Any:
        """Rule ``r``'s superset compiled by RE2, if the run built its
        prefilter and the rule's matches start where its superset's do
        (``prefilter.aligned``); else None."""
        pattern = self.rules[r].pattern
        pre = self._prefilter[0] if self._prefilter else None
        if pre is None or pattern is None or not prefilter.aligned(pattern):
            return None
        return prefilter.superset_regex(pre, r)

    def _superset(self, pattern: Source) -> str | None:
        """``prefilter.checked_superset``, as the run's memo remembers it."""
        return self.globs.memo.get(
            'checked-superset',
            _key(pattern),
            lambda: prefilter.checked_superset(pattern),
            prefilter.__file__,
            lambda v: v is None or isinstance(v, str),
        )

    def _literals(self, r: int) -> frozenset[bytes] | None:
        """Strings one of which every line rule ``r`` matches holds, in any
        case (the best of ``literal_sets``), or None."""
        sets = self.literal_sets(r)
        return sets[0] if sets else None

    def literal_sets(self, r: int) -> tuple[frozenset[bytes], ...]:
        """``_literal_sets`` of regex rule ``r`` (() for a word list), as
        the run's memo remembers them."""
        pattern = self.rules[r].pattern
        if pattern is None:
            return ()
        found = self._sets.get(r)
        if found is None:
            found = self._sets[r] = remembered_literal_sets(self.globs.memo, pattern)
        return found

    def runs(self, words: WordSet) -> _Runs:
        """The run's memo of the word list's runs (``_word_candidates``)."""
        found = self._runs.get(id(words))
        if found is None or found.words is not words:
            found = self._runs[id(words)] = _new_runs(words)
        return found

    def profile(self, path: str) -> tuple[int, ...]:
        """The indexes of the rules that look at ``path``. The rules share a
        few path lists: each list is matched once per run (against every
        changed path at once, with the run's index), each changed path
        gets the set of lists that match it as one number (a bit a list),
        and paths the lists treat alike share one answer."""
        if self.changed is not None and path in self.changed.known:
            if self._masks is None:
                self._masks = _masks([self.changed.select(k) for k in self._distinct])
            seen = self._masks.get(path, 0)
        else:
            seen = sum(
                1 << bit for bit, k in enumerate(self._distinct) if self.globs.matcher(k).match_file(path)
            )
        found = self._profiles.get(seen)
        if found is None:
            matched = {k: bool(seen >> bit & 1) for bit, k in enumerate(self._distinct)}
            found = self._profiles[seen] = tuple(
                r
                for r, (only, never) in enumerate(self._keys)
                if (only is None or matched[only]) and (never is None or not matched[never])
            )
        return found


def _masks(selected: Sequence[Collection[str]]) -> dict[str, int]:
    """For each path some of ``selected`` hold: the bits of those that
    hold it (bit ``i`` for ``selected[i]``). A walk over each list's
    paths, not a question to each list for each path: most paths of a
    large change are in few of the lists."""
    out: dict[str, int] = {}
    get = out.get
    for bit, paths in enumerate(selected):
        flag = 1 << bit
        for p in paths:
            out[p] = get(p, 0) | flag
    return out


def remembered_literal_sets(memo: Memo, pattern: Source) -> tuple[frozenset[bytes], ...]:
    """``_literal_sets(pattern)``, as ``memo`` remembers them."""

    def compute() -> list[list[str]]:
        return [sorted(x.decode('latin-1') for x in one) for one in _literal_sets(pattern)]

    answer = memo.get('literal-sets', _key(pattern), compute, __file__, _literal_lists)
    return tuple(frozenset(x.encode('latin-1') for x in one) for one in answer)


def _literal_lists(answer: Any) -> bool:
    """Whether a remembered answer of ``literal_sets`` has its shape: lists
    of strings of bytes (each character one byte, as latin-1 decodes)."""
    return isinstance(answer, list) and all(
        isinstance(one, list) and all(isinstance(x, str) and _BYTES.fullmatch(x) for x in one)
        for one in answer
    )


_BYTES = re.compile('[\x00-\xff]*')


def _key(pattern: Source) -> str:
    return f'{int(pattern.flags)}:{pattern.pattern}'


def _patterns(matcher: PathMatcher | None) -> tuple[str, ...] | None:
    return matcher.patterns if matcher is not None else None


def _rules(rules: Sequence[LineRule] | Rules) -> Rules:
    return rules if isinstance(rules, Rules) else Rules(rules)


class FileScan(NamedTuple):
    hits: list[Hit]
    suppressions: list[Suppression]
    notes: list[str]


class _Text:
    """Line indexes of offsets in a joined text, found by counting
    newlines from the last query (queries mostly come in order)."""

    __slots__ = ('text', '_off', '_idx')

    def __init__(self, text: str) -> None:
        self.text = text
        self._off = 0
        self._idx = 0

    def index(self, offset: int) -> int:
        """The index of the line that holds ``offset``."""
        if offset < self._off:
            self._off = self._idx = 0
        self._idx += self.text.count('\n', self._off, offset)
        self._off = offset
        return self._idx


def scan_file(
    path: str,
    lines: Sequence[tuple[int, str]],
    rules: Sequence[LineRule] | Rules,
) -> FileScan:
    """Hits of ``rules`` on the added ``lines`` (line number, text) of path."""
    return scan_files([(path, lines)], rules)[0]


@functools.lru_cache(maxsize=512)
def _regex_literals(pattern: Source) -> tuple[frozenset[bytes], bool] | None:
    """The rule's best set of necessary literals (``_literal_sets``), and
    whether it ignores case."""
    sets = _literal_sets(pattern)
    return (sets[0], bool(pattern.flags & re.IGNORECASE)) if sets else None


# Besides its best set, a regex's candidates are looked for with up to this
# many more, of up to _FEW_EXTRA literals each (``_literal_sets``).
_EXTRA_SETS = 3
_FEW_EXTRA = 40


@functools.lru_cache(maxsize=512)
def _literal_sets(pattern: Source) -> tuple[frozenset[bytes], ...]:
    """Sets of lower-cased literals every match holds one of each of: the
    best first (``_necessary_literals``), then a few others from other
    parts of it (``^\\s*(from|import)\\s+(jwt|ssl|...)``: ``from`` or
    ``import``, and ``jwt`` or ``ssl``...). A line is a candidate if it
    holds one of each: the best set alone made every line with ``import``
    one (60,000 lines of the synthetic change), where most batches hold
    none of the second set at all. () if none."""
    # re._parser: RE2 cannot say what a Python regex needs (it is why the
    # rule is here), and the parse tree can.
    seen: list[set[str]] = []
    try:
        parser = importlib.import_module('re._parser')
        items = list(parser.parse(pattern.pattern, pattern.flags).data)
        # A class extends a literal only when nothing else is found: it
        # multiplies the strings to look for.
        literals = _necessary_literals(parser, items, seen=seen)
        if literals is None:
            seen.clear()
            literals = _necessary_literals(parser, items, wide=True, seen=seen)
    except Exception:  # pragma: no cover  (a private module changed: every line is a candidate)
        return ()
    if literals is None:
        return ()
    out = [_shortest(literals)]
    few = {frozenset(c.lower() for c in cand) for cand in seen if len(cand) <= _FEW_EXTRA}
    for cand in sorted((_shortest(set(c)) for c in few if min(map(len, c)) >= 3), key=_score, reverse=True):
        if len(out) > _EXTRA_SETS:
            break
        # A set every string of a kept one holds one of adds nothing.
        if not any(all(any(c in k for c in cand) for k in kept) for kept in out):
            out.append(cand)
    if any('\n' in lit for kept in out for lit in kept):
        return ()
    return tuple(frozenset(lit.encode() for lit in kept) for kept in out)


def _shortest(literals: set[str]) -> set[str]:
    # A line holding a literal that holds another holds that one: only
    # the shortest are looked for (``log`` for ``logger`` and ``logging``).
    # One held by a dropped one is held by one kept: only those are tried.
    kept: list[str] = []
    for s in sorted(literals, key=len):
        if not any(t in s for t in kept):
            kept.append(s)
    return set(kept)


def _score(literals: set[str]) -> tuple[int, int]:
    return min(map(len, literals)), -len(literals)


def _line_count(lines: Sequence[tuple[int, str]]) -> int | None:
    """How many lines ``_text_of(lines)`` has, if ``lines`` knows (a
    git.AddedLines counts them as it is built); None: count them."""
    return len(lines) if lines and callable(getattr(lines, 'lineno', None)) else None


def _text_of(lines: Sequence[tuple[int, str]]) -> str:
    # A git.AddedLines holds the joined text and numbers its lines itself.
    joined = getattr(lines, 'text', None)
    return joined if isinstance(joined, str) else '\n'.join(line for _, line in lines)


# Candidates of one file: line indexes by rule index, and under _MARKED
# the lines holding a suppression comment.
_MARKED = -1
_Candidates = dict[int, set[int]]

# A candidate line longer than this (an ASCII one) is checked only where
# its rule's superset matches start (``prefilter.search_long``): Python's
# search of a line is quick up to a few kilobytes.
LONG_LINE = 2048

# A suppression comment must be seen even on lines no rule matches.
MARKER = 'review-trigger:'

# Below this much text (a hook's change: a few files) building the RE2
# prefilter (tens of milliseconds) costs more than it saves.
BATCH_AFTER = 64 * 1024

# Below this much text (a commit of a few small files) a rule without
# necessary literals has every line as a candidate (``_small``): checking
# them all takes a few milliseconds, while telling whether its matches can
# run across lines (``_python_candidates``) parses it first.
EVERY_LINE_BELOW = 8 * 1024


def scan_files(
    files: Sequence[tuple[str, Sequence[tuple[int, str]]]],
    rules: Sequence[LineRule] | Rules,
) -> list[FileScan]:
    """``scan_file(path, lines, rules)`` for each file, with the
    candidates of many files found at once: the files that the same rules
    look at (``Rules.profile``) are searched together, for those rules."""
    if not files:
        return []
    run = _rules(rules)
    # The lines as the patch has them, when the diff reader gave them so
    # and they are valid UTF-8: RE2 searches them as they are, and a file's
    # text is made only if a rule is to be checked in it (``texts``).
    patches = [_patch_of(lines) for _, lines in files]
    texts: list[str | None] = [
        _text_of(lines) if patch is None else None for (_, lines), patch in zip(files, patches, strict=True)
    ]

    def text(i: int) -> str:
        t = texts[i]
        if t is None:
            t = texts[i] = _text_of(files[i][1])
        return t

    size = sum(len(p) if p is not None else len(text(i)) for i, p in enumerate(patches))
    found: list[_Candidates] = [{} for _ in files]
    # The text of candidate lines the prefilter read as they are (see
    # ``_prefiltered``), by file: a file none of whose candidates are
    # elsewhere is not split into lines at all.
    known: list[dict[int, str]] = [{} for _ in files]
    for i, patch in enumerate(patches):
        marked = (
            _lines_holding(patch, _MARKER_BYTES, b'\n')
            if patch is not None
            else _lines_holding(text(i), MARKER, '\n')
        )
        if marked:
            found[i][_MARKED] = marked
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, (path, lines) in enumerate(files):
        if lines:
            groups.setdefault(run.profile(path), []).append(i)
    pre = run.prefilter() if size >= BATCH_AFTER else None
    for profile, members in groups.items():
        if not profile:
            continue
        mine = [found[i] for i in members]
        read = [known[i] for i in members]
        counts = [_line_count(files[i][1]) for i in members]
        joined: list[_Joined] = []

        def joined_text(
            members: list[int] = members, counts: list[int | None] = counts, joined: list[_Joined] = joined
        ) -> _Joined:
            # The group's texts joined: made only when a rule needs them.
            if not joined:
                joined.append(_joined([text(i) for i in members], counts))
            return joined[0]

        if size < EVERY_LINE_BELOW:
            _small(profile, run, [text(i) for i in members], joined_text(), mine)
            continue
        python_rules = list(profile)
        if pre is not None:
            group = [patches[i] for i in members]
            if all(p is not None for p in group):
                data, exact, plus = b''.join(p for p in group if p is not None), True, True
                firsts = _firsts(counts)
                offsets = _firsts([len(p or b'') for p in group])
            else:
                whole = joined_text()
                data, exact = prefilter.encode(whole.text)
                plus, firsts, offsets = False, whole.firsts, None
            _prefiltered(pre, profile, data, firsts, mine, exact, plus, joined_text, read, offsets)
            python_rules = [r for r in profile if not pre.covered[r]]
        if python_rules:
            part = [text(i) for i in members]
            for r in python_rules:
                _python_candidates(r, run, part, joined_text(), mine)
    out = []
    for i, ((path, lines), cands, lines_read) in enumerate(zip(files, found, known, strict=True)):
        if cands and lines:
            out.append(_check(path, lines, texts[i], run, cands, lines_read))
        else:
            out.append(FileScan([], [], []))
    return out


_MARKER_BYTES = MARKER.encode()


def _lines_holding(text: AnyStr, needle: AnyStr, newline: AnyStr) -> set[int]:
    """The indexes of the lines of ``text`` that hold ``needle`` (the patch
    form's or the text's: a line of each is a line of the other)."""
    lines: set[int] = set()
    line = last = 0
    at = text.find(needle)
    while at >= 0:
        line += text.count(newline, last, at)
        last = at
        lines.add(line)
        at = text.find(needle, at + 1)
    return lines


def _patch_of(lines: Sequence[tuple[int, str]]) -> bytes | None:
    """The lines as the patch has them (git.AddedLines.patch), if valid UTF-8."""
    patch: bytes | None = getattr(lines, 'patch', None)
    return patch if patch is not None and getattr(lines, 'exact', False) else None


def _firsts(counts: Sequence[int | None]) -> list[int]:
    """The index of each file's first line, from their line counts (or
    where each file's bytes start, from their lengths)."""
    firsts = []
    line = 0
    for count in counts:
        firsts.append(line)
        line += count or 0
    return firsts


def _small(
    profile: tuple[int, ...], run: Rules, texts: list[str], joined: _Joined, found: list[_Candidates]
) -> None:
    """Mark, in ``found``, the candidate lines of the rules of ``profile``
    in a small change's ``texts``: a regex's lines holding its necessary
    literals (``_literal_lines``), else every line. Searching a few
    kilobytes costs little; what costs is compiling the rules (``regex``)
    and finding their literals, both of which this leaves to the ones the
    change may hold: the literals are remembered by the run's memo."""
    every: list[set[int]] = []
    for r in profile:
        if run.rules[r].pattern is not None and _literal_lines(r, run, joined, found):
            continue
        if not every:
            every.extend(set(range(text.count('\n') + 1)) for text in texts)
        for i, lines in enumerate(every):
            found[i].setdefault(r, set()).update(lines)


def _prefiltered(
    pre: prefilter.Prefilter,
    profile: tuple[int, ...],
    data: bytes,
    firsts: list[int],
    found: list[_Candidates],
    exact: bool,
    plus: bool,
    joined: Callable[[], _Joined],
    known: list[dict[int, str]] | None = None,
    offsets: list[int] | None = None,
) -> None:
    """Mark, in ``found``, the candidate lines the prefilter finds for the
    rules of ``profile`` in ``data``: the files' lines as UTF-8, one after
    another (``firsts``: the index of each file's first line; ``offsets``,
    if given: where each file's bytes start), each with
    the patch's '+' in front if ``plus`` (a superset that matches in a
    line matches in it with one character more in front). ``exact``: the
    UTF-8 is exactly the text (no lone surrogate replaced). Then each
    candidate line's text is also put in ``known`` (by file, by line): the
    line's UTF-8 decoded, exactly the text's line."""
    wanted = frozenset(profile)
    starts = sorted(
        (start, r) for r, offsets in prefilter.lines(pre, data, wanted).items() for start in offsets
    )
    line = 0
    last = 0
    skip = 1 if plus else 0
    now = -1
    for start, r in starts:
        if offsets is not None:
            # Lines counted from the start of the file the candidate is in
            # (or its last candidate): files without one are not counted
            # through (on fastapi's range, most of the text).
            i = bisect.bisect_right(offsets, start) - 1
            if i != now:
                now, last, line = i, offsets[i], 0
            line += data.count(b'\n', last, start)
            last = start
            k = line
        else:
            line += data.count(b'\n', last, start)
            last = start
            i = bisect.bisect_right(firsts, line) - 1
            k = line - firsts[i]
        found[i].setdefault(r, set()).add(k)
        if exact and known is not None and k not in known[i]:
            end = data.find(b'\n', start)
            known[i][k] = data[start + skip : end if end >= 0 else len(data)].decode('utf-8')
    if not exact:
        # Lines RE2 saw with '?' for a lone surrogate: Python's re checks them.
        text = joined().text
        where = _Text(text)
        covered = [r for r in profile if pre.covered[r]]
        for m in prefilter.SURROGATE.finditer(text):
            line = where.index(m.start())
            i = bisect.bisect_right(firsts, line) - 1
            for r in covered:
                found[i].setdefault(r, set()).add(line - firsts[i])


class _Joined(NamedTuple):
    text: str  # the files' texts joined with newlines
    starts: list[int]  # where each file's text starts in it
    firsts: list[int]  # the index in it of each file's first line
    folded: list[str]  # ``_folded(text)`` once a rule needs it
    found: dict[bytes, list[int]]  # each literal looked for: the lines holding it
    runs: list[_Words]  # ``_words(text)`` once a rule needs them
    vocabulary: list[bytes]  # ``_vocabulary(text)`` once a rule needs it
    # Whether the vocabulary holds each needle asked about: rules share
    # them (half of the 19,000 asked in a batch of the synthetic change).
    held: dict[bytes, bool]


def _joined(texts: list[str], counts: Sequence[int | None] | None = None) -> _Joined:
    """``texts`` joined by newlines, with where each starts; ``counts``,
    if given, are their numbers of lines (None: count them)."""
    joined = '\n'.join(texts)
    starts = []
    firsts = []
    at = line = 0
    for text, count in zip(texts, counts or [None] * len(texts), strict=True):
        starts.append(at)
        firsts.append(line)
        at += len(text) + 1
        line += text.count('\n') + 1 if count is None else count
    return _Joined(joined, starts, firsts, [], {}, [], [], {})


# The non-ASCII characters Python's re matches, under re.IGNORECASE, for an
# ASCII letter (prefilter._FOLDS), mapped to it: after this, lower-casing
# puts every character a literal matches in any case as the literal.
_FOLD = str.maketrans({'\u017f': 's', '\u0131': 'i', '\u0130': 'i', '\u212a': 'k'})


def _fold(text: str) -> str:
    """``text.translate(_FOLD)``, one C pass per character mapped: a
    translation with a dict goes through Python's mapping once per
    character of a non-ASCII text (1.1 s for the 13 MB of fastapi's
    batches that are not ASCII, 0.02 s this way)."""
    for ch, to in _FOLD.items():
        text = text.replace(chr(ch), str(to))
    return text


def fold_lower(text: str) -> str:
    """``text`` lower-cased as necessary literals are: the characters
    Python's re matches for an ASCII letter under re.IGNORECASE (the long
    s, the dotless i) folded to it first."""
    return text.lower() if text.isascii() else _fold(text).lower()


def _folded(joined: _Joined) -> str:
    """The joined text lower-cased, every character where it was ('' if
    lower-casing moved any: a character that lower-cases to two)."""
    if not joined.folded:
        text = joined.text
        low = fold_lower(text)
        joined.folded.append(low if len(low) == len(text) else '')
    return joined.folded[0]


def _literal_lines(r: int, run: Rules, joined: _Joined, found: list[_Candidates]) -> bool:
    """Mark, in ``found``, the lines holding one of each set of necessary
    literals of regex rule ``r`` (``_literal_sets``): every line it can
    match alone does, lower-cased. False if it has none (nothing marked).

    This is what stands in for RE2 without it: ``str.find`` runs at C
    speed, where a regex without a literal start is tried at every offset."""
    sets = run.literal_sets(r)
    low = _folded(joined) if sets else ''
    if not sets or not low:
        return False
    searches = [_searches(literals) for literals in sets]
    vocabulary = _vocabulary(joined)
    # A set none of whose literals the batch may hold leaves no candidate:
    # known before any search.
    if any(all(_absent(key, needles, joined, vocabulary) for key, needles in keys) for keys in searches):
        return True
    lines: set[int] | None = None
    for keys in searches:
        mine: set[int] = set()
        for key, needles in keys:
            mine.update(_key_lines(key, needles, joined, low, vocabulary))
        lines = mine if lines is None else lines & mine
        if not lines:
            return True
    assert lines is not None
    _mark_lines(r, sorted(lines), joined, found)
    return True


def _mark_lines(r: int, lines: list[int], joined: _Joined, found: list[_Candidates]) -> None:
    """Mark, in ``found``, the ``lines`` (indexes in the joined text, in
    order) as candidates of rule ``r``: the file of each by passing the
    first lines of those before it (a bisect and a count from the file's
    start per line was a fifth of the word lists' search)."""
    firsts = joined.firsts
    after = len(firsts)
    i = -1
    nxt = 0
    marked: set[int] = set()
    for line in lines:
        if line >= nxt:
            while i + 1 < after and firsts[i + 1] <= line:
                i += 1
            nxt = firsts[i + 1] if i + 1 < after else line + 1
            marked = found[i].setdefault(r, set())
        marked.add(line - firsts[i])


def _absent(key: bytes, literals: _Needles, joined: _Joined, vocabulary: bytes) -> bool:
    """Whether the batch holds none of the literals of search ``key``
    (``_searches``), by what its vocabulary lacks (``_needles``)."""
    seen = joined.found.get(key)
    if seen is not None:
        return not seen
    held = joined.held
    for needles in literals:
        for n in needles:
            found = held.get(n)
            if found is None:
                found = held[n] = n in vocabulary
            if not found:
                break
        else:
            return False  # a literal whose needles are all there
    joined.found[key] = []
    return True


def _key_lines(key: bytes, literals: _Needles, joined: _Joined, low: str, vocabulary: bytes) -> list[int]:
    """The lines (indexes in the joined text) holding a literal of search
    ``key``, found once in a batch: rules share literals (the
    personal-data rules their field names)."""
    seen = joined.found.get(key)
    if seen is None:
        absent = _absent(key, literals, joined, vocabulary)
        seen = joined.found[key] = []
        if not absent:
            line = last = 0
            for offset in _first_offsets(low, key):
                line += low.count('\n', last, offset)
                last = offset
                seen.append(line)
    return seen


# Literals sharing their first two characters, at least this many, are
# looked for with one regex of them all (``_alternatives``), which Python's
# re searches for from the two characters at C speed: the 40 literals of
# the Azure secret rule (``q~`` and a character of its class) are one pass
# over the text rather than 40.
_GROUP_FROM = 3


_Needles = tuple[tuple[bytes, ...], ...]  # per literal: what its batch's vocabulary holds


@functools.lru_cache(maxsize=512)
def _searches(literals: frozenset[bytes]) -> tuple[tuple[bytes, _Needles], ...]:
    """The searches that find the lines holding one of ``literals``: a
    literal alone, or (``_GROUP_FROM``) a regex of a few, as ``\\n`` and
    its source (a literal holds no newline); each with the ``_needles``
    of the literals it finds."""
    groups: dict[bytes, set[bytes]] = {}
    for lit in literals:
        groups.setdefault(lit[:2], set()).add(lit)
    out: list[tuple[bytes, _Needles]] = []
    for group in groups.values():
        if len(group) < _GROUP_FROM:
            out.extend((lit, (_needles(lit),)) for lit in group)
        else:
            source = b'\n' + _alternatives({lit.decode() for lit in group}).encode()
            out.append((source, tuple(sorted({_needles(lit) for lit in group}))))
    return tuple(sorted(out))


def _needles(literal: bytes) -> tuple[bytes, ...]:
    """What the vocabulary (``_vocabulary``: the runs of letters and
    digits, each between spaces) of a text holding ``literal`` holds, from
    each run of the literal: `` ant `` for the ``ant`` of ``sk-ant-api``
    (a whole run), ``sk `` and `` api`` for its first and last (the end
    and the start of one), the literal itself if it is one run."""
    parts = literal.translate(_TO_RUNS).split(b' ')
    if len(parts) == 1:
        return (literal,)
    out = []
    for i, part in enumerate(parts):
        if part:
            out.append((b' ' if i > 0 else b'') + part + (b' ' if i < len(parts) - 1 else b''))
    return tuple(out)


class _Words(NamedTuple):
    data: bytes  # the joined text in UTF-8
    spaced: bytes  # its runs of ASCII letters and digits, between spaces
    runs: set[bytes]  # the distinct ones


def _words(joined: _Joined) -> _Words:
    """The runs of ASCII letters and digits of the joined text, found once
    for all rules of the batch (the word lists, ``_vocabulary``)."""
    if not joined.runs:
        data = joined.text.encode('utf-8', 'surrogatepass')
        spaced = b' ' + data.translate(_TO_RUNS) + b' '
        joined.runs.append(_Words(data, spaced, set(spaced.split())))
    return joined.runs[0]


def _text_runs(joined: _Joined) -> set[bytes]:
    """The distinct runs of ASCII letters and digits of the joined text."""
    return _words(joined).runs


def _vocabulary(joined: _Joined) -> bytes:
    """The distinct runs of letters and digits of the folded text, each
    between spaces: what a literal needs of it (``_needles``) is in it if
    the text holds the literal. It is a few percent of the text (3% of the synthetic
    change's, 11% of fastapi's), so that looking there first costs a
    fraction of a search of the whole text for each literal, most of
    which no batch holds (of 340 in the default rules, 7 were in the
    synthetic change: the search of the others was a quarter of its run)."""
    if not joined.vocabulary:
        text = joined.text
        if text.isascii() or _fold(text) is text:
            # Lower-casing then makes no letter or digit of a non-ASCII
            # character: the folded text's runs are the text's, lowered.
            runs: Iterable[bytes] = _text_runs(joined)
            lower = True
        else:
            runs = set(_folded(joined).encode('utf-8', 'surrogatepass').translate(_TO_RUNS).split())
            lower = False
        spaced = b' ' + b' '.join(runs) + b' '
        joined.vocabulary.append(spaced.lower() if lower else spaced)
    return joined.vocabulary[0]


@functools.lru_cache(maxsize=512)
def _line_rest(source: str) -> re.Pattern[str]:
    # The rest of the line too: one match per line holding any.
    return re.compile(f'(?:{source})[^\n]*')


def _first_offsets(low: str, key: bytes) -> list[int]:
    """The offset, in ``low``, of the first occurrence on each line of the
    literal ``key``, or of any match of the regex (``_searches``)."""
    if key.startswith(b'\n'):
        return [m.start() for m in _line_rest(key[1:].decode()).finditer(low)]
    seen = []
    needle = key.decode()
    at = low.find(needle)
    while at >= 0:
        seen.append(at)
        nl = low.find('\n', at)
        if nl < 0:
            break
        at = low.find(needle, nl + 1)
    return seen


def _python_candidates(
    r: int, run: Rules, texts: list[str], joined: _Joined, found: list[_Candidates]
) -> None:
    """Mark, in ``found``, the candidate lines of ``rule`` (rule index
    ``r``) in ``texts`` (of files it looks at), searched for with Python's
    re: every line holding one of its regex's necessary literals
    (``_literal_lines``), else every line a match of its regex starts in,
    ends in or runs through, or every line holding a word that can start
    an entry of its word list.

    For a context-free regex (``_context_free``) a line that matches alone
    is one of those: where it matches alone it matches in the joined text,
    and the search passes over no text but the inside of a match. For any
    other regex every line is a candidate."""
    rule = run.rules[r]
    if rule.pattern is not None:
        if _literal_lines(r, run, joined, found):
            return
        if not _is_context_free(rule.pattern):
            # What it matches in a line may depend on the lines around it:
            # every line is checked alone.
            for i, text in enumerate(texts):
                found[i].setdefault(r, set()).update(range(text.count('\n') + 1))
            return
        for i, text in enumerate(texts):
            where = _Text(text)
            mine: set[int] | None = None
            for m in rule.pattern.finditer(text):
                first = where.index(m.start())
                last = where.index(max(m.start(), m.end() - 1))
                if mine is None:
                    mine = found[i].setdefault(r, set())
                mine.update(range(first, last + 1))
        return
    if rule.words is None or rule.needles is None:
        return
    memo = run.runs(rule.words)
    if not _fast_words(rule, memo.needles):
        for i, text in enumerate(texts):
            where = _Text(text)
            lines = {where.index(m.start()) for m in rule.needles.finditer(text)}
            if lines:
                found[i].setdefault(r, set()).update(lines)
        return
    # All files at once: a word is found where it is in the joined text.
    _mark_lines(r, _word_lines(joined, memo), joined, found)


def _check(
    path: str,
    lines: Sequence[tuple[int, str]],
    text: str | None,
    run: Rules,
    cands: _Candidates,
    known: Mapping[int, str] | None = None,
) -> FileScan:
    """The hits of the rules on their candidate lines of one file, each
    line checked alone, rule by rule in their order. ``text``: the lines
    joined, if made already. ``known``: the text of some lines, already
    read (else the file's text is split into its lines: a twentieth of a
    large change's time)."""
    result = FileScan([], [], [])
    lineno: Callable[[int], int] = getattr(lines, 'lineno', None) or (lambda i: lines[i][0])
    texts: Mapping[int, str] | list[str]
    if known and all(k in known for ks in cands.values() for k in ks):
        texts = known
    else:
        split = getattr(lines, 'lines', None)
        texts = split() if callable(split) else (_text_of(lines) if text is None else text).split('\n')

    suppressed: dict[int, dict[str, str]] = {}
    for k in sorted(cands.get(_MARKED, ())):
        for m in SUPPRESS.finditer(texts[k]):
            reason = m[2].strip()
            if not reason:
                result.notes.append(
                    f'{path}:{lineno(k)}: a review-trigger suppression without a reason is ignored',
                )
                continue
            for trigger in m[1].split(','):
                suppressed.setdefault(k, {})[trigger.strip()] = reason

    for r in sorted(cands):
        if r == _MARKED:
            continue
        rule = run.rules[r]
        # The compiled regex's own search: a line at a time, many lines.
        search = rule.pattern.compiled.search if rule.pattern is not None else None
        memo = run.runs(rule.words) if rule.words is not None else None
        count = 0
        for k in sorted(cands[r]):
            line = texts[k]
            if search is not None:
                if len(line) > LONG_LINE and line.isascii() and (superset := run.aligned_superset(r)):
                    assert rule.pattern is not None
                    if not prefilter.search_long(rule.pattern.compiled, line, superset):
                        continue
                elif search(line) is None:
                    continue
                name = rule.name
            elif memo is not None:
                word = _line_word(line, memo)
                if not word:
                    continue
                name = word
            else:
                continue
            if rule.unless is not None and rule.unless.search(line) is not None:
                continue
            reason = suppressed.get(k, {}).get(rule.trigger)
            if reason is not None:
                s = Suppression(rule.trigger, path, lineno(k), reason)
                if s not in result.suppressions:
                    result.suppressions.append(s)
                continue
            result.hits.append(Hit(rule.trigger, path, lineno(k), name))
            count += 1
            if count >= MAX_HITS_PER_RULE:
                break
    return result


def _fast_words(rule: LineRule, source: str) -> bool:
    """Whether the rule's needles are word_rule's own (``source``), so that
    its candidates can be found as runs (``_word_candidates``)."""
    needles = rule.needles
    return needles is not None and needles.flags == _WORD_FLAGS and needles.pattern == source


# The analyses of a compiled regex below are pure functions of it (a
# compiled pattern is immutable), so they are cached for the process.


@functools.lru_cache(maxsize=512)
def _is_context_free(pattern: Source) -> bool:
    """Whether ``pattern`` matches within a line the same when the line is
    alone as when it is among others (see ``_context_free``)."""
    try:
        parser = importlib.import_module('re._parser')
        parsed = parser.parse(pattern.pattern, pattern.flags)
        return _context_free(parser, list(parsed.data), bool(pattern.flags & re.M))
    except Exception:  # pragma: no cover  (a private module changed: check every line)
        return False


def _context_free(parser: Any, items: list[tuple[Any, Any]], multiline: bool) -> bool:
    r"""Whether a regex matches the same in a text as in that text with
    a newline before and after it: no ``\A``, ``\Z``, ``^`` or ``$``
    without re.M, lookaround, atomic group or possessive repeat."""
    for op, av in items:
        subs: list[Any] = []
        if op is parser.AT:
            if av in (parser.AT_BEGINNING_STRING, parser.AT_END_STRING) or (
                av in (parser.AT_BEGINNING, parser.AT_END) and not multiline
            ):
                return False
        elif op in (parser.ASSERT, parser.ASSERT_NOT, parser.ATOMIC_GROUP, parser.POSSESSIVE_REPEAT):
            return False
        elif op is parser.SUBPATTERN:
            group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & re.M:
                return False
            subs = [sub]
        elif op is parser.BRANCH:
            subs = list(av[1])
        elif op in (parser.MAX_REPEAT, parser.MIN_REPEAT):
            subs = [av[2]]
        elif op is parser.GROUPREF_EXISTS:
            subs = [s for s in av[1:] if s is not None]
        if not all(_context_free(parser, list(s.data), multiline) for s in subs):
            return False
    return True


# -- word rules ---------------------------------------------------------------
#
# A line can only hold one of a word list's entries if one of its runs of
# ASCII letters and digits (``words._IDENT``) splits into a word that is a
# single-word entry (or its plural) or the first word of a phrase. The runs
# of a whole file are found at once (bytes.translate and split, in C); each
# distinct run is classified once and remembered. Only the lines holding a
# run that can match are looked at, in order, with ``find_word`` as before.

_WORD_FLAGS = re.compile('', re.I).flags
_ALNUM = b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
_TO_RUNS = bytes(c if c in _ALNUM else 0x20 for c in range(256))
_ALNUM_CHARS = frozenset(_ALNUM.decode())
_MAX_REMEMBERED = 50_000  # runs remembered per word list


class _Runs(NamedTuple):
    words: WordSet  # kept so its id stays unique
    needles: str  # what word_rule makes of it
    starts: frozenset[str]  # words that can start a match
    can: set[bytes]  # runs that can match
    cannot: set[bytes]  # runs that cannot
    lines: dict[str, str | None]  # find_word of recent lines


def _new_runs(words: WordSet) -> _Runs:
    starts = (
        frozenset(words.single)
        | frozenset(w + 's' for w in words.single)
        | frozenset(p[0] for p in words.phrases)
    )
    return _Runs(words, _needles_source(words), starts, set(), set(), {})


def _word_candidates(text: str, memo: _Runs) -> list[int]:
    """Offsets, in order, of the runs in ``text`` that can match the word
    list: every line that ``find_word`` matches holds one of them."""
    spaced = b' ' + text.encode('utf-8', 'surrogatepass').translate(_TO_RUNS) + b' '
    hits = _hits(set(spaced.split()), memo)
    if not hits:
        return []
    if text.isascii():
        return _whole_runs(spaced, hits)  # a byte is a character
    offsets = []
    end = len(text)
    for run in hits:
        needle = run.decode()
        n = len(needle)
        at = text.find(needle)
        while at >= 0:
            after = at + n
            if (at == 0 or text[at - 1] not in _ALNUM_CHARS) and (
                after == end or text[after] not in _ALNUM_CHARS
            ):
                offsets.append(at)
            at = text.find(needle, after)
    offsets.sort()
    return offsets


def _word_lines(joined: _Joined, memo: _Runs) -> list[int]:
    """The lines (indexes in the joined text, in order, maybe repeated)
    holding a run that can match the word list (``_word_candidates``)."""
    words = _words(joined)
    hits = _hits(words.runs, memo)
    if not hits:
        return []
    # Lines are counted in the UTF-8 bytes, where the runs' offsets are:
    # a text in any script takes this path.
    data = words.data
    lines = []
    line = last = 0
    for offset in _whole_runs(words.spaced, hits):
        line += data.count(b'\n', last, offset)
        last = offset
        lines.append(line)
    return lines


def _hits(present: set[bytes], memo: _Runs) -> set[bytes]:
    """The runs of ``present`` that can match the word list, each
    classified once (``memo``)."""
    unknown = present.difference(memo.can, memo.cannot)
    if unknown:
        if len(memo.cannot) > _MAX_REMEMBERED:
            memo.cannot.clear()
            memo.can.clear()
        for run in unknown:
            if run.islower() or run.isupper() or run.isdigit():
                ok = run.lower().decode() in memo.starts
            else:
                # split_words of a single run (run_words), without looking
                # for runs in it again.
                ok = any(w in memo.starts for w in run_words(run.decode(), False))
            (memo.can if ok else memo.cannot).add(run)
    return present & memo.can


def _whole_runs(spaced: bytes, hits: set[bytes]) -> list[int]:
    """The offsets, in order, in UTF-8 text, of the whole runs of ASCII
    letters and digits that are among ``hits``: found in its runs, spaced
    (``_TO_RUNS``, a space before and after), by ``bytes.find`` or a regex
    alone. Looking for a run in the text found it inside longer ones too
    (``id`` in ``width``), each checked in Python: 320 ms for fastapi's
    largest batch (1.6 MB, 300 runs to find), 50 ms this way."""
    if len(hits) >= _RUNS_AT_ONCE:
        # One pass for them all, rather than one each.
        return [m.start() for m in re.finditer(b' ' + _trie(hits) + b'(?= )', spaced)]
    offsets = []
    for run in hits:
        whole = b' ' + run + b' '
        at = spaced.find(whole)
        while at >= 0:
            offsets.append(at)
            at = spaced.find(whole, at + len(run) + 1)
    offsets.sort()
    return offsets


# From this many runs to find, one regex of them all is quicker than a
# bytes.find pass for each (``_whole_runs``): the regex is tried at every
# space, about 5 ms per MB, a find about 0.8 ms per MB. A batch of 1 MB of
# fastapi's has 100 to 300 runs to find (120 to 300 ms by find, 30 to 70
# by regex), one of the synthetic change's 4 or 5 (3 ms by find, 5 by
# regex).
_RUNS_AT_ONCE = 8


def _trie(runs: set[bytes]) -> bytes:
    """A regex matching any of ``runs`` (letters and digits), their shared
    starts once (``u(?:ser|ssn)``); unlike ``_alternatives`` it keeps a run
    that holds another, as the whole runs are looked for."""
    trie: dict[int, Any] = {}
    for run in runs:
        node = trie
        for ch in run:
            node = node.setdefault(ch, {})
        node[-1] = {}  # a run ends here

    def emit(node: dict[int, Any]) -> bytes:
        alts = [b'' if ch < 0 else bytes([ch]) + emit(node[ch]) for ch in sorted(node)]
        return alts[0] if len(alts) == 1 else b'(?:' + b'|'.join(alts) + b')'

    return emit(trie)


def _line_word(line: str, memo: _Runs) -> str | None:
    """``find_word`` of the line's words."""
    if len(line) > _LONG_LINE:
        return _long_line_word(line, memo)
    if line in memo.lines:
        return memo.lines[line]
    word = find_word(split_words(line), memo.words)
    if len(memo.lines) > 4096:
        memo.lines.clear()
    memo.lines[line] = word
    return word


# A line longer than this is looked at from the runs that can start an
# entry only: splitting the whole of a long line (an SVG path, a minified
# bundle, a data URI) into words was most of a large change's checking.
_LONG_LINE = 2048


def _long_line_word(line: str, memo: _Runs) -> str | None:
    """``find_word(split_words(line), memo.words)``, from the runs that can
    start an entry (``_word_candidates``): no word before the first of
    them starts one, and an entry is at most ``longest`` words long."""
    longest = max((len(p) for p in memo.words.phrases), default=1)
    for at in _word_candidates(line, memo):
        window: list[str] = []
        first = -1
        for found in words_from(line, at):
            window.extend(found)
            if first < 0:
                first = len(found)
            if len(window) >= first + longest:
                break
        for i in range(first):
            entry = entry_at(window, i, memo.words)
            if entry is not None:
                return entry
    return None


# -- necessary literals -------------------------------------------------------
#
# Without RE2 (and for a rule RE2 cannot take), a regex's candidate lines
# are those holding one of a few strings every match (or what a lookaround
# sees) contains, of each of a few sets of them (``_literal_sets``), found
# with ``str.find`` or one regex (``_searches``) in the lower-cased text.
# The strings come from the regex's parse tree: CPython's private
# ``re._parser``, the only parser of Python's regex syntax (RE2 reads its
# own); anything unexpected means no literals, and the rule's lines are
# found by running it (or every line is checked), with the same result.
# The tests of these run on every Python from 3.11 in .ci/run.

# Literal sets larger than this are no cheaper than running the regex (the
# personal-data column rule needs 128: its field names, each with variants).
_MAX_LITERALS = 128

# A character class of at most this many characters may extend a literal
# too short alone (``SK`` then a hex digit, ``Q~`` then one of 66), when a
# regex has no literal otherwise: one search for the short literal and the
# class (``_literal_lines``) instead of running the whole regex, which was
# tried at every offset (about 30 ms per MB of text for each such rule).
_MAX_CLASS = 96

# With ``few``, literal sets whose shortest string is at least this long
# are told apart by their size only: a branch's alternatives then each
# give a few literals (``mask``, ``email``) rather than the longest
# product of theirs (128 ``email_hash``...), so that their union stays
# under _MAX_LITERALS.
_LONG_ENOUGH = 4


def _necessary_literals(
    parser: Any,
    items: list[tuple[Any, Any]],
    wide: bool = False,
    few: bool = False,
    seen: list[set[str]] | None = None,
) -> set[str] | None:
    """Lower-cased ASCII strings one of which every match contains: the
    best product of consecutive top-level elements that each match one of
    a few fixed strings (``(password|api_?key)``), or None. A product may
    end with what the next element starts with (``_starts``: ``gl`` then
    ``sa_`` or ``c_``), with ``wide`` a character class of up to
    _MAX_CLASS characters too. Every set considered is added to ``seen``."""
    best: set[str] | None = None

    def score(cand: set[str]) -> tuple[int, int]:
        shortest = min(map(len, cand))
        return (min(shortest, _LONG_ENOUGH) if few else shortest), -len(cand)

    def better(cand: set[str] | None) -> None:
        nonlocal best
        if cand is None or '' in cand or not all(s.isascii() for s in cand):
            return
        if seen is not None:
            seen.append(cand)
        if best is None or score(cand) > score(best):
            best = cand

    run: set[str] | None = None
    for item in items:
        strings = _strings(parser, item)
        if strings is None:
            if run is not None:
                starts = _starts(parser, item, wide)
                if starts is not None:
                    better(_product(run, starts))
            run = None
            better(_inner_literals(parser, item, wide, few))
            continue
        run = strings if run is None else _product(run, strings)
        if run is None:
            continue
        better(run)
        # A shorter run ending here may be better than the whole one.
        better(strings)
    if best is None or min(map(len, best)) < 3:
        return None
    return {s.lower() for s in best}


def _inner_literals(
    parser: Any, item: tuple[Any, Any], wide: bool = False, few: bool = False
) -> set[str] | None:
    """``_necessary_literals`` of what one element must match: a group, one
    of its alternatives, a repeat at least once, a positive lookaround."""
    op, av = item
    if op is parser.SUBPATTERN:
        # A group's own flags (``(?i:...)``) change no literal's letters
        # but their case, and literals are compared lower-cased.
        return _necessary_literals(parser, list(av[3].data), wide, few)
    if op is parser.ATOMIC_GROUP:
        return _necessary_literals(parser, list(av.data), wide, few)
    if op is parser.ASSERT:
        return _necessary_literals(parser, list(av[1].data), wide, few)
    if op in (parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _necessary_literals(parser, list(av[2].data), wide, few)
    if op is parser.BRANCH:
        found = _union(parser, av[1], lambda p, sub: _necessary_literals(p, sub, wide, few))
        if found is None and not few:
            # Each alternative's best may be too many together (the
            # personal-data masking rule: 12 verbs, then 128 products of
            # a field name and a verb): a few of each, then.
            found = _union(parser, av[1], lambda p, sub: _necessary_literals(p, sub, wide, True))
        return found
    return None


def _starts(parser: Any, item: tuple[Any, Any], wide: bool) -> set[str] | None:
    """Non-empty strings one of which every match of ``item`` starts with:
    its first fixed strings (``_starts_of``), or one character of a class
    (with ``wide``, of up to _MAX_CLASS of them); None if unknown."""
    op, av = item
    if op is parser.LITERAL:
        return {chr(av)}
    if op is parser.IN:
        return _class_chars(parser, av, _MAX_CLASS if wide else 8)
    if op is parser.SUBPATTERN:
        return _starts_of(parser, list(av[3].data), wide)
    if op is parser.ATOMIC_GROUP:
        return _starts_of(parser, list(av.data), wide)
    if op in (parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _starts_of(parser, list(av[2].data), wide)
    if op is parser.BRANCH:
        return _union(parser, av[1], lambda p, sub: _starts_of(p, sub, wide))
    return None


def _starts_of(parser: Any, items: list[tuple[Any, Any]], wide: bool) -> set[str] | None:
    """``_starts`` of a sequence: the product of its leading elements that
    match fixed strings, and of what the first other one starts with."""
    run: set[str] | None = {''}
    for item in items:
        strings = _strings(parser, item)
        if strings is None:
            starts = _starts(parser, item, wide)
            if starts is not None and run is not None:
                run = _product(run, starts)
            break
        if run is None:
            return None
        run = _product(run, strings)
    return run if run and '' not in run else None


def _class_chars(parser: Any, items: list[tuple[Any, Any]], limit: int) -> set[str] | None:
    """The characters a class of literals and ranges matches, if at most
    ``limit`` (a category, ``\\d`` or ``\\w``, matches any script's: None)."""
    chars: set[str] = set()
    for kind, value in items:
        if kind is parser.LITERAL:
            chars.add(chr(value))
        elif kind is parser.RANGE and value[1] - value[0] < limit:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
        if len(chars) > limit:
            return None
    return chars


def _union(
    parser: Any, alternatives: list[Any], strings: Callable[[Any, list[tuple[Any, Any]]], set[str] | None]
) -> set[str] | None:
    """The strings of every alternative of a branch (``strings`` of each),
    if each has some and they are few."""
    out: set[str] = set()
    for sub in alternatives:
        found = strings(parser, list(sub.data))
        if found is None:
            return None
        out |= found
    return out if len(out) <= _MAX_LITERALS else None


class _Gate(NamedTuple):
    regex: re.Pattern[str]
    folded: bool  # search text.lower() (when lower-casing keeps the offsets)


def _gate(pattern: Source) -> _Gate | None:
    """A quick search for texts ``pattern`` may match (the redaction's
    gates): where one of its necessary literals occurs, in the lower-cased
    text; None if it has none."""
    found = _regex_literals(pattern)
    if found is None:
        return None
    return _Gate(re.compile(_alternatives({lit.decode() for lit in found[0]})), True)


def _alternatives(literals: set[str]) -> str:
    """A regex matching where any of ``literals`` occurs, as a trie
    (``a(?:ccess_?key|pi_?key)|secret``): a regex tries the alternatives
    of a group one by one, so sharing their prefixes makes it faster."""
    # A literal holding another is found where that one is.
    kept = [s for s in literals if not any(t != s and t in s for t in literals)]
    trie: dict[str, Any] = {}
    for s in kept:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(node)]
        if len(alts) <= 1:
            return ''.join(alts)
        return '(?:' + '|'.join(alts) + ')'

    out = emit(trie)
    return out[3:-1] if out.startswith('(?:') else out


def _product(a: set[str], b: set[str]) -> set[str] | None:
    if len(a) * len(b) > _MAX_LITERALS:
        return None
    return {x + y for x in a for y in b}


def _strings(parser: Any, item: tuple[Any, Any]) -> set[str] | None:
    """Every string ``item`` can match, if they are few and fixed."""
    op, av = item
    if op is parser.LITERAL:
        return {chr(av)}
    if op is parser.SUBPATTERN:
        return _sequence(parser, list(av[3].data))  # flags: see _inner_literals
    if op is parser.BRANCH:
        return _union(parser, av[1], _sequence)
    if op in (parser.MAX_REPEAT, parser.MIN_REPEAT):
        lo, hi, sub = av
        if hi > 1:
            return None
        strings = _sequence(parser, list(sub.data))
        if strings is None:
            return None
        return strings | {''} if lo == 0 else strings
    if op is parser.IN:
        chars = set()
        for kind, value in av:
            if kind is not parser.LITERAL:
                return None
            chars.add(chr(value))
        return chars if len(chars) <= 8 else None
    return None


def _sequence(parser: Any, items: list[tuple[Any, Any]]) -> set[str] | None:
    out: set[str] | None = {''}
    for item in items:
        strings = _strings(parser, item)
        if strings is None or out is None:
            return None
        out = _product(out, strings)
    return out
