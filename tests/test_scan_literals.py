"""The necessary literals that find a regex's candidate lines without RE2.

Each shape of literal the scanner derives from a regex is checked against
the regex itself: the literals found are in every line it matches, a line
holding them is a candidate, and a near line without them is not.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from review_trigger import defaults, scan
from review_trigger.analyze import enabled_triggers
from review_trigger.config import default_config
from review_trigger.regex import regex
from review_trigger.scan import LineRule


def _default_rules() -> list[LineRule]:
    rules: list[LineRule] = []
    for trigger, settings_ in enabled_triggers(default_config()):
        rules.extend(trigger.line_rules(settings_))
    return rules


_RULES = [r for r in _default_rules() if r.pattern is not None]


def _rule(pattern: str, flags: int = 0) -> LineRule:
    return LineRule('security', 'test', regex(pattern, flags | re.M))


def _candidates(rule: LineRule, texts: list[str]) -> list[set[int]]:
    """The candidate lines of each text, as the scanner finds them
    without RE2 (the literal search of ``_python_candidates``)."""
    run = scan.Rules([rule])
    joined = scan._joined(texts)
    found: list[dict[int, set[int]]] = [{} for _ in texts]
    scan._python_candidates(0, run, texts, joined, found)
    return [f.get(0, set()) for f in found]


def _literals(rule: LineRule) -> list[set[str]]:
    assert rule.pattern is not None
    return [{lit.decode() for lit in lits} for lits in scan._literal_sets(rule.pattern)]


def _holds_each(line: str, sets: list[set[str]]) -> bool:
    low = scan._fold(line).lower()
    return all(any(lit in low for lit in lits) for lits in sets)


def _check_shape(rule: LineRule, hit: str, near: str) -> None:
    """``hit`` matches and is a candidate; ``near``, without the literals,
    matches not and is no candidate; among other lines, in two files."""
    assert rule.pattern is not None
    sets = _literals(rule)
    assert sets, rule.pattern.pattern
    assert rule.pattern.search(hit) and _holds_each(hit, sets)
    assert not rule.pattern.search(near) and not _holds_each(near, sets)
    first = ['x = 1', near, hit, 'y = 2']
    second = [hit, 'z', near]
    got = _candidates(rule, ['\n'.join(first), '\n'.join(second)])
    assert 2 in got[0] and 1 not in got[0]
    assert 0 in got[1] and 2 not in got[1]


def test_a_branch_after_a_shared_prefix_gives_its_starts() -> None:
    # Python's parser takes the A out of (AKIA|...|A3T[A-Z0-9]): the
    # literals are the A and what each alternative starts with.
    rule = _rule(r'\b(AKIA|ASIA|A3T[A-Z0-9])[0-9A-Z]{16}\b')
    assert _literals(rule)[0] == {'akia', 'asia', 'a3t'}
    _check_shape(rule, 'key = "AKIAIOSFODNN7EXAMPLE"', 'key = "AKIBIOSFODNN7EXAMPLE"')
    _check_shape(rule, 'k: A3TXIOSFODNN7EXAMPLE', 'k: A4TXIOSFODNN7EXAMPLE')


def test_a_short_literal_is_extended_by_the_class_after_it() -> None:
    rule = _rule(r'\bSK[0-9a-fA-F]{32}\b')
    literals = _literals(rule)[0]
    # SK then one hex digit, in either case: lower-cased, 16 of them.
    assert literals == {'sk' + c for c in '0123456789abcdef'}
    _check_shape(rule, 'twilio = "SK' + 'a1' * 16 + '"', 'twilio = "SKz' + 'a1' * 16 + '"')


def test_a_class_with_a_category_does_not_extend_a_literal() -> None:
    # \d also matches other scripts' digits: it cannot be spelt out.
    rule = _rule(r'\bSK\d{32}\b')
    assert _literals(rule) == []
    line = 'SK' + '\u0663' * 32
    assert rule.pattern is not None and rule.pattern.search(line)
    assert _candidates(rule, [line]) == [{0}]


def test_literals_sharing_a_prefix_are_one_search() -> None:
    # The Azure secret shape: Q~ and one character of a class of 66.
    rule = _rule(r"""(^|['"\s=])[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}($|['"\s])""")
    literals = _literals(rule)[0]
    assert len(literals) == 40 and all(lit.startswith('q~') for lit in literals)
    searches = scan._searches(scan._literal_sets(rule.pattern)[0])  # type: ignore[arg-type]
    assert len(searches) == 1 and searches[0][0].startswith(b'\n')
    secret = 'abc8Q~' + 'x' * 33
    _check_shape(rule, f'secret = "{secret}"', f'secret = "{secret.replace("~", "-")}"')


def test_a_branch_gives_a_few_literals_of_each_alternative() -> None:
    # The personal-data masking rule: each alternative's best (a field
    # name then a verb, 128 of them) would be too many with the other's.
    rule = _rule(defaults.PII_TRANSFORMED)
    literals = _literals(rule)[0]
    assert {'mask', 'hash', 'redact', 'digest'} <= literals and len(literals) <= 16
    _check_shape(rule, 'x = masked_email(u)', 'x = user_email(u)')
    _check_shape(rule, 'PHONE_DIGEST = 1', 'PHONE_NUMBER = 1')


def test_every_set_of_literals_must_be_held() -> None:
    rule = _rule(r'^\s*(from|import)\s+(jwt|ssl|hashlib)\b')
    sets = _literals(rule)
    assert {'from', 'import'} in sets and {'jwt', 'ssl', 'hashlib'} in sets
    _check_shape(rule, 'import jwt', 'import os')
    _check_shape(rule, 'from ssl import x', 'from os import ssx')


def test_a_literal_is_found_inside_longer_words_and_across_files() -> None:
    # The vocabulary holds runs of letters and digits: a literal's core
    # may be inside one (``Xpasswordy``), and each file's lines are its own.
    rule = _rule(r'(?i)api_?key\s*=')
    texts = ['a\nmyAPIKEY = 3\nb', 'c\nd', 'the_api_key= 1', 'no key here']
    assert _candidates(rule, texts) == [{1}, set(), {0}, set()]


def test_a_batch_without_the_literals_has_no_candidates() -> None:
    rule = _rule(r'\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,})')
    assert _literals(rule)[0] == {'glsa_', 'glc_'}
    assert _candidates(rule, ['gl sa_ glc', 'glcx_ and gls_a']) == [set(), set()]
    token = 'glc_' + 'A' * 32
    assert _candidates(rule, ['x', f'1\n2\nt = {token}']) == [set(), {2}]


def test_folding_maps_what_ignore_case_matches_for_ascii_letters() -> None:
    # U+017F (long s) matches s and U+212A (Kelvin sign) matches k under
    # re.I: the folded text has the literal where the rule matches.
    rule = _rule(r'(?i)secret_key')
    line = '\u017fECRET_\u212aEY = 1'
    assert rule.pattern is not None and rule.pattern.search(line)
    assert scan._fold(line) == line.translate(scan._FOLD)
    assert _candidates(rule, ['caf\u00e9', line]) == [set(), {0}]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), index=st.integers(0, len(_RULES) - 1))
