"""Content rules: scanning one file's added lines for hits.

Each rule is a regex or a word list, owned by a trigger. A file's added
lines are joined and every regex runs over the whole text at once, which
keeps the per-line cost in C rather than in a Python loop.

Most files match no rule at all, so each rule first gets a cheap
necessary condition (a *gate*, derived from its regex once): a literal or
a simpler regex that any match must contain. A file without it cannot
match and is not searched with the full regex; a file with it is searched
exactly as before, so the hits are the same either way.
"""
from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from review_trigger.change import Hit, Suppression
from review_trigger.words import WordSet, find_word, split_words

if TYPE_CHECKING:
    from review_trigger.paths import PathMatcher

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
    paths: PathMatcher | None = None   # only files matching these


def _needles_source(words: WordSet) -> str:
    return '|'.join(re.escape(n) for n in words.needles) or r'(?!)'


def word_rule(trigger: str, name: str, words: WordSet) -> LineRule:
    needles = re.compile(_needles_source(words), re.I)
    return LineRule(trigger, name, words=words, needles=needles)


class FileScan(NamedTuple):
    hits: list[Hit]
    suppressions: list[Suppression]
    notes: list[str]


class _Text:
    """Line indexes and line texts of a joined text, found by counting
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

    def line(self, offset: int) -> str:
        """The line that holds ``offset``."""
        text = self.text
        start = text.rfind('\n', 0, offset) + 1
        end = text.find('\n', offset)
        return text[start:] if end < 0 else text[start:end]


def scan_file(
        path: str, lines: Sequence[tuple[int, str]],
        rules: Iterable[LineRule],
) -> FileScan:
    """Hits of ``rules`` on the added ``lines`` (line number, text) of path."""
    if not lines:
        return FileScan([], [], [])
    text = _text_of(lines)
    return _scan(path, lines, text, _todo(path, text, rules))


# What to run on one file: each rule that may match it, in order, with the
# offsets of its candidate words (word rules) or None (pattern rules).
_Todo = list[tuple[LineRule, Iterable[int] | None]]


def _text_of(lines: Sequence[tuple[int, str]]) -> str:
    # A git.AddedLines holds the joined text and numbers its lines itself.
    joined = getattr(lines, 'text', None)
    return joined if isinstance(joined, str) else '\n'.join(line for _, line in lines)


def _todo(path: str, text: str, rules: Iterable[LineRule]) -> _Todo:
    """The rules that may match ``text``: those whose gate it passes."""
    todo: _Todo = []
    folded: list[str] = []      # text.lower(), once, if a gate needs it
    for rule in rules:
        pattern = rule.pattern
        if pattern is not None:
            gate = _GATES.get(pattern, _UNKNOWN)
            if gate is _UNKNOWN:
                gate = _gate_of(pattern, len(text))
            if gate is not None:
                if gate.folded:
                    if text.isascii():
                        if not folded:
                            folded.append(text.lower())
                        if gate.regex.search(folded[0]) is None:
                            continue
                elif gate.regex.search(text) is None:
                    continue
            if rule.paths is not None and not rule.paths.match_file(path):
                continue
            todo.append((rule, None))
        elif rule.words is not None and rule.needles is not None:
            if rule.paths is not None and not rule.paths.match_file(path):
                continue
            memo = _runs_of(rule.words)
            if _fast_words(rule, memo):
                offsets: Iterable[int] = _word_candidates(text, memo)
            else:
                offsets = (m.start() for m in rule.needles.finditer(text))
            todo.append((rule, offsets))
    return todo


def _fast_words(rule: LineRule, memo: _Runs) -> bool:
    """Whether the rule's needles are word_rule's own, so that its
    candidates can be found as runs (``_word_candidates``)."""
    needles = rule.needles
    return needles is not None and needles.flags == _WORD_FLAGS and \
        needles.pattern == memo.needles


def _scan(path: str, lines: Sequence[tuple[int, str]], text: str,
          todo: _Todo) -> FileScan:
    """The hits of the rules in ``todo`` on ``text``, the joined ``lines``."""
    result = FileScan([], [], [])
    lineno: Callable[[int], int] = getattr(lines, 'lineno', None) or (lambda i: lines[i][0])
    where = _Text(text)

    suppressed: dict[int, dict[str, str]] = {}
    if 'review-trigger:' in text:
        for m in SUPPRESS.finditer(text):
            idx = where.index(m.start())
            reason = m[2].strip()
            if not reason:
                result.notes.append(
                    f'{path}:{lineno(idx)}: a review-trigger suppression '
                    f'without a reason is ignored',
                )
                continue
            for trigger in m[1].split(','):
                suppressed.setdefault(idx, {})[trigger.strip()] = reason

    def add(rule: LineRule, idx: int, name: str) -> bool:
        reason = suppressed.get(idx, {}).get(rule.trigger)
        number = lineno(idx)
        if reason is not None:
            s = Suppression(rule.trigger, path, number, reason)
            if s not in result.suppressions:
                result.suppressions.append(s)
            return False
        result.hits.append(Hit(rule.trigger, path, number, name))
        return True

    for rule, offsets in todo:
        pattern = rule.pattern
        if pattern is not None:
            count = 0
            last = -1
            for m in pattern.finditer(text):
                idx = where.index(m.start())
                if idx == last:
                    continue
                # A match must not span lines: joined lines are not adjacent
                # in the file. Re-check within the line alone.
                if '\n' in m[0] and not pattern.search(where.line(m.start())):
                    continue
                last = idx
                if add(rule, idx, rule.name):
                    count += 1
                    if count >= MAX_HITS_PER_RULE:
                        break
        elif rule.words is not None and offsets is not None:
            memo = _runs_of(rule.words)
            count = 0
            last = -1
            for offset in offsets:
                idx = where.index(offset)
                if idx == last:
                    continue
                last = idx
                word = _line_word(where.line(offset), memo)
                if word and add(rule, idx, word):
                    count += 1
                    if count >= MAX_HITS_PER_RULE:
                        break
    return result


# -- many files at once --------------------------------------------------------
#
# A large change is mostly files that no rule matches, and the per-file cost
# is then Python's, not the regex engine's. ``scan_files`` joins the texts of
# many files with newlines and runs each rule's gate (or regex) once over the
# whole, to find the files it may match; only those files are scanned, each
# alone, exactly as ``scan_file`` does. Every file where the gate matches is
# found: a match in a file is a match at the same place in the joined text,
# where a newline stands for the start and the end of that file (so ``^``
# and ``$`` under re.M and ``\b`` see the same), and a match that runs on
# into the next files marks them all. A regex that can tell the difference
# (``\A``, ``\Z``, lookarounds, atomic groups...) is not searched that
# way: every file is its candidate.

def scan_files(
        files: Sequence[tuple[str, Sequence[tuple[int, str]]]],
        rules: Sequence[LineRule],
) -> list[FileScan]:
    """``[scan_file(path, lines, rules) for path, lines in files]``."""
    if not files:
        return []
    texts = [_text_of(lines) for _, lines in files]
    if _scanned[0] < _GATES_AFTER and sum(map(len, texts)) < _GATES_AFTER:
        # Too little to be worth the gates (a hook's change).
        return [scan_file(path, lines, rules) for path, lines in files]
    joined = '\n'.join(texts)
    starts = []
    at = 0
    for text in texts:
        starts.append(at)
        at += len(text) + 1
    todo: dict[int, _Todo] = {}
    folded: list[str] = []
    others: list[int] | None = None     # files whose text is not ASCII
    for rule in rules:
        pattern = rule.pattern
        offsets: dict[int, list[int]] | None = None
        if pattern is not None:
            search = _batch_search(pattern)
            if search is None:
                found: Iterable[int] = range(len(files))
            elif search.folded:
                if not folded:
                    # Lower-cased ASCII texts, as a folded gate needs them;
                    # the others are candidates whatever they hold.
                    ascii_ = joined.isascii()
                    others = [] if ascii_ else \
                        [i for i, t in enumerate(texts) if not t.isascii()]
                    folded.append(joined.lower() if ascii_ else '\n'.join(
                        [t.lower() if t.isascii() else t for t in texts]))
                assert others is not None
                found = _files_matching(search.regex, folded[0], starts)
                if others:
                    found = sorted({*others, *found})
            else:
                found = _files_matching(search.regex, joined, starts)
        elif rule.words is not None and rule.needles is not None:
            memo = _runs_of(rule.words)
            if _fast_words(rule, memo):
                # Only the candidates on lines that hold a word: a file
                # without any is not scanned for this rule.
                offsets = {}
                end = -1
                for offset in _word_candidates(joined, memo):
                    if offset < end:
                        continue    # on the line just looked at
                    line_start = joined.rfind('\n', 0, offset) + 1
                    end = joined.find('\n', offset)
                    if end < 0:
                        end = len(joined)
                    if _line_word(joined[line_start:end], memo):
                        i = bisect.bisect_right(starts, offset) - 1
                        offsets.setdefault(i, []).append(offset - starts[i])
                found = offsets
            else:
                found = range(len(files))
        else:
            continue
        for i in found:
            path = files[i][0]
            if rule.paths is not None and not rule.paths.match_file(path):
                continue
            if offsets is not None:
                todo.setdefault(i, []).append((rule, offsets[i]))
            elif pattern is not None:
                todo.setdefault(i, []).append((rule, None))
            else:
                assert rule.needles is not None
                todo.setdefault(i, []).append(
                    (rule, (m.start() for m in rule.needles.finditer(texts[i]))))
    marked = set()
    at = joined.find('review-trigger:')
    while at >= 0:
        marked.add(bisect.bisect_right(starts, at) - 1)
        at = joined.find('review-trigger:', at + 1)
    out = []
    for i, (path, lines) in enumerate(files):
        rules_i = todo.get(i)
        if lines and (rules_i is not None or i in marked):
            out.append(_scan(path, lines, texts[i], rules_i or []))
        else:
            out.append(FileScan([], [], []))
    return out


def _files_matching(regex: re.Pattern[str], text: str, starts: list[int]) -> list[int]:
    """The indexes of the files (starting at ``starts`` in ``text``) that a
    match of ``regex`` starts in, ends in or runs through."""
    out: list[int] = []
    pos = 0
    n = len(starts)
    while True:
        m = regex.search(text, pos)
        if m is None:
            return out
        last = bisect.bisect_right(starts, m.end()) - 1
        out.extend(range(bisect.bisect_right(starts, m.start()) - 1, last + 1))
        if last + 1 >= n:
            return out
        # The next file, searched as if alone: it starts after a newline.
        pos = starts[last + 1]


_SEARCHES: dict[re.Pattern[str], _Gate | None] = {}


def _batch_search(pattern: re.Pattern[str]) -> _Gate | None:
    """What to search joined texts with for the files ``pattern`` may
    match: its gate or itself, or None if it could miss one."""
    if pattern in _SEARCHES:
        return _SEARCHES[pattern]
    if len(_SEARCHES) > 512:
        _SEARCHES.clear()
    search: _Gate | None = None
    try:
        parser = importlib.import_module('re._parser')
        parsed = parser.parse(pattern.pattern, pattern.flags)
        if _context_free(parser, list(parsed.data), bool(pattern.flags & re.M)):
            gate = _GATES.get(pattern, _UNKNOWN)
            if gate is _UNKNOWN:
                gate = _GATES[pattern] = _gate(pattern)
            # A folded gate is a set of literals, and a plain one a part of
            # the pattern: either is as context-free as the pattern.
            search = gate or _Gate(pattern, False)
    except Exception:       # a private module changed: scan every file
        search = None
    _SEARCHES[pattern] = search
    return search


def _context_free(parser: Any, items: list[tuple[Any, Any]], multiline: bool) -> bool:
    r"""Whether a regex matches the same in a text as in that text with
    a newline before and after it: no ``\A``, ``\Z``, ``^`` or ``$``
    without re.M, lookaround, atomic group or possessive repeat."""
    for op, av in items:
        subs: list[Any] = []
        if op is parser.AT:
            if av in (parser.AT_BEGINNING_STRING, parser.AT_END_STRING) or (
                    av in (parser.AT_BEGINNING, parser.AT_END) and not multiline):
                return False
        elif op in (parser.ASSERT, parser.ASSERT_NOT, parser.ATOMIC_GROUP,
                    parser.POSSESSIVE_REPEAT):
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
_MAX_REMEMBERED = 50_000        # runs remembered per word list


class _Runs(NamedTuple):
    words: WordSet          # kept so its id stays unique
    needles: str            # what word_rule makes of it
    starts: frozenset[str]  # words that can start a match
    can: set[bytes]         # runs that can match
    cannot: set[bytes]      # runs that cannot
    lines: dict[str, str | None]    # find_word of recent lines


_RUNS: dict[int, _Runs] = {}


def _runs_of(words: WordSet) -> _Runs:
    runs = _RUNS.get(id(words))
    if runs is None or runs.words is not words:
        starts = frozenset(words.single) | frozenset(w + 's' for w in words.single) | \
            frozenset(p[0] for p in words.phrases)
        runs = _Runs(words, _needles_source(words), starts, set(), set(), {})
        if len(_RUNS) > 64:
            _RUNS.clear()
        _RUNS[id(words)] = runs
    return runs


def _word_candidates(text: str, memo: _Runs) -> list[int]:
    """Offsets, in order, of the runs in ``text`` that can match the word
    list: every line that ``find_word`` matches holds one of them."""
    present = set(text.encode('utf-8', 'surrogatepass').translate(_TO_RUNS).split())
    unknown = present.difference(memo.can, memo.cannot)
    if unknown:
        if len(memo.cannot) > _MAX_REMEMBERED:
            memo.cannot.clear()
            memo.can.clear()
        for run in unknown:
            if run.islower() or run.isupper() or run.isdigit():
                ok = run.lower().decode() in memo.starts
            else:
                ok = any(w in memo.starts for w in split_words(run.decode()))
            (memo.can if ok else memo.cannot).add(run)
    hits = present & memo.can
    if not hits:
        return []
    offsets = []
    end = len(text)
    for run in hits:
        needle = run.decode()
        n = len(needle)
        at = text.find(needle)
        while at >= 0:
            after = at + n
            if (at == 0 or text[at - 1] not in _ALNUM_CHARS) and \
                    (after == end or text[after] not in _ALNUM_CHARS):
                offsets.append(at)
            at = text.find(needle, after)
    offsets.sort()
    return offsets


def _line_word(line: str, memo: _Runs) -> str | None:
    if line in memo.lines:
        return memo.lines[line]
    word = find_word(split_words(line), memo.words)
    if len(memo.lines) > 4096:
        memo.lines.clear()
    memo.lines[line] = word
    return word


# -- gates ----------------------------------------------------------------------
#
# A gate is a necessary condition for a regex to match somewhere in a text:
#
# - the regex without its leading elements (``\b``, ``^\s*``, a character
#   class...) up to one that starts with a literal character: whatever the
#   full regex matches contains a match of the rest, and a regex starting
#   with a literal is searched for at C speed;
# - for a case-insensitive regex (slow to search), a set of ASCII strings
#   one of which every match contains, searched for in the lower-cased text
#   (when the text is ASCII, so lower-casing is what the regex's case
#   folding does).
#
# Gates are derived from the parsed regex (``re._parser``); anything
# unexpected means no gate, and the regex is simply run.

class _Gate(NamedTuple):
    regex: re.Pattern[str]
    folded: bool            # search text.lower(), and only ASCII text


_GATES: dict[re.Pattern[str], _Gate | None] = {}
_MAX_LITERALS = 64
# Deriving the gates costs a few milliseconds: a small change (a hook's)
# is scanned without them.
_GATES_AFTER = 256 * 1024
_scanned = [0]


_UNKNOWN = _Gate(re.compile(''), False)


def _gate_of(pattern: re.Pattern[str], size: int) -> _Gate | None:
    if _scanned[0] < _GATES_AFTER:
        _scanned[0] += size
        return None
    gate = _GATES[pattern] = _gate(pattern)
    return gate


def _gate(pattern: re.Pattern[str]) -> _Gate | None:
    if len(_GATES) > 512:
        _GATES.clear()
    try:
        compiler = importlib.import_module('re._compiler')
        parser = importlib.import_module('re._parser')
        parsed = parser.parse(pattern.pattern, pattern.flags)
        if pattern.flags & re.IGNORECASE:
            literals = _necessary_literals(parser, list(parsed.data))
            if literals is None:
                return None
            return _Gate(re.compile(_alternatives(literals)), True)
        items = list(parsed.data)
        if _has_backreference(parser, items):
            return None
        k = 0
        while k < len(items) - 1 and not _starts_with_literal(parser, items[k]):
            k += 1
        if k == 0 or not _starts_with_literal(parser, items[k]):
            return None
        parsed.data = items[k:]
        regex: re.Pattern[str] = compiler.compile(parsed, pattern.flags)
        return _Gate(regex, False)
    except Exception:       # a private module changed: no gate, same result
        return None


def _starts_with_literal(parser: Any, item: tuple[Any, Any]) -> bool:
    op, av = item
    if op is parser.LITERAL:
        return True
    if op is parser.SUBPATTERN:
        group, add_flags, del_flags, sub = av
        return not add_flags and not del_flags and bool(sub.data) and \
            _starts_with_literal(parser, sub.data[0])
    if op is parser.BRANCH:
        return all(sub.data and _starts_with_literal(parser, sub.data[0])
                   for sub in av[1])
    return False


def _has_backreference(parser: Any, items: list[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op in (parser.GROUPREF, parser.GROUPREF_EXISTS):
            return True
        subs: list[Any] = []
        if op is parser.SUBPATTERN:
            subs = [av[3]]
        elif op is parser.BRANCH:
            subs = list(av[1])
        elif op in (parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT):
            subs = [av[2]]
        elif op in (parser.ASSERT, parser.ASSERT_NOT):
            subs = [av[1]]
        elif op is parser.ATOMIC_GROUP:
            subs = [av]
        if any(_has_backreference(parser, list(s.data)) for s in subs):
            return True
    return False


def _necessary_literals(parser: Any, items: list[tuple[Any, Any]]) -> set[str] | None:
    """Lower-cased ASCII strings one of which every match contains: the
    best product of consecutive top-level elements that each match one of
    a few fixed strings (``(password|api_?key)``), or None."""
    best: set[str] | None = None

    def better(cand: set[str]) -> None:
        nonlocal best
        if '' in cand or not all(s.isascii() for s in cand):
            return
        if best is None or (min(map(len, cand)), -len(cand)) > \
                (min(map(len, best)), -len(best)):
            best = cand

    run: set[str] | None = None
    for item in items:
        strings = _strings(parser, item)
        if strings is None:
            run = None
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
        group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None
        return _sequence(parser, list(sub.data))
    if op is parser.BRANCH:
        out: set[str] = set()
        for sub in av[1]:
            strings = _sequence(parser, list(sub.data))
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= _MAX_LITERALS else None
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
