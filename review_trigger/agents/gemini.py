"""Gemini CLI's hooks (``.gemini/settings.json``).

Events, on stdin: ``SessionStart`` (``session_id``, ``cwd``, ``source``;
no model) and ``AfterAgent`` (``session_id``, ``cwd``, ``prompt``,
``prompt_response``, ``stop_hook_active``: already retrying because of a
hook). Answers, on stdout with exit 0 (Gemini parses it as JSON, so there
is always an object): ``hookSpecificOutput.additionalContext`` at the
start; ``{"decision": "deny", "reason": ...}`` rejects the response and
sends the reason to the agent as its next prompt; ``{"systemMessage": ...}``
is shown to the user.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from review_trigger.agents._core import Agent, Answer, Event, flag, kind_of, model_field, text_field

START, STOP = 'SessionStart', 'AfterAgent'


def parse(data: Mapping[str, Any]) -> Event:
    name = text_field(data, 'hook_event_name', required=True) or ''
    kind = kind_of(name, (START,), (STOP,))
    return Event(
        kind,
        name,
        text_field(data, 'session_id', required=kind != 'other') or '',
        model=model_field(data),
        cwd=text_field(data, 'cwd'),
        continuing=flag(data, 'stop_hook_active'),
    )


def render(answer: Answer) -> str:
    out: dict[str, Any] = {}
    if answer.kind == 'context':
        out = {'hookSpecificOutput': {'hookEventName': START, 'additionalContext': answer.text}}
    elif answer.kind == 'block':
        out = {'decision': 'deny', 'reason': answer.text}
        if answer.note:
            out['systemMessage'] = answer.note  # the user's, not the agent's
    elif answer.kind in ('note', 'error'):
        out = {'systemMessage': answer.text}
    return json.dumps(out) + '\n'


AGENT = Agent('gemini', parse, render, '.gemini/settings.json')
