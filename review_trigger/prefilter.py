"""Which added lines may match a content rule, found with RE2.

Python's ``re`` searches a text once per rule; on a large change that is
most of the run time. RE2 (the ``google-re2`` package) runs, in time
linear in the text, a set of many rules in one pass that says which of
them match at all (``lines``); only those then look for their lines. Its syntax and
semantics are not Python's, so the rules are not handed to it as they are:
each rule's regex is translated into a *superset* regex, one that matches
somewhere in every line the rule matches (within that line alone), and
possibly in others. Lines it finds are candidates; every candidate is then
checked with the rule's own Python regex, so the hits are exactly what
Python's ``re`` finds, line by line, with or without RE2.

The translation drops what only narrows a match (anchors, ``\\b``,
lookarounds). Each character set becomes the explicit set of ASCII
characters that Python's ``re`` matches with the regex's flags (asked of
``re`` itself), plus the non-ASCII characters it may match: none for an
ASCII literal, the few that case-fold to an ASCII letter under
``re.IGNORECASE`` (``_FOLDS``), the character itself for a non-ASCII
literal, and every non-ASCII character for anything else (``\\w``, a
negated set, ``.``). So real text, in any script, takes the same path as
ASCII. No set includes the newline, so no match runs from one line into
the next. A regex the translation does not know (or RE2 cannot compile,
or that matches an empty string) has no superset: the scanner searches
for it with Python's ``re``.

Text is searched as UTF-8 (RE2's default). A text that is not valid
UTF-8 (a lone surrogate) is the caller's to handle: ``encode`` says so.
Without RE2 installed everything is searched with Python's ``re``; the
results are the same.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Collection, Container, Hashable, Iterator, Sequence
from typing import Any, NamedTuple

from review_trigger.regex import Source
from review_trigger.words import WordSet

_ASCII = [chr(c) for c in range(128)]
# RE2 refuses counted repeats above 1000.
_MAX_COUNT = 1000
# The non-ASCII characters Python's re matches, under re.IGNORECASE, for
# an ASCII letter (tests check this against every code point, on each
# Python): the dotted and dotless i, the Kelvin sign, the long s.
_FOLDS = {'i': '\u0130\u0131', 'k': '\u212a', 's': '\u017f'}
_NON_ASCII = r'\x{80}-\x{10ffff}'


class Prefilter(NamedTuple):
    covered: tuple[bool, ...]  # per pattern: its lines are all found (``lines``)
    # Per pattern: its superset (None if not covered), compiled when a
    # piece of text is first searched with it (``_alone``).
    alone: tuple[str | None, ...]
    # RE2 sets of covered patterns, each with the indexes of its members:
    # one pass over a text says which of them match in it at all.
    sets: tuple[tuple[Any, tuple[int, ...]], ...] = ()
    heavy: tuple[int, ...] = ()  # covered patterns too large for a set: searched alone
    # One RE2 set of the heavy patterns' gates (``build``'s ``literals``),
    # with the index of each member's pattern: a heavy pattern is searched
    # for only in the pieces of text where its gate matched.
    gates: tuple[Any, tuple[int, ...]] | None = None
    # Per set, with ``union``: its members alternated in one regex, which
    # finds the lines any of them matches in one search per line.
    unions: tuple[Any, ...] = ()


def available() -> bool:
    return _re2() is not None


@functools.cache
def _re2() -> Any:
    try:
        return importlib.import_module('re2')
    except ImportError:
        return None


def _options(re2: Any) -> Any:
    options = re2.Options()
    options.never_capture = True
    options.log_errors = False
    options.max_mem = 64 << 20
    return options


# A pattern's lines are found in two steps: an RE2 set of many patterns
# says, in one pass over a text, which of them match in it at all; each
# that does is then searched alone, from line to line. A set's automaton
# tracks every member's partial matches at once, so its states multiply
# with the members' size: a set holds at most _SET_SIZE patterns, none
# larger than _SET_SOURCE (in characters of superset), and patterns that
# look at different paths (``keys``) are kept in different sets, so that
# a text only some look at runs only their sets. Measured on fastapi's
# 0.100.0..HEAD diff (16 MB of added text, 74 default rules, files grouped
# by the rules that look at them): 0.51 s of RE2 with these sets, 0.70 s
# with passes of six alternated rules, and 5.8 s for one set of every rule
# over all of the text; sets of 20 or 30 and limits of 2,000 or 4,000
# characters came out within 10% of each other, sets of 100 slower. With
# the 91 rules of today, sets of 45 put the 45 rules that look at
# documents (15 MB of fastapi's added text) in one set rather than two:
# the passes, each in a fresh process, took 208 ms against 238 ms with 30
# (and 227 ms with 60); on the synthetic change they cost the same.
# Supersets of up to 12,000 characters (the personal-data rules of a few
# dozen field names) in sets as well, not searched alone: on the synthetic
# change, where their literals are in most pieces, the passes took 255 ms
# against 330 ms with 2,000, and the same on fastapi (195 ms); with no
# limit, the rules of 15,000 to 42,000 characters in one set took 420 ms
# on fastapi's code.
_SET_SIZE = 45
_SET_SOURCE = 12_000
# The last member of every set matches at the end of any text: a set that
# does not report it did not finish its pass (RE2 ran out of memory), and
# its members are then searched alone.
_CANARY = rb'\z'


def build(
    patterns: Sequence[Source | WordSet],
    keys: Sequence[Hashable] | None = None,
    union: bool = False,
    literals: Callable[[int], Collection[bytes] | None] | None = None,
    superset_of: Callable[[Source], str | None] | None = None,
) -> Prefilter | None:
    """The prefilter for these rules (a regex or a word list each), or None
    if RE2 is missing or covers none of them. Patterns with different
    ``keys`` are never in one set. With ``union``, ``candidate_lines``
    (which does not say which pattern matched) is quicker. ``literals(i)``
    may name strings one of which every line pattern ``i`` matches holds
    (lower-case ASCII, in any case in the line): a pattern too large for a
    set is then searched only where one of them is. ``superset_of`` gives
    a regex's superset (``superset``, or what a run remembers of it)."""
    re2 = _re2()
    if re2 is None:
        return None
    options = _options(re2)
    covered: list[bool] = []
    sources: list[str | None] = []
    for p in patterns:
        if isinstance(p, WordSet):
            source = checked(word_superset(p))
        elif superset_of is not None:
            source = superset_of(p)
        else:
            source = checked_superset(p)
        covered.append(source is not None)
        sources.append(source)
    if not any(covered):
        return None
    heavy = tuple(i for i, s in enumerate(sources) if s is not None and len(s) > _SET_SOURCE)
    groups: dict[Hashable, list[int]] = {}
    for i, s in enumerate(sources):
        if s is not None and len(s) <= _SET_SOURCE:
            groups.setdefault(keys[i] if keys is not None else None, []).append(i)
    sets = []
    for members in groups.values():
        for k in range(0, len(members), _SET_SIZE):
            part = tuple(members[k : k + _SET_SIZE])
            one = re2.Set.SearchSet(options)
            try:
                for i in part:
                    one.Add((sources[i] or '').encode())
                one.Add(_CANARY)
                one.Compile()
            except (re2.error, ValueError, TypeError):  # pragma: no cover  (each member compiled alone above)
                heavy += part
                continue
            sets.append((one, part))
    unions: tuple[Any, ...] = ()
    if union:
        try:
            unions = tuple(
                re2.compile('|'.join(f'(?:{sources[i]})' for i in part).encode(), options) for _, part in sets
            )
        except (
            re2.error,
            ValueError,
            TypeError,
        ):  # pragma: no cover  (too large together: ``lines`` per pattern)
            unions = ()
    return Prefilter(
        tuple(covered),
        tuple(sources),
        tuple(sets),
        heavy,
        gates=_gates(re2, options, heavy, literals),
        unions=unions,
    )


