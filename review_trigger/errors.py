from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: a bad revision, option or configuration.

    Carries a one-line message. ``cli.main`` prints it to stderr and exits 2.
    """

