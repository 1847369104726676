"""The context a session starts with: its model and routing tier, in the
words of section 4 of the design ("Running as ... Optimal for ... NOT
optimal for ...")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from review_trigger.options import ENV_SESSION_MODEL

if TYPE_CHECKING:
    from review_trigger.config import Config


def announcement(model_name: str | None, config: Config) -> str:
    """What the agent is told at session start about its own model: the
    routing table's announcement, and what happens at stop."""
    from review_trigger import routing

    text = routing.announcement(model_name or 'unknown model', config)
    if not model_name:
        text += f'(Set --session-model or ${ENV_SESSION_MODEL} to a model the routing table knows.)\n'
    return text + (
        '\nWhen the session stops, review-trigger checks its change against the '
        'significance triggers and, when one fires, writes a review prompt for the '
        'strongest model.'
    )
