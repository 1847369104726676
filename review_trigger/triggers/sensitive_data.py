from __future__ import annotations

from review_trigger.change import Change, Finding
from review_trigger.scan import LineRule, word_rule
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    finding,
    hit_details,
    hits_for,
    path_word_details,
    register,
)
from review_trigger.words import compile_words


def check(change: Change, settings: Settings) -> Finding | None:
    details = path_word_details(
        change, settings['words'], 'financial, health or personal data',
    )
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
