from __future__ import annotations

import re

from review_trigger.change import Change, Detail, Finding
from review_trigger.scan import LineRule
from review_trigger.triggers._base import (
    Settings, Trigger, considered, finding, hit_details, hits_for, register,
)
from review_trigger.words import compile_words, find_word, split_words


def check(change: Change, settings: Settings) -> Finding | None:
    words = compile_words(settings['words'])
    details = []
    for f in considered(change):
        if f.generated:
            continue
        word = find_word(split_words(f.path), words)
        if word:
            details.append(Detail(f.path, f'path names security-sensitive code ("{word}"), {f.status}'))
    details.extend(hit_details(hits_for(change, 'security')))
    return finding('security', 'security-sensitive code touched', details)


def line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return tuple(
        LineRule('security', name, re.compile(pattern, re.M))
        for name, pattern in settings['line_patterns'].items()
    )


TRIGGER = register(Trigger(
    'security', 'Security-sensitive code', 'security_review', check,
    line_rules,
    concern='Check authentication and authorization paths, failure handling, '
            'token and session edge cases, cryptography use, and that no real '
            'credential is committed.',
))
