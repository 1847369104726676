"""``review-trigger init --agent NAME [--dry-run]``: the agent-hook entries
merged into the agent's project settings.

What is there is kept: other keys, other hooks, their order. An entry is
ours when its command runs ``review-trigger agent-hook``; an event that has
one already gets no second, so a second run changes nothing. A settings
file that is not valid JSON (or, for Codex, a ``config.toml`` that is not
valid TOML) is an error, and nothing is written; so is one with ``//`` or
``/* */`` comments (Gemini CLI reads them), which rewriting it would drop:
the error names what to add. A file's line ends (CRLF) are kept.

Cursor gets ``sessionStart`` (the documented session start) and ``stop``,
and ``beforeSubmitPrompt`` beside them: Cursor releases before
``sessionStart`` (and some that refused it as an unknown hook type) never
send it, and there the conversation's first prompt is its start. The
adapter answers a prompt with ``continue`` and nothing else, and a second
start of a session changes nothing, so both together cost one quick run per
prompt.

Codex runs hooks only with its hooks feature on
(https://developers.openai.com/codex/hooks): in the releases that
introduced them it is off unless ``[features] codex_hooks = true`` is in
``config.toml``; newer releases turn it on by default and still read
``codex_hooks`` (as an alias of ``hooks``). So ``.codex/config.toml`` gets
``codex_hooks = true`` unless its ``[features]`` already says either way;
a feature turned off is left off, and said.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys
from typing import Any, NamedTuple

from review_trigger.errors import UserError
from review_trigger.options import PROG

MARK = f'{PROG} agent-hook'


def command(agent: str) -> str:
    return f'{MARK} --agent {agent}'


class Hook(NamedTuple):
    event: str
    entry: dict[str, Any]  # the handler (Claude style) or the entry (Cursor)


def hooks(agent: str) -> tuple[Hook, ...]:
    """The entries each agent's documentation describes."""
    cmd = command(agent)
    if agent in ('claude', 'codex'):
        # Timeouts in seconds.
        handler = {'type': 'command', 'command': cmd, 'timeout': 30}
        return Hook('SessionStart', handler), Hook('Stop', handler)
    if agent == 'gemini':
        # Timeouts in milliseconds.
        handler = {'name': 'review-trigger', 'type': 'command', 'command': cmd, 'timeout': 30000}
        return Hook('SessionStart', handler), Hook('AfterAgent', handler)
    if agent == 'cursor':
        entry = {'command': cmd}
        return Hook('sessionStart', entry), Hook('beforeSubmitPrompt', entry), Hook('stop', entry)
    raise UserError(f'unknown agent {agent!r}')


def _ours(handler: Any) -> bool:
    return (
        isinstance(handler, dict) and isinstance(handler.get('command'), str) and MARK in handler['command']
    )


def _handlers(group: Any) -> list[Any]:
    inner = group.get('hooks') if isinstance(group, dict) else None
    return inner if isinstance(inner, list) else []


def _list(settings: dict[str, Any], key: str, where: str) -> list[Any]:
    value = settings.setdefault(key, [])
    if not isinstance(value, list):
        raise UserError(f'{where}: "{key}" is not a list: not changing it')
    return value


def merge(agent: str, settings: dict[str, Any], rel: str) -> dict[str, Any]:
    """``settings`` with the agent's hooks added where they are missing."""
    out = copy.deepcopy(settings)
    if agent == 'cursor':
        out.setdefault('version', 1)
    table = out.setdefault('hooks', {})
    if not isinstance(table, dict):
        raise UserError(f'{rel}: "hooks" is not an object: not changing it')
    for hook in hooks(agent):
        groups = _list(table, hook.event, f'{rel}: hooks')
        if agent == 'cursor':
            if not any(_ours(e) for e in groups):
                groups.append(dict(hook.entry))
            continue
        if any(_ours(h) for g in groups for h in _handlers(g)):
            continue
        groups.append({'hooks': [dict(hook.entry)]})
    return out


def _read_text(path: str, rel: str) -> str:
    from review_trigger.files import read_regular

    try:
        # As it is: a file with CRLF line ends keeps them.
        return read_regular(path).decode('utf-8')
    except FileNotFoundError:
        return ''
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f'cannot read {rel}: {getattr(e, "strerror", None) or e}')


class _Settings(NamedTuple):
    data: dict[str, Any]
    commented: bool  # JSON with comments (Gemini CLI reads them): not rewritten


_TOO_DEEP = 'nested too deeply to parse'


def _parse_json(text: str, rel: str) -> _Settings:
    if not text.strip():
        return _Settings({}, False)
    commented = False
    try:
        data = json.loads(text)
    except RecursionError:
        # Valid JSON can nest deeper than the parser's recursion allows.
        raise UserError(f'{rel} is not valid JSON ({_TOO_DEEP}): fix it first; nothing was written')
    except ValueError as e:
        # Gemini CLI strips // and /* */ comments before parsing its settings.
        try:
            data = json.loads(strip_comments(text))
        except (ValueError, RecursionError):
            raise UserError(f'{rel} is not valid JSON ({e}): fix it first; nothing was written')
        commented = True
    if not isinstance(data, dict):
        raise UserError(f'{rel} is not a JSON object: nothing was written')
    return _Settings(data, commented)


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/|/\*.*\Z', re.DOTALL)


def strip_comments(text: str) -> str:
    """JSON text with its // and /* */ comments blanked (strings kept)."""
    return _JSON_TOKENS.sub(lambda m: m[0] if m[0].startswith('"') else ' ' * len(m[0]), text)


CODEX_TOML = '.codex/config.toml'
CODEX_FEATURES = ('hooks', 'codex_hooks')  # the current key, and the first releases'


