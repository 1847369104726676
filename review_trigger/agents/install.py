"""``review-trigger init --agent NAME [--dry-run]``: the agent-hook entries
merged into the agent's project settings.

What is there is kept: other keys, other hooks, their order. An entry is
ours when its command runs ``review-trigger agent-hook``; an event that has
one already gets no second, so a second run changes nothing. A settings
file that is not valid JSON (or, for Codex, a ``config.toml`` that is not
valid TOML) is an error, and nothing is written.
"""

from __future__ import annotations

import copy
import json
import os
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
        return Hook('beforeSubmitPrompt', entry), Hook('stop', entry)
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
    try:
        with open(path, encoding='utf-8') as f:
            return f.read()
    except FileNotFoundError:
        return ''
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f'cannot read {rel}: {getattr(e, "strerror", None) or e}')


def _parse_json(text: str, rel: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as e:
        raise UserError(f'{rel} is not valid JSON ({e}): fix it first; nothing was written')
    if not isinstance(data, dict):
        raise UserError(f'{rel} is not a JSON object: nothing was written')
    return data


def _codex_toml_has_ours(root: str) -> bool:
    """Whether ``.codex/config.toml`` (which Codex also reads hooks from)
    has them already; a file that is not TOML is an error."""
    import tomllib

    path = os.path.join(root, '.codex', 'config.toml')
    try:
        with open(path, 'rb') as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return False
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UserError(f'.codex/config.toml is not valid TOML ({e}): fix it first; nothing was written')
    return MARK in json.dumps(data.get('hooks', {}))


def install(root: str, agent: str, dry_run: bool = False) -> int:
    from review_trigger.agents.hook import agent as adapter

    rel = adapter(agent).settings
    path = os.path.join(root, *rel.split('/'))
    old_text = _read_text(path, rel)
    before = _parse_json(old_text, rel)
    if agent == 'codex' and _codex_toml_has_ours(root):
        print(f'{PROG}: .codex/config.toml has the review-trigger hooks already', file=sys.stderr)
        return 0
    after = merge(agent, before, rel)
    events = ', '.join(h.event for h in hooks(agent))
    if after == before:
        print(f'{PROG}: {rel} has the review-trigger hooks already ({events})', file=sys.stderr)
        return 0
    new_text = json.dumps(after, indent=2) + '\n'
    if dry_run:
        import difflib

        sys.stdout.writelines(
            difflib.unified_diff(
                old_text.splitlines(keepends=True), new_text.splitlines(keepends=True), f'a/{rel}', f'b/{rel}'
            )
        )
        print(f'{PROG}: dry run: {rel} not written', file=sys.stderr)
        return 0
    from review_trigger.output import write_atomic

    write_atomic(path, new_text)
    print(f'{PROG}: added the hooks ({events}: `{command(agent)}`) to {rel}', file=sys.stderr)
    return 0
