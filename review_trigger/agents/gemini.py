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

from review_trigger.agents._core import Agent, Answer
from review_trigger.agents.claude import answer_object, parser

START, STOP = 'SessionStart', 'AfterAgent'

parse = parser(START, STOP)


def render(answer: Answer) -> str:
    # Gemini parses stdout as JSON: there is always an object.
    return json.dumps(answer_object(answer, 'deny')) + '\n'


AGENT = Agent('gemini', parse, render, '.gemini/settings.json')