def literal_spans(
    sets: Sequence[Collection[str] | None], text: str
) -> list[list[tuple[int, int]] | None] | None:
    """For each set of literals, the spans of ``text`` (pieces of about
    ``_PIECE`` bytes, whole lines, in order) that hold one of them, found
    in one pass of an RE2 set; None for a set not given. None if RE2 is
    missing, or ``text`` is not UTF-8 (a lone surrogate)."""
    given = tuple(i for i, s in enumerate(sets) if s)
    re2 = _re2()
    if re2 is None or not given:
        return None
    try:
        data = text.encode()
    except UnicodeEncodeError:
        return None
    one = _literal_set(tuple(frozenset(sets[i] or ()) for i in given))
    if one is None:  # pragma: no cover  (escaped literals: RE2 takes them)
        return None
    pieces = _pieces(data)
    if text.isascii():
        chars = pieces
    else:
        chars = []
        at = 0
        for a, b in pieces:
            chars.append((at, at + len(data[a:b].decode())))
            at = chars[-1][1]
    out: list[list[tuple[int, int]] | None] = [[] if s else None for s in sets]
    for i, k in _matching(one, given, data, pieces):
        found = out[i]
        assert found is not None
        found.append(chars[k])
    return out


@functools.cache  # literals: immutable
def _literal_set(sets: tuple[frozenset[str], ...]) -> Any:
    """An RE2 set with one member per set of literals (any of them), and
    the canary; None if RE2 refuses it."""
    re2 = _re2()
    one = re2.Set.SearchSet(_options(re2))
    try:
        for literals in sets:
            one.Add('|'.join(''.join(_code_point(ch) for ch in lit) for lit in sorted(literals)).encode())
        one.Add(_CANARY)
        one.Compile()
    except (re2.error, ValueError, TypeError):  # pragma: no cover
        return None
    return one


