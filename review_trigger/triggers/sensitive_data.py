from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence

from review_trigger import defaults
from review_trigger.change import Change, Detail, FileChange, Finding, Hit
from review_trigger.defaults import NOT_DATA_DEFINITION
from review_trigger.regex import regex
from review_trigger.scan import LineRule, word_rule
from review_trigger.triggers._base import (
    Settings,
    Trigger,
    blob_lines,
    changed_paths,
    considered,
    edited_code,
    finding,
    hit_details,
    hits_for,
    line_changes,
    path_word_details,
    register,
    spec,
)
from review_trigger.words import WordSet, compile_words, find_word, split_words

_DOMAIN_SPANS = re.compile(defaults.NOT_DATA_WORD_SPANS, re.I)
_COMMENT = re.compile(defaults.COMMENT_LINE)
_DEFINITION = re.compile(defaults.DEFINITION_LINE)
_PII_VALIDATION = re.compile(defaults.PII_VALIDATION)
# How far up a changed line's function definition is looked for, and the
# longest body read as a validator's: a command's setup of hundreds of
# lines that refuses a bad e-mail somewhere is no validator.
_DEFINITION_REACH = 200
# Both versions of a modified file are read for the validator check, for at
# most this many files, as the security trigger bounds its blob reads: on
# the synthetic change's 2,000 modified files, reading them all took about
# a sixth of the run.
MAX_VALIDATOR_FILES = 50
_VALIDATOR_MAX_LINES = 60


def check(change: Change, settings: Settings) -> Finding | None:
    files = {f.path: f for f in considered(change)}
    details = [
        d
        for d in path_word_details(
            change,
            settings['words'],
            'financial, health or personal data',
            veto=_not_money_ledger,
        )
        if not _only_comments_changed(change, files.get(d.path))
    ]
    hits = _real_hits(
        change,
        files,
        hits_for(change, 'sensitive-data'),
        compile_words(settings['identifiers']),
        settings['line_patterns'],
    )
    # The data word names the data better than the field shape around it.
    details.extend(hit_details(hits, settings['line_patterns']))
    details.extend(_validator_details(change))
    return finding(
        'sensitive-data',
        'code handling financial, health or personal data',
        details,
    )


def _not_money_ledger(words: list[str], word: str) -> bool:
    return word == 'ledger' and not defaults.NOT_MONEY_LEDGER_SET.isdisjoint(words)


def _lines(change: Change, blob: str | None) -> list[str]:
    return blob_lines(change, blob) or []


def _changed(change: Change, f: FileChange) -> tuple[list[str], list[str]]:
    """The lines ``f`` gained and lost, read from its two blobs."""
    old, new = _lines(change, f.old_blob), _lines(change, f.new_blob)
    old_set, new_set = set(old), set(new)
    return (
        [line for line in new if line not in old_set and line.strip()],
        [line for line in old if line not in new_set and line.strip()],
    )


def _only_comments_changed(change: Change, f: FileChange | None) -> bool:
    # A path word counts for a change to the code it names: a file whose
    # changed lines are all comments (a docblock's type edited) is not one.
    if f is None or f.binary or f.submodule or f.old_blob is None or f.new_blob is None:
        return False
    added, removed = _changed(change, f)
    lines = added + removed
    return bool(lines) and all(_COMMENT.match(line) for line in lines)


def _reworded(words: list[str], lost: Sequence[list[str]]) -> bool:
    # Nearly the same words in nearly the same order as a line the file
    # lost: the line was re-wrapped, re-punctuated or a name in it renamed.
    return any(
        difflib.SequenceMatcher(None, words, old, autojunk=False).ratio() >= defaults.REWORDED_RATIO
        for old in lost
    )