def test_literals_are_in_every_line_a_default_rule_matches(data: st.DataObject, index: int) -> None:
    rule = _RULES[index]
    assert rule.pattern is not None
    sets = _literals(rule)
    text = data.draw(st.from_regex(rule.pattern.compiled))
    lines = [line for line in text.split('\n') if rule.pattern.search(line)]
    assume(lines)
    for line in lines:
        assert _holds_each(line, sets), (rule.name, line)


_PIECES = st.sampled_from(
    [
        'AKIAIOSFODNN7EXAMPLE',
        'A3TX' + 'B' * 16,
        'SK' + 'ab' * 16,
        'SKg' + 'ab' * 16,
        'glc_' + 'z' * 32,
        'glsa_' + 'z' * 32 + '_0123abcd',
        'abc8Q~' + 'y' * 32,
        ' masked_email ',
        'phone_hash',
        'import jwt',
        'import os',
        'from hashlib import sha1',
        'password = "x"',
        ' \u212a\u017f\u0130',
        '\n',
        '"',
    ]
)


@settings(max_examples=200, deadline=None)
@given(files=st.lists(st.lists(_PIECES | st.text(max_size=12), max_size=12), min_size=1, max_size=3))
def test_candidates_hold_every_line_a_rule_matches(files: list[list[str]]) -> None:
    texts = [''.join(pieces) for pieces in files]
    for rule in _RULES:
        assert rule.pattern is not None
        got = _candidates(rule, texts)
        for text, lines in zip(texts, got, strict=True):
            for i, line in enumerate(text.split('\n')):
                if rule.pattern.search(line):
                    assert i in lines, (rule.name, line)


_ALPHABET = st.sampled_from(['a', 'b', 'ab', 'ba', '-', '_', ' ', '\n', '~', 'A', '\u017f', '\u212a', 'é'])


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.lists(_ALPHABET, max_size=30).map(''.join), min_size=1, max_size=3),
    literal=st.lists(_ALPHABET.filter(lambda c: c.isascii() and c != '\n'), min_size=1, max_size=6).map(
        ''.join
    ),
)
def test_a_text_holding_a_literal_holds_its_needles(texts: list[str], literal: str) -> None:
    # What the vocabulary must hold for a literal (a whole run, a run's
    # start or end) is there whenever the folded text holds the literal.
    literal = literal.lower()
    joined = scan._joined(texts)
    low = scan._folded(joined)
    vocabulary = scan._vocabulary(joined)
    if low and literal in low:
        for needle in scan._needles(literal.encode()):
            assert needle in vocabulary, (literal, needle)


_WORDISH = st.sampled_from(
    ['user', 'userName', 'x', 'id', 'ssn', 'SSN', 'width', 'salary', 'mySalary', 'dob', 'passport', 'iban']
)


@settings(max_examples=60, deadline=None)
@given(
    pieces=st.lists(
        st.tuples(_WORDISH, st.sampled_from([' ', '_', '.', '\n', '', '9', '\u00e9', '\u4e2d'])), min_size=1
    )
)
def test_word_runs_are_found_as_in_any_text(pieces: list[tuple[str, str]]) -> None:
    # An ASCII text is searched in its spaced runs (a find for each run,
    # or one regex for them all), any other character by character, and
    # a batch's lines in its UTF-8 bytes: the same runs, on the same lines.
    text = ''.join(w + sep for w, sep in pieces)
    seen = []
    for at_once in (1, 10**9):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(scan, '_RUNS_AT_ONCE', at_once)
            offsets = scan._word_candidates(text, _memo())
            if text.isascii():
                assert offsets == scan._word_candidates(text + '\u00e9', _memo())
            # Two files when it has two lines: joined, the same text.
            joined = scan._joined(text.split('\n', 1))
            assert scan._word_lines(joined, _memo()) == [text.count('\n', 0, at) for at in offsets]
            seen.append(offsets)
    assert seen[0] == seen[1]


def _memo() -> Any:
    return scan.Rules([_RULES[0]]).runs(_auth_words())


def _auth_words() -> Any:
    rule = next(r for r in _default_rules() if r.words is not None and r.name == 'sensitive identifier')
    return rule.words
