"""The RE2 prefilter: every line a rule matches is a candidate.

A superset regex that missed a line would lose a hit, so these check the
translation against Python's own ``re`` on many lines: for each regex and
each line it matches (within the line alone, in any script), the superset
matches that line too, and no superset match runs across a newline.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review_trigger import prefilter
from review_trigger.analyze import enabled_triggers
from review_trigger.config import default_config
from review_trigger.regex import regex
from review_trigger.words import compile_words, find_word, split_words

re2 = pytest.importorskip('re2')

# Regexes whose translation is easy to get wrong: case folding, classes,
# categories, anchors, lookarounds, backreferences, counted repeats.
_ODD = [
    r'\bAKIA[0-9A-Z]{16}\b',
    r'(?i)secret',
    r'(?i)[a-f]{3}',
    r'[^a-z]{2}x',
    r'\s+=\s*',
    r'\S+@\S+',
    r'\w+\.\w+',
    r'\W\d',
    r'(?i)\u212a',
    r'(?i)\u017f',
    r'\u00e9t\u00e9',
    r'(?<=x)y',
    r'(?<!x)y',
    r'y(?=z)',
    r'y(?!z)',
    r'(a)\1',
    r'(a)?(?(1)b|c)',
    r'a++b',
    r'(?>ab|a)c',
    r'^\s*import\s+(jwt|ssl)$',
    r'\Afoo',
    r'bar\Z',
    r'a{2,2000}',
    r'a{1500}',
    r'[\d\s]{3}',
    r'(?i:K)elvin',
    r'x(?-i:Y)',
    r'[\]\-\\^]',
    r'.{5}',
    r'a|b|c',
    r'(?x) a \  b  # comment',
    r'[^\n]',
    r'\t\x0b\x0c\r\x1c',
    r'\D\S\W',
    r'[\W\d]',
]

_ASCII_LINE = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=127, blacklist_characters='\n'),
    max_size=40,
)
# Real text: any script, and the characters that case-fold to ASCII.
_LINE = _ASCII_LINE | st.text(
    alphabet=st.characters(blacklist_categories=['Cs'], blacklist_characters='\n')
    | st.sampled_from('\u0130\u0131\u212a\u017fkKsSiI\u00e9=" '),
    max_size=40,
)
_SAMPLES = [
    'AKIAIOSFODNN7EXAMPLE',
    'password = "hunter2"',
    'import jwt',
    '  import ssl',
    'from cryptography import x',
    'kind: Secret',
    'aab',
    'ac',
    'bc',
    'abc',
    'xy',
    'yz',
    'a' * 1600,
    'foo',
    'bar',
    'KELVIN',
    'Kelvin',
    'xY',
    'xy',
    ']-\\^',
    '\t\x0b\x0c\r\x1c',
    'user@example.com',
    'a.b',
    ' 1',
    'SECRET',
    'sEcReT',
    'ABC',
    'abc',
    '12 ',
    'ghp_' + 'a' * 36,
    'https://u:p@h/x',
    '-----BEGIN RSA PRIVATE KEY-----',
    '\u00e9t\u00e9',
    'mot de passe \u00e9 password = "h\u00e9llo-w\u00f6rld"',
    '\u212aelvin',
    '\u017fecret = "abcdef"',
    '\u0130mport jwt',
    'import jwt  # \u65e5\u672c\u8a9e',
    '\u00e9 x \u00e9',
    '\u00e9\u00e9\u00e9\u00e9\u00e9',
    'a\u00e9b',
    '\u00a0=\u2003',
]


def _rules() -> list[re.Pattern[str]]:
    patterns = [re.compile(p, re.M) for p in _ODD]
    for trigger, settings_ in enabled_triggers(default_config()):
        patterns.extend(r.pattern.compiled for r in trigger.line_rules(settings_) if r.pattern)
    return patterns


def _compiled(pattern: re.Pattern[str]) -> Any:
    source = prefilter.superset(pattern)
    if source is None:
        return None
    return re2.compile(source.encode())


@functools.cache
def _supersets() -> list[tuple[re.Pattern[str], Any]]:
    """Every rule with its compiled superset, made once: the examples below
    check lines against them, not the translation's cost again each time."""
    return [(pattern, sup) for pattern in _rules() if (sup := _compiled(pattern)) is not None]


def _check(pattern: re.Pattern[str], sup: Any, lines: list[str]) -> None:
    for line in lines:
        data = line.encode()
        if pattern.search(line):
            assert sup.search(data) is not None, (pattern.pattern, line)  # type: ignore[attr-defined]
        # Never across lines.
        m = sup.search(data + b'\n' + data)  # type: ignore[attr-defined]
        assert m is None or b'\n' not in m.group(), (pattern.pattern, line)


