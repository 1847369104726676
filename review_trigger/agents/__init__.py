"""Running inside coding agents: ``review-trigger agent-hook --agent NAME``
answers an agent's session-start and stop hooks, and ``review-trigger init
--agent NAME`` installs them.

``_core`` holds what every agent shares (the events, the session records,
the start and stop decisions); a module per agent (``claude``, ``codex``,
``gemini``, ``cursor``) turns that agent's documented hook JSON into an
``Event`` and an ``Answer`` back into that agent's output format, and names
the settings file the installer edits.
"""

from __future__ import annotations

AGENTS = ('claude', 'codex', 'gemini', 'cursor')
