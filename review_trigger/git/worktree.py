"""The working tree as git sees it, without touching the index.

``--worktree`` analyses a snapshot of the working tree: the real index is
copied to a temporary one (``GIT_INDEX_FILE``), ``git add -A`` adds every
change and untracked file to the copy (honouring ``.gitignore``, as
``git status`` does) and ``git write-tree`` turns it into a tree, which is
then diffed like a commit. The temporary index is removed at once, also
when the run is interrupted; the real index and the working tree are only
read. (``git add`` writes the new files' blobs to the object database, as
any ``git add`` would: unreferenced, ``git gc`` prunes them.)

The staged change is pinned the same way: ``git write-tree`` on a copy of
the index, never on the index itself, whose lock another git may hold.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator

from review_trigger.change import WORKTREE, Range
from review_trigger.errors import UserError
from review_trigger.git.revisions import _empty_tree, head
from review_trigger.git.run import _CONFIG, Repo, _call, _decode, _error, _Failed

# git status's porcelain letters for a file the index does not hold as it is
# in the working tree: the second column, or "??" for an untracked file.
_CLEAN = ord(' ')


def worktree_range(
    repo: Repo,
    base: str | None,
    label: str | None = None,
    config_from_base: bool = False,
    tree_base: str | None = None,
) -> Range:
    """The Range from ``base`` (a commit sha; None: the empty tree) to the
    working tree as it is now; with ``config_from_base``, the configuration
    in force is ``base``'s (the defaults for None), not the working tree's;
    with ``tree_base`` (a snapshot of the working tree taken earlier), the
    diff starts from that tree, and the commits are still those since
    ``base``."""
    tree = snapshot(repo)
    commit = head(repo)
    shown = label or f'{base[:12] if base else "(no commit)"}..working tree'
    config_base = (base or _empty_tree(repo)) if config_from_base else None
    return Range('worktree', base, WORKTREE, shown, tree, commit, config_base, tree_base)


def snapshot(repo: Repo) -> str:
    """The tree of the working tree: what ``git add -A`` would stage, on a
    copy of the index."""
    with _temporary_index(repo, 'worktree-index-') as index:
        env = {'GIT_INDEX_FILE': index}
        for args in (('add', '-A', '--', ':/'), ('write-tree',)):
            status, out, err = _call(repo, *_CONFIG, *args, env=env)
            if status != 0:
                raise _error(_Failed(status, err), 'cannot read the working tree')
    return _decode(out).strip()


def index_tree(repo: Repo) -> str | None:
    """The staged change as a tree object (``git write-tree``), written from
    a copy of the index; None if the index has unmerged entries (no tree
    can be written) or no copy can be made (a read-only repository, an
    index it may not read).

    ``git write-tree`` on the real index takes its lock, and fails at once
    if another git (an editor's ``git status``, a second run of this tool)
    holds it; the copy is this run's alone."""
    try:
        with _temporary_index(repo, 'index-') as index:
            status, out, _ = _call(repo, 'write-tree', env={'GIT_INDEX_FILE': index})
    except (UserError, OSError):  # no copy: the index itself is diffed
        return None
    return _decode(out).strip() if status == 0 and out.strip() else None


@contextlib.contextmanager
def _temporary_index(repo: Repo, prefix: str) -> Iterator[str]:
    """A copy of the index in the git directory (the same file system, and
    never the work tree), removed afterwards whatever happens: an
    exception, ^C (KeyboardInterrupt) or, in the main thread, SIGTERM."""
    from review_trigger.output import reason, temporary_file

    folder = os.path.join(repo.git_dir, 'review-trigger')
    try:
        os.makedirs(folder, exist_ok=True)
        fd, path = temporary_file(folder, prefix)
    except OSError as e:
        raise UserError(f'cannot create a temporary index in {folder}: {reason(e, folder)}')
    restore = _terminate_as_interrupt()
    try:
        with os.fdopen(fd, 'wb') as copy:
            try:
                with open(repo.index_file, 'rb') as real:
                    while block := real.read(1 << 20):
                        copy.write(block)
            except FileNotFoundError:
                pass  # nothing was ever staged: start from no index
        if os.path.getsize(path) == 0:
            os.unlink(path)  # git reads an empty file as a corrupt index
        yield path
    finally:
        for p in (path, path + '.lock'):
            with contextlib.suppress(OSError):
                os.unlink(p)
        restore()


def _terminate_as_interrupt() -> Callable[[], object]:
    """Turn SIGTERM into KeyboardInterrupt while the temporary index exists,
    so that it is removed; returns what puts the old handler back."""
    if threading.current_thread() is not threading.main_thread():
        return _nothing
    try:
        old = signal.getsignal(signal.SIGTERM)
        if old is not signal.SIG_DFL:
            return _nothing  # the caller has its own policy
        signal.signal(signal.SIGTERM, _interrupt)
    except (ValueError, OSError):  # pragma: no cover (a subinterpreter's main thread: signal() refuses)
        return _nothing
    return lambda: signal.signal(signal.SIGTERM, old)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _nothing() -> None:
    return None


def unstaged_count(repo: Repo) -> int:
    """How many files the working tree holds differently from the index
    (changed, deleted or untracked, as ``git status`` lists them).

    ``--no-optional-locks``: git status would otherwise refresh the index
    and write it back."""
    status, out, err = _call(
        repo,
        '--no-optional-locks',
        *_CONFIG,
        'status',
        '--porcelain=v1',
        '-z',
        '--untracked-files=all',
        '--ignore-submodules=none',
    )
    if status != 0:
        raise _error(_Failed(status, err), 'git status failed')
    count = 0
    entries = iter(out.split(b'\0'))
    for entry in entries:
        if len(entry) < 4:
            continue
        x, y = entry[0], entry[1]
        if x in b'RC':
            next(entries, None)  # the original path of a rename or copy
        if y != _CLEAN:
            count += 1  # includes "??", untracked
    return count
