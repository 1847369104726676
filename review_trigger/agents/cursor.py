"""Cursor's hooks (``.cursor/hooks.json``, ``"version": 1``).

Every event carries ``conversation_id``, ``generation_id``, ``model``,
``hook_event_name`` and ``workspace_roots``. The session starts at
``sessionStart`` (answered with ``additional_context``) or, where Cursor
does not send it, at the conversation's first ``beforeSubmitPrompt``
(answered with ``{"continue": true}``: it never holds a prompt back). The
``stop`` event has ``status`` (``completed``, ``aborted``, ``error``) and
``loop_count`` (how many follow-ups hooks already sent); its answer
``{"followup_message": ...}`` is sent as the next user message, so Cursor
goes on. Cursor shows hooks no message of their own, so a note goes to
stderr only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from review_trigger.agents._core import Agent, Answer, BadEvent, Event, kind_of, model_field, text_field

START, PROMPT, STOP = 'sessionStart', 'beforeSubmitPrompt', 'stop'


def parse(data: Mapping[str, Any]) -> Event:
    name = text_field(data, 'hook_event_name', required=True) or ''
    kind = kind_of(name, (START, PROMPT), (STOP,))
    session = text_field(data, 'conversation_id') or text_field(data, 'session_id')
    if session is None and kind != 'other':
        raise BadEvent("the hook event has no 'conversation_id'")
    roots = data.get('workspace_roots')
    cwd = (
        roots[0]
        if isinstance(roots, list) and roots and isinstance(roots[0], str)
        else text_field(data, 'cwd')
    )
    loops = data.get('loop_count')
    status = data.get('status')
    return Event(
        kind,
        name,
        session or '',
        model=model_field(data),
        cwd=cwd,
        continuing=isinstance(loops, int) and not isinstance(loops, bool) and loops > 0,
        aborted=kind == 'stop' and status not in (None, 'completed'),
        quiet=name == PROMPT,
    )


def render(answer: Answer) -> str:
    out: dict[str, Any] = {}
    if answer.event == PROMPT:
        out = {'continue': True}
    elif answer.kind == 'context':
        out = {'additional_context': answer.text}
    elif answer.kind == 'block':
        out = {'followup_message': answer.text}
    return json.dumps(out) + '\n'


AGENT = Agent('cursor', parse, render, '.cursor/hooks.json')
