"""Fetching what a pull request's diff needs (the GitHub Action)."""

from __future__ import annotations

import re

from review_trigger.git.objects import has_object
from review_trigger.git.revisions import is_shallow
from review_trigger.git.run import Repo, _call, _run

# CI checkouts are often shallow (actions/checkout fetches one commit).
# These add history on demand: never tags, never submodules, never objects
# the diff does not need, and never --depth on a full clone (it would make
# the clone shallow).

_SHA = re.compile(r'^(?:[0-9a-f]{40}|[0-9a-f]{64})$')
_REMOTE = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.-]*$')
_FETCH_OPTS = ('--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', '--quiet')


def has_commit(repo: Repo, sha: str) -> bool:
    """Whether the commit ``sha`` (a full hex sha) is in the repository."""
    if not _SHA.match(sha):
        raise ValueError(f'not a full commit sha: {sha!r}')
    return has_object(repo, sha, 'commit')


def has_merge_base(repo: Repo, a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` have a common ancestor in the history present."""
    status, out, _ = _call(repo, 'merge-base', a, b)
    return status == 0 and bool(out.strip())


def fetch(repo: Repo, remote: str, shas: list[str], depth: int | None = None) -> None:
    """Fetch the commits ``shas`` from ``remote`` (``depth`` commits deep).

    ``depth`` is refused on a full clone: it would make it shallow.
    """
    _check_fetch(remote, shas)
    args = ['fetch', *_FETCH_OPTS]
    if depth is not None:
        if depth < 1:
            raise ValueError(f'depth must be >= 1, not {depth}')
        if not is_shallow(repo):
            raise ValueError('refusing --depth on a full clone: it would make it shallow')
        args.append(f'--depth={depth}')
    _run(repo, *args, remote, *shas, what=f'git fetch from {remote} failed')


def deepen(repo: Repo, remote: str, shas: list[str], n: int) -> None:
    """Fetch ``n`` more commits of history below the shallow boundary of
    ``shas``' history (``git fetch --deepen``). A no-op on a full clone."""
    _check_fetch(remote, shas)
    if n < 1:
        raise ValueError(f'n must be >= 1, not {n}')
    if not is_shallow(repo):
        return
    _run(repo, 'fetch', *_FETCH_OPTS, f'--deepen={n}', remote, *shas, what=f'git fetch from {remote} failed')


def _check_fetch(remote: str, shas: list[str]) -> None:
    if not _REMOTE.match(remote):
        raise ValueError(f'not a remote name: {remote!r}')
    for sha in shas:
        if not _SHA.match(sha):
            raise ValueError(f'not a full commit sha: {sha!r}')
