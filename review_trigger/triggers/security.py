from __future__ import annotations

from review_trigger.change import Change, Detail, Finding
from review_trigger.scan import LineRule
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    finding,
    hit_details,
    hits_for,
    path_word_details,
    pattern_rules,
    register,
)


def check(change: Change, settings: Settings) -> Finding | None:
    details = path_word_details(change, settings['words'], 'security-sensitive code')
    details.extend(hit_details(hits_for(change, 'security')))
    # What could not be read cannot be cleared: a file too large to scan
    # may hold the secret.
    n = len(change.unscanned)
    details.extend(Detail(path, f'{n} file{"s were" if n != 1 else " was"} too large to scan')
                   for path in change.unscanned)
    return finding('security', 'security-sensitive code touched', details)


def line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return pattern_rules('security', settings['line_patterns'].items())


TRIGGER = register(Trigger(
    'security', 'Security-sensitive code', 'security_review', check,
    line_rules,
    concern='Check authentication and authorization paths, failure handling, '
            'token and session edge cases, cryptography use, and that no real '
            'credential is committed.',
))
