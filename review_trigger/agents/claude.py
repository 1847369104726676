"""Claude Code's hooks (``.claude/settings.json``).

Events, on stdin: ``SessionStart`` (``session_id``, ``cwd``, ``source``,
and ``model`` where Claude Code sends it) and ``Stop`` (``session_id``,
``cwd``, ``stop_hook_active``: true while Claude goes on because a stop hook
blocked). Answers, on stdout with exit 0:
``{"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": ...}}``,
``{"decision": "block", "reason": ...}`` (the reason goes to Claude) and
``{"systemMessage": ...}`` (shown to the user, does not block).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from review_trigger.agents._core import Agent, Answer, Event, flag, kind_of, model_field, text_field

START, STOP = 'SessionStart', 'Stop'


def parser(start: str, stop: str) -> Callable[[Mapping[str, Any]], Event]:
    """The event parser of Claude Code's event shape, which Gemini CLI
    shares under other stop-event names."""

    def parse(data: Mapping[str, Any]) -> Event:
        name = text_field(data, 'hook_event_name', required=True) or ''
        kind = kind_of(name, (start,), (stop,))
        return Event(
            kind,
            name,
            text_field(data, 'session_id', required=kind != 'other') or '',
            model=model_field(data),
            cwd=text_field(data, 'cwd'),
            continuing=flag(data, 'stop_hook_active'),
        )

    return parse


def answer_object(answer: Answer, block: str) -> dict[str, Any]:
    """The answer as Claude Code's JSON object (``block``: the decision
    that blocks: Gemini CLI says "deny"); empty when there is nothing to say."""
    if answer.kind == 'context':
        return {'hookSpecificOutput': {'hookEventName': START, 'additionalContext': answer.text}}
    if answer.kind == 'block':
        out = {'decision': block, 'reason': answer.text}
        if answer.note:
            out['systemMessage'] = answer.note  # the user's, not the agent's
        return out
    if answer.kind in ('note', 'error'):
        return {'systemMessage': answer.text}
    return {}


parse = parser(START, STOP)


def render(answer: Answer) -> str:
    """Claude Code's format; Codex reads the same."""
    out = answer_object(answer, 'block')
    return json.dumps(out) + '\n' if out else ''


AGENT = Agent('claude', parse, render, '.claude/settings.json')
