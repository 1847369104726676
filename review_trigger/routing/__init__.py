"""Model routing (sections 2 to 6, 8 and 9 of the design).

- ``models``: which model wrote a change (commit trailers), and its tier;
- ``table``: the routing table, as data, and the configuration's changes;
- ``plan``: the upcoming tasks of a plan file, classified against the table;
- ``render``: the texts made from the table (the session announcement, the
  next session's recommendation, the CLAUDE.md sections, slash commands).

Importing this package loads only ``models`` and ``table`` (plain data):
the pre-commit hook imports it on every commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from review_trigger.routing.models import (
    SessionModel,
    detect,
    model_from_trailer,
    models_in,
    named,
    pretty,
    tier_of,
)
from review_trigger.routing.table import DEFAULT, TIERS, Table, TaskType, Tier

if TYPE_CHECKING:
    from review_trigger.config import Config

__all__ = [
    'DEFAULT',
    'TIERS',
    'SessionModel',
    'Table',
    'TaskType',
    'Tier',
    'announcement',
    'detect',
    'model_from_trailer',
    'models_in',
    'named',
    'next_session',
    'pretty',
    'table_of',
    'task_tier',
    'tier_of',
]


def table_of(config: Config | None) -> Table:
    """The routing table in force (the defaults when ``config`` is None)."""
    table = getattr(config, 'routing', None)
    return table if isinstance(table, Table) else DEFAULT


def task_tier(task_type: str, config: Config | None = None) -> str:
    """The tier a trigger's task type needs, from the table in force."""
    return table_of(config).task_tier(task_type)


def announcement(model_name: str, config: Config | None = None) -> str:
    """Section 4's session-start text for the model named ``model_name``:
    "Running as: ... Optimal for: ... NOT optimal for: ..."."""
    from review_trigger.routing import render

    return render.announcement(model_name, config)


def next_session(plan_path: str, config: Config | None = None) -> str | None:
    """Section 6's recommendation for the next session, from the plan file
    at ``plan_path``; None when it does not exist, cannot be read, or lists
    no upcoming task (for the agent hooks at session stop, which must not
    fail on a missing plan)."""
    from review_trigger.errors import UserError
    from review_trigger.routing import plan, render

    try:
        tasks = plan.read_tasks(plan_path)
    except UserError:
        return None
    if not tasks:
        return None
    from review_trigger import redact
    from review_trigger.config import default_config

    red = redact.for_config(config or default_config())
    return render.route_text(plan.route(plan.masked(tasks, red.text), table_of(config)))