def _code_point(ch: str) -> str:
    return ch if ch.isascii() and ch.isalnum() else f'\\x{{{ord(ch):x}}}'


def checked_superset(pattern: Source) -> str | None:
    """``superset(pattern)``, if RE2 takes it (``checked``)."""
    return checked(superset(pattern))


def checked(source: str | None) -> str | None:
    """``source`` if RE2 compiles it and it does not match an empty line
    (then it would match every line), else None."""
    if source is None:
        return None
    compiled = _alone(source)
    return source if compiled is not None and compiled.search(b'') is None else None


@functools.cache  # a superset's source: immutable
def _alone(source: str) -> Any:
    """``source`` compiled by RE2, or None if it refuses it."""
    re2 = _re2()
    try:
        return re2.compile(source.encode(), _options(re2))
    except (re2.error, ValueError, TypeError):
        return None


def _alone_of(prefilter: Prefilter, i: int) -> Any:
    source = prefilter.alone[i]
    assert source is not None  # only covered patterns are searched
    return _alone(source)


# A heavy pattern (a superset over _SET_SOURCE) is searched alone, through
# all of a text: on the synthetic benchmark's 13 MB of added lines, twelve
# of the default rules' were, 160 MB of searching. Their necessary
# literals, in one set, say in which pieces each can match at all; there
# the personal-data rules' literals were in 78% of the pieces, the SQL and
# CORS rules' in 11% and none.
def _gates(
    re2: Any, options: Any, heavy: tuple[int, ...], literals: Callable[[int], Collection[bytes] | None] | None
) -> tuple[Any, tuple[int, ...]] | None:
    if literals is None or not heavy:
        return None
    one = re2.Set.SearchSet(options)
    members = []
    for i in heavy:
        found = literals(i)
        if not found:
            continue
        try:
            one.Add(('(?i:' + '|'.join(_literal(x.decode('ascii')) for x in sorted(found)) + ')').encode())
        except (re2.error, ValueError, TypeError, UnicodeDecodeError):  # pragma: no cover  (ASCII literals)
            continue
        members.append(i)
    if not members:
        return None
    try:
        one.Add(_CANARY)
        one.Compile()
    except (re2.error, ValueError, TypeError):  # pragma: no cover  (each literal alternation is small)
        return None
    return one, tuple(members)


