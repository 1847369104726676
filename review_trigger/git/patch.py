"""The content key of a change: ``git patch-id`` of its diff.

A review is remembered for the content it read, not for a commit: the
staged change at commit time and the same change pushed as one commit give
the same patch id, and any edit gives another. The id is ``--verbatim``
(which implies ``--stable``): the default strips whitespace, and an
indentation change can change what Python code does, so it must bring the
gate back. The patch is a full one (``--binary``, so a changed binary file
changes the id too), with the user's diff settings pinned as for the
analysis.
"""

from __future__ import annotations

from collections.abc import Sequence

from review_trigger.git.revisions import _empty_tree
from review_trigger.git.run import _CONFIG, Repo, _error, _Failed, _start, _wait

_PATCH_OPTS = (
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '--no-relative',
    '--submodule=short',
    '--ignore-submodules=none',
    '--full-index',
    '--binary',
    '-M',
    '-U3',
)


def patch_id(repo: Repo, base: str | None, head_: str | None, exclude: Sequence[str] = ()) -> str | None:
    """The patch id of the diff from ``base`` to ``head_`` (None: the
    index), leaving out the paths ``exclude`` names; None for an empty diff."""
    if head_ is None:
        args = ['diff', '--cached', *_PATCH_OPTS, *([base] if base else [])]
    else:
        args = ['diff', *_PATCH_OPTS, base or _empty_tree(repo), head_]
    args += ['--', '.', *(f':(exclude,literal){p}' for p in exclude)]
    diff = _start(repo, [*_CONFIG, *args])
    assert diff.stdout is not None
    try:
        ids = _start(repo, [*_CONFIG, 'patch-id', '--verbatim'], stdin=diff.stdout)
        diff.stdout.close()  # patch-id holds it now; git diff sees a closed reader
        out, err = ids.communicate()
        try:
            _wait(diff)
        except _Failed as e:
            raise _error(e, 'cannot compute the diff')
        if ids.returncode != 0:
            raise _error(_Failed(ids.returncode, err), 'git patch-id failed')
    finally:
        if diff.poll() is None:
            diff.kill()
            diff.wait()
    line = out.decode('ascii', 'replace').split()
    return line[0] if line else None


__all__ = ['patch_id']