def test_supersets_hold_on_samples() -> None:
    for pattern, sup in _supersets():
        _check(pattern, sup, _SAMPLES)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=10))
def test_supersets_hold_on_random_lines(lines: list[str]) -> None:
    for pattern, sup in _supersets():
        _check(pattern, sup, lines)


def test_most_rules_are_covered() -> None:
    # The built-in rules all translate; the odd ones mostly do.
    for trigger, settings_ in enabled_triggers(default_config()):
        for rule in trigger.line_rules(settings_):
            if rule.pattern is not None:
                assert prefilter.superset(rule.pattern) is not None, rule.name
    assert prefilter.superset(re.compile(r'(a)\1')) == '(?:\\x61)[^\\n]*'


def test_case_folding_is_pythons() -> None:
    # Under re.I the Kelvin sign matches an ASCII 'k', and the long s an 's'.
    assert re.search('(?i)\u212a', 'k') and re.search('(?i)\u017f', 's')
    assert _compiled(re.compile('(?i)\u212a')).search(b'k')  # type: ignore[union-attr]
    assert _compiled(re.compile('(?i)\u017f')).search(b'S')  # type: ignore[union-attr]
    # Without re.I a non-ASCII literal can match no ASCII line.
    assert _compiled(re.compile('\u00e9')).search(b'e') is None  # type: ignore[union-attr]
    # ... and an ASCII rule holds on other scripts' lines without taking them all.
    secret = _compiled(re.compile('(?i)secret'))
    assert secret.search('\u017fecret'.encode())  # type: ignore[union-attr]
    assert secret.search('caf\u00e9 \u65e5\u672c'.encode()) is None  # type: ignore[union-attr]


def test_folds_are_every_non_ascii_match_of_an_ascii_character() -> None:
    """prefilter._FOLDS lists, for this Python, every non-ASCII character
    re.IGNORECASE matches for an ASCII one (checked on every code point)."""
    every = ''.join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    for c in range(128):
        found = set(re.findall(re.escape(chr(c)), every, re.I))
        assert found <= set(prefilter._FOLDS.get(chr(c).lower(), '')), (chr(c), found)


def test_lines_are_found_per_pattern() -> None:
    pre = prefilter.build([re.compile('secret'), re.compile('token'), re.compile('absent')])
    assert pre is not None
    data = b'secret\nnothing\na token and a secret\ntoken'
    second = data.index(b'a token')
    assert prefilter.lines(pre, data) == {0: [0, second], 1: [second, data.index(b'\ntoken') + 1]}
    # Only the patterns asked for.
    assert prefilter.lines(pre, data, {1}) == {1: [second, data.index(b'\ntoken') + 1]}
    assert prefilter.lines(pre, b'nothing here') == {}