def _literal(text: str) -> str:
    """RE2 for a lower-case ASCII literal in any case, as Python's
    ``re.IGNORECASE`` has it: RE2's case folding gives 'k' the Kelvin sign
    and 's' the long s, but not 'i' the dotted and dotless i (``_FOLDS``)."""
    return ''.join(
        f'[iI{_FOLDS["i"]}]' if ch == 'i' else ch if ch.isalnum() else f'\\x{{{ord(ch):x}}}' for ch in text
    )


def encode(text: str) -> tuple[bytes, bool]:
    """``text`` as the UTF-8 that ``lines`` searches, and whether
    that was exact: False if it held lone surrogates (a path git gave that
    is not UTF-8), each replaced by '?' so lines and their offsets stay
    where they were; the caller then checks those lines itself."""
    try:
        return text.encode(), True
    except UnicodeEncodeError:
        return text.encode('utf-8', 'replace'), False


SURROGATE = re.compile('[\ud800-\udfff]')


# A set says which of its members match in a piece of text; a member it
# names is then searched for in that piece alone. Pieces of about _PIECE
# bytes (cut after a newline) keep a rule found once in a batch from being
# searched through all of it: measured on fastapi's 0.100.0..HEAD diff,
# the members' searches went over 3.5x the added text (70 MB) with one
# piece per batch of 1 MB, and over 1.9x with pieces of 64 KB, while the
# sets' own passes cost the same (one pass over the text, piece by piece).
# Counted in instructions (callgrind, which the machine's noise does not
# move), the whole run on fastapi's range took 2.2% fewer with pieces of
# 8 KB than of 64 KB (5.28 against 5.40 billion; 16 KB 5.29, 32 KB 5.34),
# and on the synthetic change 1.5% fewer; 4 KB did no better than 8 KB
# (a set's call costs about a microsecond, which adds up below that).
_PIECE = 8 * 1024
# A heavy pattern's gate (``_gates``) is a set of literals, quick to find;
# the pattern itself is slow to search (RE2 at about 500 MB/s). So the
# gates say where in smaller pieces: on the synthetic benchmark a personal-
# data field name is in every 64 KB piece (200 in 13 MB), and six heavy
# patterns went through all of the text; in pieces of 4 KB, through a
# sixteenth of it. Smaller pieces cost a set's call each (about 1 us).
_GATE_PIECE = 4 * 1024


def _pieces(data: bytes, size: int | None = None) -> list[tuple[int, int]]:
    """``data`` cut into spans of about ``size`` (``_PIECE``) bytes, each
    ending after a newline (or at the end): no line is in two."""
    size = _PIECE if size is None else size
    spans = []
    start = 0
    end = len(data)
    while end - start > size:
        nl = data.find(b'\n', start + size)
        if nl < 0:
            break
        spans.append((start, nl + 1))
        start = nl + 1
    spans.append((start, end))
    return spans


def _matching(
    one: Any, members: tuple[int, ...], data: bytes, spans: list[tuple[int, int]]
) -> Iterator[tuple[int, int]]:
    """(member, piece) for each member of set ``one`` that matches in a
    piece of ``data``; every member, where the set did not finish its pass
    (no canary: RE2 ran out of memory)."""
    whole = len(spans) == 1
    for k, (a, b) in enumerate(spans):
        found = one.Match(data if whole else data[a:b]) or ()
        if len(members) not in found:  # pragma: no cover  (RE2 out of memory: its members alone)
            found = range(len(members))
        for j in found:
            if j < len(members):
                yield members[j], k


