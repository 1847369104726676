"""Reading a file the repository names (its configuration, plan, agent
settings, CLAUDE.md): a regular file only; and reading the files
review-trigger keeps itself (``read_own_json``).

A path in the work tree may be a symlink the change brought, to
``/dev/stdin``, ``/dev/zero`` or a FIFO: opening a FIFO waits for a writer,
and reading the others waits for a terminal or never ends. Such a file is
refused before anything is read.
"""

from __future__ import annotations

import errno
import os
import stat


def read_regular(path: str, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (a symlink is followed),
    at most ``limit + 1`` of them when ``limit`` is given, so that the
    caller can tell a file over its limit. Raises what ``open`` raises
    (FileNotFoundError, PermissionError, ...), IsADirectoryError for a
    directory, and OSError for anything else that is not a regular file."""
    flags = os.O_RDONLY
    for name in ('O_NONBLOCK', 'O_CLOEXEC', 'O_BINARY'):
        flags |= getattr(os, name, 0)
    fd = os.open(path, flags)  # O_NONBLOCK: a FIFO opens without a writer
    with os.fdopen(fd, 'rb') as f:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, 'not a regular file (a FIFO, device or socket)', path)
        return f.read() if limit is None else f.read(limit + 1)


def read_own_json(path: str) -> object:
    """The JSON of a file review-trigger keeps in the git directory (a
    cache, a session record, a ledger record), or None when there is none
    that can be read: missing, unreadable, not JSON. Such a file is never
    trusted and never an error: the caller starts it anew. (RecursionError:
    valid JSON can nest deeper than the parser's recursion allows.)"""
    import json

    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError, RecursionError):
        return None