@pytest.mark.parametrize('piece', [1, 7, 30, 1 << 20])
def test_lines_are_found_in_every_piece(monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    """A set says which members match in each piece of a text; a member is
    searched for only in the pieces it matched in, and no line is cut in
    two: whatever the piece size, the same lines are found."""
    monkeypatch.setattr(prefilter, '_PIECE', piece)
    pre = prefilter.build([re.compile('secret'), re.compile('token'), re.compile(r'\bkey\b')], union=True)
    assert pre is not None
    lines = ['x' * 12, 'a secret', 'y', 'token key', 'z' * 40, 'secret', 'no', 'monkey', 'key']
    data = '\n'.join(lines).encode()
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    assert prefilter.lines(pre, data) == {
        0: [starts[1], starts[5]],
        1: [starts[3]],
        2: [starts[3], starts[7], starts[8]],
    }
    # ('monkey' is a candidate: a superset drops the word boundaries.)
    # The union of the set finds the same lines.
    assert prefilter.candidate_lines(pre, data) == [starts[i] for i in (1, 3, 5, 7, 8)]
    assert prefilter._pieces(data)[-1][1] == len(data)
    assert all(b == len(data) or data[b - 1 : b] == b'\n' for _, b in prefilter._pieces(data))


def test_a_superset_leaves_out_what_may_match_nothing_at_its_ends() -> None:
    # A leading repeat makes RE2 look for the longest run before a match;
    # a line holding a match holds one of what is left.
    assert prefilter.superset(re.compile(r'\s*token\s*=?')) == prefilter.superset(re.compile('token'))
    assert prefilter.superset(re.compile(r'(?:[^/]*)\.md')) == prefilter.superset(re.compile(r'\.md'))
    # Inside a group, and in each alternative of a branch.
    assert prefilter.superset(re.compile(r'(\s*a|b\s*)')) == '(?:\\x61|\\x62)'
    # A regex of nothing but what may match nothing has no superset.
    assert prefilter.build([re.compile(r'\s*x?')]) is None


def test_patterns_with_other_keys_are_in_other_sets() -> None:
    patterns = [re.compile('a1'), re.compile('b2'), re.compile('c3')]
    pre = prefilter.build(patterns, ['code', 'docs', 'code'])
    assert pre is not None
    assert sorted(members for _, members in pre.sets) == [(0, 2), (1,)]
    # A text only the docs pattern looks at runs only its set.
    assert prefilter.lines(pre, b'a1 b2 c3', {1}) == {1: [0]}


def test_large_patterns_are_searched_alone() -> None:
    words = '|'.join(f'word{i}' for i in range(2000))
    pre = prefilter.build([re.compile(words), re.compile('small')])
    assert pre is not None
    assert pre.heavy == (0,)
    assert [members for _, members in pre.sets] == [(1,)]
    assert prefilter.lines(pre, b'x\nword123 small') == {0: [2], 1: [2]}


def test_large_patterns_are_searched_only_where_their_literals_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pattern too large for a set, given literals one of which each of its
    lines holds, is searched only in the pieces holding one (in any case, as
    Python's re.IGNORECASE reads them: a dotted capital I is an 'i'): the
    gates' own pieces (``_GATE_PIECE``), smaller than the sets'."""
    monkeypatch.setattr(prefilter, '_GATE_PIECE', 8)
    words = '|'.join(f'word{i}' for i in range(2000))
    big = re.compile(f'(?i)(?:secret|pin)_(?:{words})')
    pre = prefilter.build(
        [big, re.compile('small')], literals=lambda i: {b'secret_', b'pin_'} if i == 0 else None
    )
    assert pre is not None and pre.heavy == (0,) and pre.gates is not None
    lines = ['nothing here', 'SECRET_WORD7 = 1', 'more nothing', 'small', 'P\u0130N_word12', 'secret_other']
    data = '\n'.join(lines).encode()
    starts = [len('\n'.join(lines[:i]).encode()) + (1 if i else 0) for i in range(len(lines))]
    assert [i for i, line in enumerate(lines) if big.search(line)] == [1, 4]
    searched: list[tuple[int, int]] = []
    real = prefilter._lines_of

    def recording(regex: Any, data: bytes, pos: int = 0, end: int | None = None) -> Any:
        if regex is prefilter._alone_of(pre, 0):
            searched.append((pos, len(data) if end is None else end))
        return real(regex, data, pos, end)

    monkeypatch.setattr(prefilter, '_lines_of', recording)
    assert prefilter.lines(pre, data) == {0: [starts[1], starts[4]], 1: [starts[3]]}
    # The pieces with neither literal ('nothing here', 'small') were not searched.
    assert searched and all(
        b'secret_' in data[a:b].lower() or 'p\u0130n_'.encode() in data[a:b].lower() for a, b in searched
    )
    assert not any(data[a:b].startswith(b'nothing') for a, b in searched)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(['', 'password = 1', 'x', 'Passwd', 'é pass', 'a\tb']), max_size=12),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_lines_of_is_the_same_through_re2s_match_or_a_search(lines: list[str], a: int, b: int) -> None:
    """The lines a regex matches in, between two line boundaries: through
    the RE2 object's own Match (the fast way) and through any regex's
    search (Python's re here) alike."""
    data = '\n'.join(lines).encode()
    starts = [0] + [k + 1 for k, c in enumerate(data) if c == 0x0A] + [len(data)]
    pos, end = sorted((starts[a % len(starts)], starts[b % len(starts)]))
    source = rb'(?i)pass(?:wor)?d|\t'
    fast = list(prefilter._lines_of(re2.compile(source), data, pos, end))
    slow = list(prefilter._lines_of(re.compile(source), data, pos, end))
    assert fast == slow
    assert fast == [s for s in starts[:-1] if pos <= s < end and re.search(source, data[s:].split(b'\n')[0])]


def test_empty_matches_are_not_covered() -> None:
    pre = prefilter.build([re.compile('x*'), re.compile(r'\b'), re.compile('secret')])
    assert pre is not None and pre.covered == (False, False, True)
    assert prefilter.build([re.compile('x*')]) is None


def test_candidates_are_whole_lines_once_each() -> None:
    pre = prefilter.build([re.compile('secret'), re.compile('token')])
    assert pre is not None
    data = 'a\nsecret token secret\nb\ncaf\u00e9\n# review-trigger: ignore[x] y\nsecret'.encode()
    starts = list(prefilter.candidate_lines(pre, data))
    lines = data.split(b'\n')
    offsets = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    # A line in another script is no candidate of itself ("café").
    assert starts == [offsets[1], offsets[5]]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ['ssn', 'date of birth', 'patient', 'tin', 'iban', 'routing number', '2fa code', 'x']
        ),
        min_size=1,
        max_size=4,
    ),
    st.lists(
        _LINE
        | st.sampled_from(
            [
                'userSSN',
                'DateOfBirth',
                'patients',
                'IBANs',
                'x_tin_y',
                'settings',
                'routing:',
                'ROUTINGNumber',
                'routing2number',
                'my2faCode',
                'HTTPSsn',
                'mySSNs',
                'a2FA code',
                'date-of  birth',
                'USSN',
                'xSsn',
                'PatientID',
                'TIN',
                'X',
                'aXb',
            ]
        ),
        max_size=10,
    ),
)
def test_word_supersets_hold(entries: list[str], lines: list[str]) -> None:
    words = compile_words(entries)
    source = prefilter.word_superset(words)
    assert source is not None
    sup = re2.compile(source.encode())
    for line in lines:
        if find_word(split_words(line), words):
            assert sup.search(line.encode()) is not None, (entries, line)