def lines(prefilter: Prefilter, data: bytes, wanted: Container[int] | None = None) -> dict[int, list[int]]:
    """For each covered pattern (of ``wanted``, if given) that matches in
    ``data`` (newline-separated UTF-8): the offsets, in order, of the lines
    it may match in. Every line the pattern matches is among them."""
    spans = _pieces(data)
    search: dict[int, list[tuple[int, int]]] = {}
    for one, members in prefilter.sets:
        if wanted is not None and not any(i in wanted for i in members):
            continue
        for i, k in _matching(one, members, data, spans):
            search.setdefault(i, []).append(spans[k])
    gated: set[int] = set()
    if prefilter.gates is not None:
        one, members = prefilter.gates
        gated.update(members)
        if wanted is None or any(i in wanted for i in members):
            small = _pieces(data, _GATE_PIECE)
            for i, k in _matching(one, members, data, small):
                search.setdefault(i, []).append(small[k])
    for i in prefilter.heavy:
        if i not in gated:
            search[i] = [(0, len(data))]
    out = {}
    for i in sorted(search):
        if wanted is not None and i not in wanted:
            continue
        regex = _alone_of(prefilter, i)
        found_lines = [start for a, b in search[i] for start in _lines_of(regex, data, a, b)]
        if found_lines:
            out[i] = found_lines
    return out


def candidate_lines(prefilter: Prefilter, data: bytes) -> list[int]:
    """The offsets, in order, of the lines of ``data`` that any covered
    pattern may match in."""
    if not prefilter.unions:
        return sorted({k for found in lines(prefilter, data).values() for k in found})
    spans = _pieces(data)
    found: set[int] = set()
    for (one, members), union in zip(prefilter.sets, prefilter.unions, strict=True):
        # The union finds the lines of the pieces where a member matched.
        for k in sorted({k for _, k in _matching(one, members, data, spans)}):
            found.update(_lines_of(union, data, *spans[k]))
    for i in prefilter.heavy:
        found.update(_lines_of(_alone_of(prefilter, i), data))
    return sorted(found)


def _lines_of(regex: Any, data: bytes, pos: int = 0, end: int | None = None) -> Iterator[int]:
    """The offsets, in order, of the lines of ``data`` (between ``pos``
    and ``end``, a line's start and a line's end) ``regex`` matches in;
    every line's if ``regex`` is None (a remembered superset RE2 no
    longer takes)."""
    end = len(data) if end is None else end
    if regex is None:
        while pos < end:
            yield pos
            nl = data.find(b'\n', pos, end)
            if nl < 0:
                return
            pos = nl + 1
        return
    first = _first_match(regex)
    while pos < end:
        at = first(data, pos, end)
        if at < 0:
            return
        start = data.rfind(b'\n', 0, at) + 1
        yield start
        nl = data.find(b'\n', at, end)
        if nl < 0:
            return
        pos = nl + 1


def _first_match(regex: Any) -> Callable[[bytes, int, int], int]:
    """Where ``regex`` first matches in ``data[pos:end]`` (-1: nowhere).

    Through the compiled RE2 object's own ``Match`` when the binding has
    one: the binding's ``search`` runs a generator and builds a match
    object in Python for each call, three times the cost of the search of
    a line (3.8 against 1.2 us). Any other regex: its ``search``."""
    low = getattr(regex, '_regexp', None)
    match = getattr(low, 'Match', None)
    anchor = getattr(getattr(type(low), 'Anchor', None), 'UNANCHORED', None)
    if match is None or anchor is None:
        search = regex.search

        def first(data: bytes, pos: int, end: int) -> int:
            m = search(data, pos, end)
            return -1 if m is None else int(m.start())

        return first

    def direct(data: bytes, pos: int, end: int) -> int:
        return int(match(anchor, data, pos, end)[0][0])

    return direct


