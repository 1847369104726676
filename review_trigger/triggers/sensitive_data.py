from __future__ import annotations

import functools
import re

from review_trigger.change import Change, Finding
from review_trigger.defaults import NOT_DATA_CODE, NOT_DATA_DEFINITION
from review_trigger.scan import LineRule, word_rule
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    finding,
    hit_details,
    hits_for,
    path_word_details,
    register,
    spec,
)
from review_trigger.words import compile_words


def check(change: Change, settings: Settings) -> Finding | None:
    details = path_word_details(
        change, settings['words'], 'financial, health or personal data',
    )
    # The data word names the data better than the field shape around it.
    details.extend(hit_details(hits_for(change, 'sensitive-data'), settings['line_patterns']))
    return finding(
        'sensitive-data', 'code handling financial, health or personal data', details,
    )


def line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return _line_rules(tuple(settings['identifiers']),
                       tuple(settings['line_patterns'].items()))


@functools.cache
def _line_rules(identifiers: tuple[str, ...],
                patterns: tuple[tuple[str, str], ...]) -> tuple[LineRule, ...]:
    # Code only: in CI workflows and agent configuration a data word names
    # something else, and recorded HTTP fixtures are data, not code.
    not_definitions = spec(NOT_DATA_DEFINITION)
    return (
        word_rule('sensitive-data', 'sensitive identifier', compile_words(identifiers),
                  not_paths=spec(NOT_DATA_CODE)),
        *(LineRule('sensitive-data', name, re.compile(pattern, re.M),
                   not_paths=not_definitions)
          for name, pattern in patterns),
    )


TRIGGER = register(Trigger(
    'sensitive-data', 'Financial, health or personal data', 'security_review',
    check, line_rules,
    concern='Check what financial, health or personal data is stored, logged '
            'or sent, who can access it, retention, and masking.',
))
