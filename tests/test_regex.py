"""A rule's regex is compiled when first searched with, and reads as the
compiled one would: its source and the flags ``re.compile`` reports."""

from __future__ import annotations

import re

import pytest

from review_trigger import regex as regex_mod
from review_trigger.analyze import enabled_triggers
from review_trigger.config import default_config
from review_trigger.regex import regex
from review_trigger.scan import Rules, scan_files

_CASES = [
    ('x', 0),
    ('x', re.I),
    ('x', re.A),
    ('x', re.M | re.S),
    ('(?i)x', 0),
    ('(?i)(?m)x', 0),
    ('(?im)x', re.M),
    ('(?a)x', 0),
    ('(?u)x', 0),
    ('(?s)(?i:a)x', 0),
    ('(?i:x)', 0),
    ('(?:x)', 0),
    ('(?P<n>x)', 0),
    ('(?=x)x', 0),
    ('(?x) (?i)x', 0),
    ('(?x)a b # c', 0),
    ('a (?#c) b', re.X),
    (' (?i) x', re.X),
    ('[(?i)]x', 0),
]


def _default_regexes() -> list[tuple[str, int]]:
    out = []
    for trigger, settings in enabled_triggers(default_config()):
        for rule in trigger.line_rules(settings):
            for rx in (rule.pattern, rule.unless, rule.needles):
                if rx is not None:
                    out.append((rx.pattern, rx.flags))
    return out


@pytest.mark.parametrize(('source', 'flags'), _CASES)
def test_the_flags_are_those_re_compile_gives(source: str, flags: int) -> None:
    assert regex(source, flags).flags == re.compile(source, flags).flags
    assert regex(source, flags).pattern == source


def test_every_default_rule_reads_as_its_compiled_regex() -> None:
    found = _default_regexes()
    assert len(found) > 80
    for source, flags in found:
        assert flags == re.compile(source, flags).flags, source


def test_searches_give_what_the_compiled_regex_gives() -> None:
    rx = regex(r'(?i)\bsecret\w*', re.M)
    text = 'a Secret_key\nno\nsecrets here'
    assert rx.search(text) is not None and rx.search(text)[0] == 'Secret_key'  # type: ignore[index]
    assert [m.span() for m in rx.finditer(text)] == [
        m.span() for m in re.finditer(r'(?i)\bsecret\w*', text, re.M)
    ]
    assert rx.search(text, 3) is not None and rx.search('no secret', 0, 5) is None
    assert rx.compiled.flags == rx.flags and rx.compiled.pattern == rx.pattern


def test_a_regex_is_compiled_when_first_searched_with() -> None:
    regex_mod._compile.cache_clear()
    bad = regex('unclosed (group')  # not compiled yet: no error
    assert regex_mod._compile.cache_info().currsize == 0
    with pytest.raises(re.error):
        bad.search('x')
    # A verbose regex that may hold global flags after whitespace is
    # compiled at once, for its flags.
    regex(' (?i) x', re.X)
    assert regex_mod._compile.cache_info().currsize == 1


def test_a_small_change_compiles_only_the_rules_its_lines_may_match() -> None:
    rules = [
        r for trigger, settings in enabled_triggers(default_config()) for r in trigger.line_rules(settings)
    ]
    with_regex = [r for r in rules if r.pattern is not None]
    regex_mod._compile.cache_clear()
    [quiet] = scan_files([('app/util.py', [(1, 'x = 1'), (2, 'return total')])], Rules(rules))
    assert quiet.hits == []
    # Compiling every rule up front was a third of a hook's run.
    compiled = regex_mod._compile.cache_info().currsize
    assert compiled < len(with_regex) // 4, compiled
    regex_mod._compile.cache_clear()
    [found] = scan_files([('app/settings.py', [(1, 'password = "hunter2-very-secret"')])], Rules(rules))
    assert [h.rule for h in found.hits if h.rule == 'credential assignment']
    assert 0 < regex_mod._compile.cache_info().currsize < len(with_regex) // 4