@functools.cache  # a word list is immutable; each run's prefilters ask again for the same lists
def word_superset(words: WordSet) -> str | None:
    """Where a line can hold an entry of a word list (``words.find_word``).

    A line's words (``split_words``) are its runs of ASCII letters and
    digits, split where the case changes; they follow one another with
    nothing or only other characters between them. So an entry's first
    word starts where a run starts, or at a capital inside a run (a
    lower-case letter inside a run never starts a word); a digit starts
    one unless a digit comes before it; a phrase's next words follow it
    with only non-alphanumerics between.

    The start is said once for all the entries, not once for each: spelled
    out per entry it made the security word list's automaton so large that
    RE2 built it at 37 MB/s on fastapi's diff, against about 300 MB/s this
    way, for the same lines.
    """
    entries = [(w,) for w in sorted(words.single)] + list(words.phrases)
    if not entries or not all(w.isascii() and w.isalnum() for e in entries for w in e):
        return None
    gap = r'[^0-9A-Za-z\n]*'

    def rest(entry: tuple[str, ...]) -> str:
        return _chars(entry[0][1:]) + ''.join(gap + _chars(w) for w in entry[1:])

    letters = [e for e in entries if not e[0][0].isdigit()]
    digits = [e for e in entries if e[0][0].isdigit()]
    out = []
    if letters:
        anywhere = '|'.join(_char_set(e[0][0], re.I) + rest(e) for e in letters)
        capital = '|'.join(_char_set(e[0][0].upper(), 0) + rest(e) for e in letters)
        out.append(rf'(?:(?m:^)|[^0-9A-Za-z\n])(?:{anywhere})|[0-9A-Za-z](?:{capital})')
    if digits:
        out.append(
            r'(?:(?m:^)|[^0-9\n])(?:' + '|'.join(_char_set(e[0][0], 0) + rest(e) for e in digits) + ')'
        )
    return '|'.join(out)


def _chars(word: str) -> str:
    return ''.join(_char_set(ch, re.I) for ch in word)


