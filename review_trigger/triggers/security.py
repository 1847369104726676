"""Security-sensitive code: auth, crypto, secrets and unsafe patterns.

Four kinds of evidence, each shown by rule name only (never the matched
text):

- path words of code files (``src/auth/login.py``, a rename out of one too);
- content rules on added lines of code: unsafe patterns (TLS verification
  off, shell or eval with composed input, SQL built by formatting...),
  auth identifiers (``has_permission``, ``Set-Cookie``, ``refresh_token``),
  crypto/auth imports, a security advisory named in the change;
- the same auth identifiers on lines the change *removed*: a deleted
  permission check is as significant as an added one;
- a code line added or removed next to an authorization check that stayed
  (a check moved above an existence test: the check's line is unchanged,
  what it guards is not);
- secret shapes on every added line, vendored and generated files included,
  placeholders (``'your-api-key'``, ``'${TOKEN}'``) aside.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from review_trigger import defaults
from review_trigger.change import Change, Detail, Finding
from review_trigger.regex import Regex, regex
from review_trigger.scan import LineRule, Rules, in_context, scan_files, word_rule
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
    removed_lines,
    spec,
)
from review_trigger.words import WordSet, compile_words, find_word, split_words

# Rules that look at the change as a whole, not at code: a changelog that
# names a CVE is evidence wherever it sits.
_ANYWHERE = frozenset({'security advisory referenced'})
# Assignment rules: the name assigned to can say it holds no secret.
_ASSIGNMENTS = frozenset({'credential assignment', 'credential assignment (unquoted)'})
# Removed lines are read from at most this many files, each at most
# MAX_SCAN_BYTES: enough for any change a person reviews, bounded for huge ones.
MAX_REMOVED_FILES = 50
_REMOVED_RULES = frozenset(
    {
        'authorization check',
        'path traversal guard',
        'credential field of a copied record',
        # Quoting or an SSRF guard taken away is as telling as one added.
        'shell argument quoted',
        'internal address range checked',
        # Event text taken out of a workflow's command: a fix to review.
        'untrusted event text in a workflow command',
    }
)


def _not_login_session(words: list[str], word: str) -> bool:
    # "a protocol or database session with no auth context"; a vault of
    # contacts, not of secrets.
    if word == 'vault':
        return not defaults.NOT_SECRET_VAULT_SET.isdisjoint(words)
    return word == 'session' and not defaults.NOT_LOGIN_SESSION_SET.isdisjoint(words)


def check(change: Change, settings: Settings) -> Finding | None:
    details = path_word_details(
        change,
        settings['words'],
        'security-sensitive code',
        _not_login_session,
    )
    # An auth identifier on a line a specific rule hit adds nothing.
    weak = {' '.join(split_words(e)) for e in settings['identifiers']}
    details.extend(hit_details(hits_for(change, 'security'), weak))
    details.extend(_removed_details(change, settings))
    details.extend(_near_auth_check_details(change))
    # What could not be read cannot be cleared: a file too large to scan
    # may hold the secret.
    n = len(change.unscanned)
    details.extend(
        Detail(path, f'{n} file{"s were" if n != 1 else " was"} too large to scan')
        for path in change.unscanned
    )
    return finding('security', 'security-sensitive code touched', details)


def _removed_details(change: Change, settings: Settings) -> list[Detail]:
    """The auth identifiers and checks on lines the change removed."""
    # The run's index of the paths, so the globs' translations are the run's.
    not_code = changed_paths(change).select(defaults.NOT_CODE)
    files = [
        f
        for f in considered(change)
        if f.deleted_lines
        and f.old_blob is not None
        and f.status != 'added'
        and not (f.binary or f.generated or f.submodule)
        and (f.old_path or f.path) not in not_code
    ][:MAX_REMOVED_FILES]
    if not files:
        return []
    change.prefetch(sha for f in files for sha in (f.old_blob, f.new_blob))
    rules = [r for r in line_rules(settings) if r.words is not None or r.name in _REMOVED_RULES]
    # A line edited, not removed, shows its rule on its added side already.
    added = {(h.path, h.rule) for h in hits_for(change, 'security')}
    details = []
    # One scan for all the files, with the run's glob translations and
    # index of the paths: the rules are set up once, and their path lists
    # are the run's.
    index = changed_paths(change)
    removed = [(f.old_path or f.path, removed_lines(change, f, defaults.MAX_SCAN_BYTES)) for f in files]
    # The rules a file decides (``LineRule.context``), on its old version.
    old_blob = {f.old_path or f.path: f.old_blob for f in files}

    def old_lines(path: str) -> list[str] | None:
        return blob_lines(change, old_blob.get(path))

    for f, scanned in zip(files, scan_files(removed, Rules(rules, index.globs, index)), strict=True):
        hits = [h for h in in_context(scanned.hits, rules, old_lines) if (f.path, h.rule) not in added]
        if hits:
            names = ', '.join(dict.fromkeys(h.rule for h in hits))
            at = ', '.join(str(h.line) for h in hits[:5])
            details.append(Detail(f.path, f'removed line {at} (old numbering): {names}'))
    return details


_WORKFLOW_TEXT = 'untrusted event text in a workflow command'
# A YAML key starting a line (after a list item's dash): its name, and what
# follows the colon.
_YAML_KEY = re.compile(r'^\s*(?:-\s+)?([\w.-]+)\s*:(?:\s+(.*))?$')
# A block scalar's indicator (`run: |`, `script: >-`): the lines below are text.
_BLOCK = re.compile(r'[|>][-+0-9]*\s*(#.*)?$')


def _in_a_command(lines: Sequence[str], i: int) -> bool:
    """Whether line ``i`` of a workflow belongs to a `run:` command or a
    `script:`. A line of a block scalar belongs to the key that opened it
    (a `message: |` input is text, however it reads); any other line is an
    entry of its own (`TITLE: ${{ ... }}` in `env:`, `group:`, `if:`)."""
    indent = len(lines[i]) - len(lines[i].lstrip())
    for line in reversed(lines[:i]):
        text = line.lstrip()
        if not text or text.startswith('#') or len(line) - len(text) >= indent:
            continue
        key = _YAML_KEY.match(line)
        if key is not None:
            if _BLOCK.match(key[2] or ''):
                return key[1] in ('run', 'script')
            break  # a mapping's key: the line is an entry of its own
        # A less indented line of the block's text (a script's `if ...; then`).
        indent = len(line) - len(text)
    own = _YAML_KEY.match(lines[i])
    return own is None or own[1] in ('run', 'script')


_COMMENT = re.compile(defaults.COMMENT_LINE)
_LOG_CALL = re.compile(defaults.LOG_CALL_LINE)
_IMPORT = re.compile(defaults.IMPORT_LINE)
_ANNOTATION = re.compile(defaults.ANNOTATION_LINE)


@functools.cache
def _auth_check_words() -> tuple[WordSet, re.Pattern[str], re.Pattern[str]]:
    words = compile_words(defaults.AUTH_CHECK_WORDS)
    starts = re.compile('|'.join(re.escape(n) for n in words.needles))
    return words, starts, re.compile(defaults.NOT_AUTH)


def _near_auth_check_details(change: Change) -> list[Detail]:
    """A code line added or removed next to an authorization check (within
    AUTH_CHECK_NEAR lines, in the version that has the line): the check
    moved relative to what it guards, or what it guards changed."""
    words, starts, not_auth = _auth_check_words()
    index = changed_paths(change)
    not_code = index.select((*defaults.NOT_AUTH_CODE, *defaults.TEST_PATHS))
    code = index.select(defaults.AUTH_CHECK_CODE)
    files = edited_code(change, code, not_code, MAX_REMOVED_FILES)
    details = []
    for f in files:
        old_lines, new_lines = blob_lines(change, f.old_blob), blob_lines(change, f.new_blob)
        if old_lines is None or new_lines is None:
            continue
        # Only a file that names a check at all is read line by line.
        if not (starts.search('\n'.join(old_lines).lower()) or starts.search('\n'.join(new_lines).lower())):
            continue
        # A line diff: a check moved above a test keeps every line.
        removed, added = line_changes(old_lines, new_lines)
        for side, lines, changed in (('added', new_lines, added), ('removed', old_lines, removed)):
            at = _next_to_check(lines, changed, words, not_auth)
            if at is not None:
                numbering = '' if side == 'added' else ' (old numbering)'
                details.append(Detail(f.path, f'{side} line {at}{numbering} next to an authorization check'))
                break
    return details


def _is_check(line: str, words: WordSet, not_auth: re.Pattern[str]) -> bool:
    return (
        bool(line.strip())
        and not _COMMENT.match(line)
        and not _IMPORT.match(line)
        and not not_auth.search(line)
        and find_word(split_words(line), words) is not None
    )


def _next_to_check(
    lines: list[str], changed: list[int], words: WordSet, not_auth: re.Pattern[str]
) -> int | None:
    """The first changed code line (1-based) of ``lines`` (``changed``
    holds their indexes) with an unchanged authorization check within
    AUTH_CHECK_NEAR lines."""
    near = defaults.AUTH_CHECK_NEAR
    # A check the change edited or removed itself is named by the
    # identifier rules: this one is for the check that stayed.
    edited = set(changed)
    checks: dict[int, bool] = {j: False for j in edited}
    prose: set[int] | None = None
    for i in changed:
        line = lines[i]
        if not line.strip() or _COMMENT.match(line) or _LOG_CALL.match(line):
            continue
        if prose is None:
            prose = _inside_triple_quotes(lines)
        if i in prose:
            continue
        for j in range(max(0, i - near), min(len(lines), i + near + 1)):
            if j not in checks:
                checks[j] = _is_check(lines[j], words, not_auth)
            if checks[j] and not (j > i and _ANNOTATION.match(lines[j])):
                return i + 1
    return None


def _inside_triple_quotes(lines: list[str]) -> set[int]:
    """The indexes of lines wholly inside a triple-quoted string (a
    docstring's prose): a sentence next to a check is no code it guards."""
    inside: set[int] = set()
    open_quote = ''
    for i, line in enumerate(lines):
        if open_quote:
            if line.count(open_quote) % 2:
                open_quote = ''
            else:
                inside.add(i)
            continue
        for quote in ('"""', "'''"):
            if line.count(quote) % 2:
                open_quote = quote
                break
    return inside


def line_rules(settings: Settings) -> tuple[LineRule, ...]:
    return _line_rules(
        tuple(settings['line_patterns'].items()),
        tuple(settings['identifiers']),
        tuple(settings['secret_patterns'].items()),
        tuple(settings['config_patterns'].items()),
        tuple(settings['config_paths']),
    )


@functools.cache
def _line_rules(
    patterns: tuple[tuple[str, str], ...],
    identifiers: tuple[str, ...],
    secrets: tuple[tuple[str, str], ...],
    config: tuple[tuple[str, str], ...],
    config_paths: tuple[str, ...],
) -> tuple[LineRule, ...]:
    not_code = spec(defaults.NOT_CODE)
    placeholder = regex(defaults.PLACEHOLDER)
    not_a_secret = regex(
        '|'.join(p.removeprefix('(?i)') for p in (defaults.PLACEHOLDER, defaults.NOT_A_SECRET_NAME)), re.I
    )

    def secret_rules(
        pairs: Iterable[tuple[str, str]],
        paths: Iterable[str] | None,
    ) -> list[LineRule]:
        only = None if paths is None else spec(paths)
        return [
            LineRule(
                'security',
                name,
                regex(pattern, re.M),
                paths=only,
                unless=not_a_secret if name in _ASSIGNMENTS else placeholder,
                secret=True,
            )
            for name, pattern in pairs
        ]

    rules = [
        LineRule(
            'security',
            name,
            regex(pattern, re.M),
            not_paths=None if name in _ANYWHERE else not_code,
            unless=_safe_form(name),
            context=_in_a_command if name == _WORKFLOW_TEXT else None,
        )
        for name, pattern in patterns
    ]
    if identifiers:
        # Nor a key name given a placeholder value.
        unless = [p.removeprefix('(?i)') for p in (defaults.NOT_AUTH, defaults.PLACEHOLDER_VALUE)]
        code = word_rule(
            'security',
            'auth identifier',
            compile_words(identifiers),
            not_paths=spec((*defaults.NOT_AUTH_CODE, *defaults.TEST_PATHS)),
            unless=regex('|'.join(unless), re.I),
        )
        # In a test, the test client sending its token to reach the code
        # under test is setup, not auth logic; a test's other auth words
        # (a permission granted, `unauthorized` expected) still count.
        test = code._replace(
            paths=spec(defaults.TEST_PATHS),
            not_paths=spec(defaults.NOT_AUTH_CODE),
            unless=regex('|'.join([*unless, defaults.TEST_CLIENT_CREDENTIAL.removeprefix('(?i)')]), re.I),
        )
        rules += [code, test]
    rules += secret_rules(secrets, None)
    rules += secret_rules(config, config_paths)
    return tuple(rules)


def _safe_form(name: str) -> Regex | None:
    safe = defaults.SAFE_FORMS.get(name)
    return regex(safe) if safe else None


TRIGGER = register(
    Trigger(
        'security',
        'Security-sensitive code',
        'security_review',
        check,
        line_rules,
        concern='Check authentication and authorization paths, failure handling, '
        'token and session edge cases, cryptography use, unsafe patterns '
        '(TLS, shell, eval, SQL, deserialisation, HTML), and that no real '
        'credential is committed.',
    )
)