def test_a_line_re2_cannot_read_is_checked_by_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lone surrogate (a path git gave that is not UTF-8) makes a line RE2
    cannot read (it sees '?'): Python's re checks that line with every
    rule, and finds what checking every line finds."""
    from review_trigger import scan

    rules = [
        scan.LineRule('t', 'odd key', regex('key[\u0080-\uffff]{2}')),
        scan.LineRule('t', 'plain', regex('plain')),
    ]
    lines = [(1, 'x = 1'), (2, 'key\udcff\udcfe = 1'), (3, 'plain key\u00e9\u00e9')]
    monkeypatch.setattr(scan, 'BATCH_AFTER', 0)
    monkeypatch.setattr(scan, 'EVERY_LINE_BELOW', 0)
    got = scan.scan_file('src/app.py', lines, rules)
    assert [(h.line, h.rule) for h in got.hits] == [(2, 'odd key'), (3, 'odd key'), (3, 'plain')]


@pytest.mark.skipif(not prefilter.available(), reason='RE2 is not installed')
@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.sampled_from(['plain', 'a key here', 'ключ key', '中文 to-k', 'x' * 300, 'ключ ' * 60, '']),
        max_size=900,
    ),
    sets=st.lists(
        st.one_of(st.none(), st.sets(st.sampled_from(['key', 'to-k', 'ключ', 'absent']), min_size=1))
    ),
)
def test_literal_spans_hold_every_occurrence(lines: list[str], sets: list[set[str] | None]) -> None:
    text = '\n'.join(lines)
    spans = prefilter.literal_spans(sets, text)
    if not any(sets):
        assert spans is None
        return
    assert spans is not None and len(spans) == len(sets)
    for literals, found in zip(sets, spans, strict=True):
        if not literals:
            assert found is None
            continue
        assert found is not None and found == sorted(found)
        for lit in literals:
            at = text.find(lit)
            while at >= 0:
                assert any(a <= at and at + len(lit) <= b for a, b in found), (lit, at)
                at = text.find(lit, at + 1)
        # Whole lines, each holding a literal of the set.
        for a, b in found:
            assert a == 0 or text[a - 1] == '\n'
            assert b == len(text) or text[b - 1] == '\n'
            assert any(lit in text[a:b] for lit in literals)


@pytest.mark.parametrize(
    ('pattern', 'expected'),
    [
        (r'\bEAAA[\w-]{6}', True),
        (r'\b(sq0atp|sq0csp)-\w{3,}|\bEAAA[\w-]{6}', True),
        (r'(?<![\w/])key=\w+', True),
        (r'^(?:from|import)\s+jwt', True),
        (r'(?i)(?=\w*secret)\bpass\w*', True),
        # A match may begin with what the superset leaves out.
        (r'\s*=\s*password', False),
        (r'a?secret', False),
        (r'(?:\bfoo|\s+bar)', True),
        (r'(?:\bfoo|\s*bar)', False),
        (r'(?:x*)?token', False),
    ],
)
def test_aligned_says_whether_matches_start_where_the_supersets_do(pattern: str, expected: bool) -> None:
    assert prefilter.aligned(regex(pattern)) is expected


_LONG_PARTS = st.sampled_from(
    ['EAAA', 'xEAAA', '/EAAA', 'sq0atp-', 'sq0csp-', 'abcdefghij', 'ABCDEFGHIJ', '0123456789', '-', '_']
    + ['/', '+', '=', ' ', 'key=', '_key=', 'pass', 'word', 'EAA', 'sq0', 'AAAAAAAAAA', 'import jwt']
)


@pytest.mark.skipif(not prefilter.available(), reason='RE2 is not installed')
@settings(max_examples=150, deadline=None)
@given(st.lists(_LONG_PARTS, min_size=1, max_size=250).map(''.join), st.integers(1, 300))
def test_a_long_line_is_searched_where_the_superset_starts(line: str, tries: int) -> None:
    """Trying an aligned regex only where its superset's matches start, and
    searching the rest after ``tries`` places, finds a match exactly when
    Python's search of the whole line does: near misses ('xEAAA', a token
    too short, 'sq0' alone) included."""
    patterns = [
        r'\b(sq0atp|sq0csp)-[0-9A-Za-z_-]{22,}|\bEAAA[\w-]{60}',
        r'(?<![\w/])key=\w{5}',
        r'\bpass(word)?\b',
        r'^import jwt',
        r'(?<=/)EAAA(?!AAAAA)',
    ]
    for source in patterns:
        pattern = regex(source)
        assert prefilter.aligned(pattern), source
        superset = prefilter._alone(prefilter.checked_superset(pattern))
        assert superset is not None, source
        expected = pattern.compiled.search(line) is not None
        assert prefilter.search_long(pattern.compiled, line, superset, tries) is expected, (source, line)


def test_a_rules_long_candidate_lines_give_the_hits_of_a_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the scanner: lines longer than LONG_LINE (base64 in an SVG)
    give the same hits as Python's search of each line."""
    from review_trigger import scan

    token = 'EAAA' + 'Ab1_' * 15
    blob = 'iVBORw0KGgo' * 300
    lines = [
        (1, f'<image href="data:image/png;base64,{blob}/{token}{blob}"/>'),  # a real token, '/' before it
        (2, f'<image href="data:image/png;base64,{blob}x{token}{blob}"/>'),  # a word character before it
        (3, f'<image href="data:image/png;base64,{blob}/EAAA{"Ab1_" * 5}+{blob}"/>'),  # too short
        (4, f'short /{token} line'),
    ]
    assert all(len(text) > scan.LONG_LINE for _, text in lines[:3])
    rules = [
        scan.LineRule(
            'security', 'Square token', regex(r'\b(sq0atp|sq0csp)-[0-9A-Za-z_-]{22,}|\bEAAA[\w-]{60}')
        )
    ]
    monkeypatch.setattr(scan, 'BATCH_AFTER', 0)
    monkeypatch.setattr(scan, 'EVERY_LINE_BELOW', 0)
    calls: list[int] = []
    real = prefilter.search_long

    def counted(*args: Any, **kwargs: Any) -> bool:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(prefilter, 'search_long', counted)
    got = scan.scan_file('docs/img/diagram.svg', lines, rules)
    assert [h.line for h in got.hits] == [1, 4]
    assert len(calls) >= 2  # the long lines took the quick way


@pytest.mark.skipif(not prefilter.available(), reason='RE2 is not installed')
@pytest.mark.parametrize('tries', [1, 2, 256])
@pytest.mark.parametrize(
    ('source', 'line', 'expected'),
    [
        # The superset's matches overlap: the match starts at the third.
        (r'(?<=b)\w+z', 'abcz', True),
        (r'(?<=b)\w+z', 'abcz' * 700, True),
        (r'(?<=q)\w+z', 'abcz' * 700, False),
        (r'(?<![\w/])key=\w{5}', '_key=abcde ' * 300 + 'key=abcde', True),
        (r'(?<![\w/])key=\w{5}', '_key=abcde /key=abcde ' * 300, False),
    ],
)
def test_overlapping_superset_matches_are_each_tried(
    source: str, line: str, expected: bool, tries: int
) -> None:
    pattern = regex(source)
    assert prefilter.aligned(pattern)
    superset = prefilter._alone(prefilter.checked_superset(pattern))
    assert (pattern.compiled.search(line) is not None) is expected
    assert prefilter.search_long(pattern.compiled, line, superset, tries) is expected