def superset(pattern: Source) -> str | None:
    """An RE2 regex matching in every ASCII line that ``pattern`` matches,
    or None."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        parser = importlib.import_module('re._parser')
        parsed = parser.parse(pattern.pattern, pattern.flags)
        return _Translate(parser, parsed.state).core(list(parsed.data), pattern.flags)
    except _Unknown:
        return None
    except Exception:  # a private module changed: no superset
        return None


@functools.cache  # a rule's regex: immutable
def aligned(pattern: Source) -> bool:
    """Whether every match of ``pattern`` starts where a match of its
    ``superset`` starts: what the superset drops from the start of the
    regex (and of each alternative) is only of zero width (anchors,
    ``\\b``, lookarounds), never a ``\\s*`` that a match may begin with.
    Then the regex can match only where a superset's match starts
    (``search_long``)."""
    if not isinstance(pattern.pattern, str):
        return False
    try:
        parser = importlib.import_module('re._parser')
        parsed = parser.parse(pattern.pattern, pattern.flags)
        translate = _Translate(parser, parsed.state)
        translate.core(list(parsed.data), pattern.flags)
        return not translate.unaligned
    except Exception:  # a private module changed, or no superset: not known to be
        return False


def search_long(compiled: re.Pattern[str], line: str, superset: Any, tries: int = 256) -> bool:
    """``compiled.search(line) is not None`` for an ASCII ``line`` and the
    compiled RE2 ``superset`` of an ``aligned`` regex: the regex is tried
    (``match``, which sees the line around it as ``search`` does) only at
    each place a superset's match starts, found by RE2 from the place after
    the last (a long minified or base64 line, where Python's search tries
    every offset: 20 ms for 32 lines of fastapi's SVG images). After
    ``tries`` places, the rest is searched as it is."""
    data = line.encode('ascii')
    first = _first_match(superset)
    pos = 0
    for _ in range(tries):
        at = first(data, pos, len(data))
        if at < 0:
            return False
        if compiled.match(line, at) is not None:
            return True
        pos = at + 1
    return compiled.search(line, pos) is not None


def superset_regex(prefilter: Prefilter, i: int) -> Any:
    """Pattern ``i``'s superset compiled by RE2, or None if not covered."""
    return _alone(prefilter.alone[i]) if prefilter.covered[i] and prefilter.alone[i] else None


class _Unknown(Exception):
    pass


class _Translate:
    def __init__(self, parser: Any, state: Any) -> None:
        self.p = parser
        self.state = state
        # Whether ``core`` dropped from a start what may be wider than
        # nothing (``aligned``).
        self.unaligned = False

    def core(self, items: list[tuple[Any, Any]], flags: int) -> str:
        """The superset of a sequence without what it begins or ends with
        that may match nothing (``\\s*``, ``(?:...)?``, an anchor): a line
        a match is in holds a match of the rest. A search for a regex that
        begins with a repeat looks for the leftmost start of the longest
        run before each match: measured on fastapi's diff, the search for
        a rule's superset that began with ``[^/]*`` took 0.073 s, and
        0.028 s without it (most of that now spent on the 7,000 lines it
        finds)."""
        p = self.p
        while items and self._nullable(items[0]):
            if p.SubPattern(self.state, [items[0]]).getwidth()[1] != 0:
                self.unaligned = True  # a match may begin with what is dropped
            items = items[1:]
        while items and self._nullable(items[-1]):
            items = items[:-1]
        if len(items) == 1:
            op, av = items[0]
            if op is p.SUBPATTERN:
                _group, add, delete, sub = av
                return self.core(list(sub.data), (flags | add) & ~delete)
            if op is p.ATOMIC_GROUP:
                return self.core(list(av.data), flags)
            if op is p.BRANCH:
                return '(?:' + '|'.join(self.core(list(s.data), flags) for s in av[1]) + ')'
        return self.seq(items, flags)

    def _nullable(self, item: tuple[Any, Any]) -> bool:
        return bool(self.p.SubPattern(self.state, [item]).getwidth()[0] == 0)

    def seq(self, items: list[tuple[Any, Any]], flags: int) -> str:
        return ''.join(self.item(op, av, flags) for op, av in items)

    def item(self, op: Any, av: Any, flags: int) -> str:
        p = self.p
        if op is p.LITERAL:
            return _char_set(chr(av), flags)
        if op is p.NOT_LITERAL:
            return _set(_members('[^' + _esc(chr(av)) + ']', flags), True)
        if op is p.ANY:
            return r'[^\n]'
        if op is p.IN:
            source, plain = _class_source(p, av)
            return _set(_members(source, flags), _class_non_ascii(p, av, flags) if plain else True)
        if op in (p.AT, p.ASSERT, p.ASSERT_NOT):
            return ''  # only narrows where a match is
        if op is p.SUBPATTERN:
            _group, add, delete, sub = av
            return '(?:' + self.seq(list(sub.data), (flags | add) & ~delete) + ')'
        if op is p.ATOMIC_GROUP:
            return '(?:' + self.seq(list(av.data), flags) + ')'
        if op is p.BRANCH:
            return '(?:' + '|'.join(self.seq(list(s.data), flags) for s in av[1]) + ')'
        if op in (p.MAX_REPEAT, p.MIN_REPEAT, p.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            body = '(?:' + self.seq(list(sub.data), flags) + ')'
            lo = min(lo, _MAX_COUNT)
            if hi is p.MAXREPEAT or hi > _MAX_COUNT:
                return body + ('*' if lo == 0 else '+' if lo == 1 else f'{{{lo},}}')
            return body + f'{{{lo},{hi}}}'
        if op is p.GROUPREF:
            return r'[^\n]*'  # whatever the group matched, on this line
        if op is p.GROUPREF_EXISTS:
            _group, yes, no = av
            alts = [self.seq(list(yes.data), flags), '' if no is None else self.seq(list(no.data), flags)]
            return '(?:' + '|'.join(alts) + ')'
        raise _Unknown(op)


_CATEGORIES = {
    'CATEGORY_DIGIT': r'\d',
    'CATEGORY_NOT_DIGIT': r'\D',
    'CATEGORY_SPACE': r'\s',
    'CATEGORY_NOT_SPACE': r'\S',
    'CATEGORY_WORD': r'\w',
    'CATEGORY_NOT_WORD': r'\W',
}


def _class_source(p: Any, items: list[tuple[Any, Any]]) -> tuple[str, bool]:
    """Python regex source for a parsed character set, and whether it is
    plain: literals and ranges only, not negated."""
    out: list[str] = []
    plain = True
    for op, av in items:
        if op is p.NEGATE:
            out.insert(0, '^')
            plain = False
        elif op is p.LITERAL:
            out.append(_esc(chr(av)))
        elif op is p.RANGE:
            out.append(_esc(chr(av[0])) + '-' + _esc(chr(av[1])))
        elif op is p.CATEGORY and getattr(av, 'name', None) in _CATEGORIES:
            out.append(_CATEGORIES[av.name])
            plain = False
        else:
            raise _Unknown(op)
    return '[' + ''.join(out) + ']', plain


def _class_non_ascii(p: Any, items: list[tuple[Any, Any]], flags: int) -> str | bool:
    """The non-ASCII characters a plain set (literals and ranges) may match:
    an RE2 set body, or True for any."""
    out: list[str] = []
    for op, av in items:
        lo, hi = (av, av) if op is p.LITERAL else av
        if hi >= 0x80:
            return True  # a non-ASCII range: any, rather than its case folds
        if flags & re.IGNORECASE and not flags & re.ASCII:
            out.extend(f for ch in map(chr, range(lo, hi + 1)) for f in _FOLDS.get(ch.lower(), ''))
    return ''.join(f'\\x{{{ord(f):x}}}' for f in sorted(set(out)))


def _esc(ch: str) -> str:
    return '\\' + ch if not ch.isalnum() else ch


# Word lists make thousands of these: each made once (a pure function).
@functools.lru_cache(maxsize=4096)
def _char_set(ch: str, flags: int) -> str:
    flags = int(flags)  # a RegexFlag's & is a slow Python call
    if ch.isascii() and ch != '\n':
        # An ASCII character matches itself and, under re.I, its other
        # case and the few non-ASCII characters that fold to it.
        if flags & re.IGNORECASE:
            folds = (
                '' if flags & re.ASCII else ''.join(f'\\x{{{ord(f):x}}}' for f in _FOLDS.get(ch.lower(), ''))
            )
            return _set(frozenset({ch, ch.lower(), ch.upper()}), folds)
        return _set(frozenset(ch))
    if flags & re.IGNORECASE or ch == '\n':
        # Which characters case-fold to it is Unicode's business: any
        # non-ASCII one (and the ASCII ones re says). A newline: none.
        return _set(_members(_esc(ch), flags), ch != '\n')
    return _set(_members(_esc(ch), flags), f'\\x{{{ord(ch):x}}}')


_FLAGS = re.IGNORECASE | re.ASCII | re.UNICODE


@functools.lru_cache(maxsize=4096)
def _members(source: str, flags: int) -> frozenset[str]:
    """The ASCII characters but the newline that ``source`` (one character
    or set) matches under ``flags``, as Python's ``re`` says."""
    one = re.compile(source, flags & _FLAGS)
    return frozenset(c for c in _ASCII if c != '\n' and one.fullmatch(c))


def _set(chars: frozenset[str], non_ascii: str | bool = '') -> str:
    """An RE2 character set of ``chars`` (ASCII) and the non-ASCII
    characters ``non_ascii`` names: a set body, or True for all of them."""
    extra = _NON_ASCII if non_ascii is True else non_ascii or ''
    if not chars:
        # Nothing at all: a set RE2 accepts that matches no character.
        return f'[{extra}]' if extra else r'[^\x00-\x{10ffff}]'
    if len(chars) == 1 and not extra:
        return f'\\x{ord(next(iter(chars))):02x}'
    codes = sorted(ord(c) for c in chars)
    ranges = []
    lo = prev = codes[0]
    for c in codes[1:]:
        if c != prev + 1:
            ranges.append((lo, prev))
            lo = c
        prev = c
    ranges.append((lo, prev))
    body = ''.join(f'\\x{a:02x}' if a == b else f'\\x{a:02x}-\\x{b:02x}' for a, b in ranges)
    return f'[{body}{extra}]'