def _codex_toml(root: str) -> tuple[str, dict[str, Any]]:
    """``.codex/config.toml`` (which Codex also reads hooks and its feature
    flags from): its text and data ('' and {} when absent); a file that is
    not TOML is an error."""
    import tomllib

    path = os.path.join(root, *CODEX_TOML.split('/'))
    text = _read_text(path, CODEX_TOML)
    try:
        return text, tomllib.loads(text)
    except RecursionError:
        raise UserError(f'{CODEX_TOML} is not valid TOML ({_TOO_DEEP}): fix it first; nothing was written')
    except ValueError as e:  # TOMLDecodeError, or an integer longer than Python converts
        raise UserError(f'{CODEX_TOML} is not valid TOML ({e}): fix it first; nothing was written')


def _codex_features(text: str, data: dict[str, Any]) -> tuple[str, str | None]:
    """``config.toml``'s text with Codex's hooks feature turned on, and a
    note for the user when it cannot be (turned off, or written in a form
    this does not edit)."""
    features = data.get('features')
    if isinstance(features, dict):
        for key in CODEX_FEATURES:
            if key in features:
                if features[key] is True:
                    return text, None
                return text, (
                    f'{CODEX_TOML} turns the hooks feature off ([features] {key} = '
                    f'{json.dumps(features[key])}): Codex will not run the hooks until it is on'
                )
    nl = _newline(text)
    line = f'codex_hooks = true  # run the hooks in .codex/hooks.json (review-trigger){nl}'
    header = re.search(r'^[ \t]*\[features\][ \t]*(?:#[^\r\n]*)?(\r?\n|\Z)', text, re.MULTILINE)
    if header:
        # After the header's line end (one is added at the end of the file).
        at = header.end()
        return text[:at] + ('' if header[1] else nl) + line + text[at:], None
    if features is not None:
        return text, (
            f'{CODEX_TOML} sets features in a form not edited here: add codex_hooks = true '
            f'to its features, or Codex may not run the hooks'
        )
    sep = '' if not text or text.endswith(nl * 2) else nl if text.endswith(nl) else nl * 2
    return f'{text}{sep}[features]{nl}{line}', None


def _newline(text: str) -> str:
    """The line end a file uses: CRLF if its first line ends so."""
    first = text.find('\n')
    return '\r\n' if first > 0 and text[first - 1] == '\r' else '\n'


def _additions(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What ``merge`` added: new top-level keys, and the entries appended
    to each event's list under "hooks"."""
    out: dict[str, Any] = {k: v for k, v in after.items() if k not in before}
    old_hooks = before.get('hooks', {})
    hooks_added = {
        event: groups[len(old_hooks.get(event, [])) :]
        for event, groups in after.get('hooks', {}).items()
        if groups != old_hooks.get(event)
    }
    if hooks_added and 'hooks' in before:
        out['hooks'] = hooks_added
    return out


class _Write(NamedTuple):
    rel: str
    old: str
    new: str


def install(root: str, agent: str, dry_run: bool = False) -> int:
    from review_trigger.agents.hook import agent as adapter

    rel = adapter(agent).settings
    path = os.path.join(root, *rel.split('/'))
    old_text = _read_text(path, rel)
    settings = _parse_json(old_text, rel)
    before = settings.data
    writes: list[_Write] = []
    notes: list[str] = []
    events = ', '.join(h.event for h in hooks(agent))
    in_toml = False
    if agent == 'codex':
        toml_text, toml_data = _codex_toml(root)
        in_toml = MARK in json.dumps(toml_data.get('hooks', {}))
        enabled, note = _codex_features(toml_text, toml_data)
        if enabled != toml_text:
            writes.append(_Write(CODEX_TOML, toml_text, enabled))
        if note:
            notes.append(note)
    after = before if in_toml else merge(agent, before, rel)
    if after != before and settings.commented:
        raise UserError(
            f'{rel} has comments, which rewriting it would lose: add by hand '
            f'{json.dumps(_additions(before, after))}; nothing was written'
        )
    if after != before:
        nl = _newline(old_text)
        writes.append(_Write(rel, old_text, (json.dumps(after, indent=2) + '\n').replace('\n', nl)))
    for note in notes:
        print(f'{PROG}: {note}', file=sys.stderr)
    if not writes:
        where = CODEX_TOML if in_toml else rel
        print(f'{PROG}: {where} has the review-trigger hooks already ({events})', file=sys.stderr)
        return 0
    if dry_run:
        import difflib

        from review_trigger.output import emit

        # The report, like any other: all of it, or an error if stdout's
        # encoding cannot hold it.
        emit(
            ''.join(
                line
                for w in writes
                for line in difflib.unified_diff(
                    w.old.splitlines(keepends=True),
                    w.new.splitlines(keepends=True),
                    f'a/{w.rel}',
                    f'b/{w.rel}',
                )
            ),
            None,
        )
        print(f'{PROG}: dry run: {" and ".join(w.rel for w in writes)} not written', file=sys.stderr)
        return 0
    from review_trigger.output import write_atomic

    for w in writes:
        write_atomic(os.path.join(root, *w.rel.split('/')), w.new)
    if after != before:
        print(f'{PROG}: added the hooks ({events}: `{command(agent)}`) to {rel}', file=sys.stderr)
    if any(w.rel == CODEX_TOML for w in writes):
        print(
            f'{PROG}: turned on Codex hooks in {CODEX_TOML} ([features] codex_hooks = true)', file=sys.stderr
        )
    if agent == 'codex':
        print(f'{PROG}: Codex runs a new hook once you have reviewed and trusted it', file=sys.stderr)
    return 0
