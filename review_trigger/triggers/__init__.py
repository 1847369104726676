"""The significance triggers. Each built-in one lives in its own module."""

# isort: skip_file
from __future__ import annotations

# The import order is the order triggers are reported in.
from review_trigger.triggers import new_files  # noqa: F401
from review_trigger.triggers import architecture  # noqa: F401
from review_trigger.triggers import governance  # noqa: F401
from review_trigger.triggers import security  # noqa: F401
from review_trigger.triggers import document  # noqa: F401
from review_trigger.triggers import sensitive_data  # noqa: F401
from review_trigger.triggers._base import REGISTRY, Trigger

__all__ = ['REGISTRY', 'Trigger']
