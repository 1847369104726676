from __future__ import annotations

from review_trigger.change import Change, Detail, Finding
from review_trigger.scan import LineRule, word_rule
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
            details.append(Detail(f.path, f'path names financial, health or personal data ("{word}"), {f.status}'))
    details.extend(hit_details(hits_for(change, 'sensitive-data')))
    return finding(
        'sensitive-data', 'code handling financial, health or personal data', details,
    )


def line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return (word_rule(
        'sensitive-data', 'sensitive identifier',
        compile_words(settings['identifiers']),
    ),)


TRIGGER = register(Trigger(
    'sensitive-data', 'Financial, health or personal data', 'security_review',
    check, line_rules,
    concern='Check what financial, health or personal data is stored, logged '
            'or sent, who can access it, retention, and masking.',
))
