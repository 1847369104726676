"""review-trigger: notice when a change needs the strongest model's review."""

__version__ = '0.1.0'