def _real_hits(
    change: Change,
    files: dict[str, FileChange],
    hits: Sequence[Hit],
    identifiers: WordSet,
    patterns: dict[str, str],
) -> list[Hit]:
    """The hits that name data this change handles anew. Dropped: a line
    that only rewords a line the file lost which names the same data
    (`"Salary Slip"` becoming `_("Salary Slip")`, `SALARY_FIELDS` becoming
    `get_salary_fields()`), and a data word found only inside an e-mail
    address, a URL or a host name (`test@salary.com`)."""
    by_path: dict[str, list[Hit]] = {}
    for h in hits:
        by_path.setdefault(h.path, []).append(h)
    kept: list[Hit] = []
    change.prefetch(
        sha
        for path in by_path
        if (f := files.get(path)) is not None and not (f.binary or f.submodule)
        for sha in (f.new_blob, f.old_blob)
    )
    for path, mine in by_path.items():
        f = files.get(path)
        if f is None or f.binary or f.submodule:
            kept.extend(mine)
            continue
        new = _lines(change, f.new_blob)
        lost = _changed(change, f)[1] if f.old_blob is not None else []
        for h in mine:
            line = new[h.line - 1] if 0 < h.line <= len(new) else ''
            if not line:
                kept.append(h)
                continue
            pattern = patterns.get(h.rule)
            if pattern is None:
                words = split_words(_DOMAIN_SPANS.sub(' ', line))
                if find_word(words, identifiers) is None:
                    continue
                same = [w for old in lost if find_word(w := split_words(old), identifiers) == h.rule]
            else:
                # The rule's own compiled regex (``pattern_rules``), not a second one.
                rule = regex(pattern, re.M)
                same = [split_words(old) for old in lost if rule.search(old)]
            if not _reworded(split_words(line), same):
                kept.append(h)
    return kept


def _validator_details(change: Change) -> list[Detail]:
    """A code line changed inside a function that validates or normalises
    a personal-data value (its body refuses a value with a message naming
    the data: `raise ValidationError("Invalid phone number format.")`):
    what form of a person's data is accepted and stored."""
    index = changed_paths(change)
    not_code = index.select(NOT_DATA_DEFINITION)
    code = index.select(defaults.AUTH_CHECK_CODE)
    details = []
    files = edited_code(change, code, not_code, MAX_VALIDATOR_FILES)
    for f in files:
        new = _lines(change, f.new_blob)
        # Only a file whose text names such a refusal is read line by line
        # (and its old version read at all).
        if not new or not _PII_VALIDATION.search('\n'.join(new)):
            continue
        old = _lines(change, f.old_blob)
        _, added = line_changes(old, new, autojunk=False)
        at = _inside_validator(new, added)
        if at is not None:
            details.append(Detail(f.path, f'changed line {at}: inside a validator of personal data'))
    return details


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _inside_validator(lines: list[str], changed: list[int]) -> int | None:
    """The first changed code line (1-based) whose enclosing function's
    body refuses a personal-data value."""
    seen: dict[int, bool] = {}
    for i in changed:
        line = lines[i]
        if not line.strip() or _COMMENT.match(line) or _DEFINITION.match(line):
            continue
        depth = _indent(line)
        for j in range(i - 1, max(-1, i - _DEFINITION_REACH), -1):
            head = lines[j]
            if not head.strip() or _indent(head) >= depth:
                continue
            if not _DEFINITION.match(head):
                # A block opener (an `if`, a `class`) above: keep climbing.
                depth = _indent(head)
                if depth == 0:
                    break
                continue
            if j not in seen:
                body = _body(lines, j)
                seen[j] = len(body) <= _VALIDATOR_MAX_LINES and bool(_PII_VALIDATION.search('\n'.join(body)))
            if seen[j]:
                return i + 1
            break
    return None


def _body(lines: list[str], start: int) -> list[str]:
    """The lines of the function defined at ``start``: up to the next
    line indented no deeper than its definition."""
    depth = _indent(lines[start])
    body = []
    for line in lines[start + 1 :]:
        if line.strip() and _indent(line) <= depth:
            break
        body.append(line)
    return body


def line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return _line_rules(tuple(settings['identifiers']), tuple(settings['line_patterns'].items()))


@functools.cache
def _line_rules(identifiers: tuple[str, ...], patterns: tuple[tuple[str, str], ...]) -> tuple[LineRule, ...]:
    # Code only: in CI workflows and agent configuration a data word names
    # something else, and recorded HTTP fixtures are data, not code. Nor
    # tests and examples: a test's `patientIds = Arrays.asList(2)` names
    # fixture rows; the code under test is what handles the data.
    not_definitions = spec(NOT_DATA_DEFINITION)
    return (
        word_rule(
            'sensitive-data',
            'sensitive identifier',
            compile_words(identifiers),
            not_paths=not_definitions,
        ),
        *(
            LineRule('sensitive-data', name, regex(pattern, re.M), not_paths=not_definitions)
            for name, pattern in patterns
        ),
    )


TRIGGER = register(
    Trigger(
        'sensitive-data',
        'Financial, health or personal data',
        'security_review',
        check,
        line_rules,
        concern='Check what financial, health or personal data is stored, logged '
        'or sent, who can access it, retention, and masking.',
    )
)
