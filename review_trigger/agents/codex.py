"""Codex's hooks (``.codex/hooks.json``; Codex also reads inline
``[hooks]`` tables in ``.codex/config.toml``).

Codex follows Claude Code's hook protocol: ``SessionStart`` (``session_id``,
``cwd``, ``model``, ``source``) and ``Stop`` (``session_id``, ``turn_id``,
``cwd``, ``model``, ``stop_hook_active``) on stdin; on stdout
``hookSpecificOutput.additionalContext`` at the start, and at the stop
``{"decision": "block", "reason": ...}`` (Codex goes on with the reason as
its next prompt) or ``{"systemMessage": ...}``.
"""

from __future__ import annotations

from review_trigger.agents import claude
from review_trigger.agents._core import Agent

AGENT = Agent('codex', claude.parse, claude.render, '.codex/hooks.json')
