"""What the prompt pins and appends: the ids that name the analysed change
exactly, the command that shows it again, and the diff of chosen files.

The reviewer's diff is read with ``--text`` (only for files the analysis
did not find binary), so attributes from the change cannot hide a file's
content from the reviewer either.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable, Sequence

from review_trigger.change import INDEX, WORKTREE, Range
from review_trigger.git.revisions import _empty_tree, old_side
from review_trigger.git.run import _CONFIG, Repo, _error, _Failed, _run, _start

# The user's diff settings must not change what the reviewer reads.
_SHOW_OPTS = (
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '--no-relative',
    '--no-abbrev',
    '--submodule=short',
    '-M',
    '-C',
)
# What the reproduce command shows (the same rename and copy detection
# as the analysis).
_REPRO_OPTS = ('-M', '-C')


def is_index(rng: Range) -> bool:
    return rng.head == INDEX


def is_worktree(rng: Range) -> bool:
    return rng.head == WORKTREE


def sides(repo: Repo, rng: Range, tree: str | None = None) -> list[str]:
    """The arguments of ``git diff`` that name the range's two sides: base
    and head commits, the base and the index's tree (``tree``), or for
    the index or work tree without a pinned tree ``--cached base`` / ``base``
    (the base: the tree the range's diff starts from, ``old_side``)."""
    base = old_side(rng) or _empty_tree(repo)
    if is_index(rng):
        return [base, tree] if tree else ['--cached', base]
    if is_worktree(rng):
        # The snapshot the analysis read (``Range.tree``), else the work
        # tree as it is now.
        snapshot = tree or rng.tree
        return [base, snapshot] if snapshot else [base]
    return [base, rng.head]


def reproduce(
    repo: Repo,
    rng: Range,
    paths: Sequence[str] = (),
    tree: str | None = None,
) -> str:
    """The command that shows the analysed change (or ``paths`` of it)."""
    return command(sides(repo, rng, tree), paths)


def command(side_args: Sequence[str], paths: Sequence[str] = ()) -> str:
    """``git diff`` of ``side_args`` (from ``sides``), as a shell command."""
    words = ['git', 'diff', *_REPRO_OPTS, *side_args]
    if paths:
        words += ['--', *paths]
    return ' '.join(shlex.quote(w) for w in words)


def patch_id(repo: Repo, rng: Range) -> str | None:
    """``git patch-id --stable`` of the change (for a work tree, which has
    no tree id until it is staged)."""
    import tempfile

    with tempfile.TemporaryFile() as patch:
        patch.write(_run(repo, 'diff', *_SHOW_OPTS, *sides(repo, rng), '--', what='git diff failed'))
        patch.seek(0)
        proc = _start(repo, [*_CONFIG, 'patch-id', '--stable'], stdin=patch)
        out, err = proc.communicate()
    if proc.returncode != 0:
        raise _error(_Failed(proc.returncode, err), 'git patch-id failed')
    words = out.split()
    return words[0].decode() if words else None


_PIECE = 1 << 20


def file_diff(repo: Repo, side_args: Sequence[str], paths: Sequence[str], limit: int) -> tuple[bytes, bool]:
    """The diff of ``paths`` (as text), at most ``limit`` bytes of it, and
    whether it was longer (git is stopped then, not read to the end)."""
    proc = _start(repo, [*_CONFIG, 'diff', *_SHOW_OPTS, '--text', *side_args, '--', *paths])
    assert proc.stdout is not None
    try:
        # A piece at a time: read(limit + 1) would allocate the whole
        # budget at once (a budget of a billion tokens: 4 GB), whatever the
        # diff's size.
        pieces: list[bytes] = []
        size = 0
        while size <= limit:
            piece = proc.stdout.read(min(limit + 1 - size, _PIECE))
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
        data = b''.join(pieces)
        longer = size > limit
        if longer:
            proc.kill()
        else:
            proc.stdout.read()
        err = proc.stderr.read() if proc.stderr is not None else b''
        status = proc.wait()
        if status != 0 and not longer:
            raise _error(_Failed(status, err), 'git diff failed')
    finally:
        proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()
        proc.wait()
    return data[:limit], longer


def blob_sizes(repo: Repo, names: Sequence[str]) -> dict[str, int]:
    """The size in bytes of each object ``names`` names (a blob sha, or
    ``rev:path``); missing ones are left out."""
    return start_blob_sizes(repo, names)()


def start_blob_sizes(repo: Repo, names: Sequence[str]) -> Callable[[], dict[str, int]]:
    """``blob_sizes``, started now: git looks the objects up (a thread
    feeds it the names and reads its answers) while the caller goes on;
    the call returned waits for them."""
    if not names:
        return dict
    import threading

    listed = ''.join(f'{n}\n' for n in names).encode('utf-8', 'surrogateescape')
    proc = _start(
        repo,
        [*_CONFIG, 'cat-file', '--batch-check=%(objecttype) %(objectsize)', '--buffer'],
        stdin=subprocess.PIPE,
    )
    answer: list[tuple[bytes, bytes]] = []
    thread = threading.Thread(
        target=lambda: answer.append(proc.communicate(listed)), daemon=True, name='review-trigger git sizes'
    )
    thread.start()

    def sizes() -> dict[str, int]:
        thread.join()
        out, err = answer[0] if answer else (b'', b'')
        if proc.returncode != 0:
            raise _error(_Failed(proc.returncode or 1, err), 'cannot read object sizes')
        found = {}
        for name, line in zip(names, out.decode().splitlines(), strict=False):
            kind, _, size = line.partition(' ')
            if kind == 'blob' and size.isdigit():
                found[name] = int(size)
        return found

    return sizes
