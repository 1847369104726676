"""The context a session starts with: its model and routing tier, in the
words of section 4 of the design ("Running as ... Optimal for ... NOT
optimal for ...")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from review_trigger.options import ENV_SESSION_MODEL

if TYPE_CHECKING:
    from review_trigger.config import Config

_ORDER = ('execute', 'generate', 'reason')


def announcement(model_name: str | None, config: Config) -> str:
    """What the agent is told at session start about its own model."""
    from review_trigger import routing
    from review_trigger.defaults import TASK_TIERS
    tier = routing.tier_of(model_name, config.models) if model_name else 'unknown'
    shown = model_name or 'unknown model'

    def tasks(want: str) -> str:
        return ', '.join(t.replace('_', ' ') for t, need in TASK_TIERS.items() if need == want)
    if tier in _ORDER:
        above = _ORDER[_ORDER.index(tier) + 1:]
        optimal = tasks(tier)
        not_optimal = '; '.join(tasks(t) for t in above) or \
            'none by capability (execute-tier tasks cost less on an execute-tier model)'
        lines = [f'Running as: {shown} ({tier} tier)', f'Optimal for: {optimal}',
                 f'NOT optimal for: {not_optimal}']
    else:
        lines = [f'Running as: {shown} (tier unknown: set --session-model or '
                 f'${ENV_SESSION_MODEL} to a model the routing table knows)',
                 'Optimal for: unknown',
                 f'NOT optimal for: treat {tasks("reason")} as needing a reason-tier model']
    lines += [
        '',
        'If a task in this session falls into the NOT optimal category, flag it and '
        'recommend switching to a reason-tier model before proceeding.',
        'When the session stops, review-trigger checks its change against the '
        'significance triggers and, when one fires, writes a review prompt for the '
        'strongest model.',
    ]
    return '\n'.join(lines)
