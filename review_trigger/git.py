"""Every git call review-trigger makes goes through this module.

Output is read NUL-separated (``-z``) so any file name survives, and the
diff is streamed: one file's added lines are in memory at a time.
The user's diff configuration must not change the result, so every diff
runs with ``--no-ext-diff --no-textconv`` and explicit formatting options.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import IO, NamedTuple

from git.cmd import Git
from git.exc import GitCommandError, GitCommandNotFound

from review_trigger.change import STATUS, Commit, FileChange
from review_trigger.errors import UserError

# Options that pin diff output whatever the user's gitconfig says.
_CONFIG = (
    '-c', 'core.quotepath=false', '-c', 'diff.noprefix=false',
    '-c', 'diff.mnemonicPrefix=false', '-c', 'diff.relative=false',
    '-c', 'diff.interHunkContext=0', '-c', 'color.ui=false',
)
_DIFF_OPTS = (
    '--no-ext-diff', '--no-textconv', '--no-color', '--no-relative',
    '--submodule=short', '--ignore-submodules=none', '--no-abbrev',
    f'-O{os.devnull}',
    '-M', '-C', '-U0', '--raw', '--numstat', '-z',
)
_HUNK = re.compile(rb'^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@')
_NULL_SHA = re.compile(r'^0+$')

# Environment for every git call: never prompt, never page, and never
# fetch missing objects of a partial clone behind the user's back.
_ENV = {
    'GIT_TERMINAL_PROMPT': '0', 'GIT_PAGER': 'cat', 'PAGER': 'cat',
    'GIT_NO_LAZY_FETCH': '1', 'GIT_EXTERNAL_DIFF': '',
}


class Repo(NamedTuple):
    root: str
    git_dir: str
    cmd: Git


class FileDiff(NamedTuple):
    """One file of a streamed diff with its added lines (up to a cap)."""
    change: FileChange
    added: list[tuple[int, str]]
    skipped: bool           # too large: listed, not scanned


def _error(exc: GitCommandError, what: str) -> UserError:
    stderr = exc.stderr if isinstance(exc.stderr, str) else ''
    lines = [
        ln.strip() for ln in stderr.strip().strip("'").splitlines()
        if ln.strip() and not ln.strip().startswith('hint:')
    ]
    lines = [ln[len('stderr: '):].strip().strip("'") if ln.startswith('stderr: ') else ln
             for ln in lines]
    # The fatal line says what went wrong; warnings before it rarely do.
    fatal = [ln for ln in lines if ln.startswith(('fatal:', 'error:'))]
    detail = (fatal or lines or [f'exit status {exc.status}'])[0]
    missing = re.search(r'could not fetch ([0-9a-f]{7,}) from promisor remote', detail)
    if missing:
        return UserError(
            f'{what}: object {missing[1]} is missing from this partial clone '
            f'(review-trigger never fetches on its own): run `git fetch` '
            f'or clone without --filter',
        )
    return UserError(f'{what}: {detail}')


def _run(cmd: Git, *args: str, what: str = 'git failed') -> bytes:
    try:
        out = cmd.execute(
            ['git', *_CONFIG, *args], stdout_as_string=False,
            strip_newline_in_stdout=False, env=_ENV,
        )
    except GitCommandNotFound:
        raise UserError('git failed. Is it installed and on PATH?')
    except GitCommandError as e:
        raise _error(e, what)
    assert isinstance(out, bytes)
    return out


def open_repo(path: str | None = None) -> Repo:
    """The repository containing ``path`` (default: the current directory)."""
    where = os.path.abspath(path or os.getcwd())
    if not os.path.isdir(where):
        raise UserError(f'{where} is not a directory')
    cmd = Git(where)
    try:
        out = cmd.execute(
            ['git', 'rev-parse', '--is-bare-repository', '--show-toplevel',
             '--absolute-git-dir'],
            env=_ENV, strip_newline_in_stdout=False,
        )
    except GitCommandNotFound:
        raise UserError('git failed. Is it installed and on PATH?')
    except GitCommandError:
        # The fast path failed; find out why for the message.
        bare = cmd.execute(['git', 'rev-parse', '--is-bare-repository'],
                           env=_ENV, with_exceptions=False)
        if bare == 'true':
            raise UserError(
                f'{where} is a bare repository: review-trigger needs a work tree',
            )
        if bare == 'false':
            raise UserError(f'{where} is inside a .git directory, not a work tree')
        raise UserError(
            f'{where} is not in a git repository '
            f'(run it inside one, or pass -C DIR)',
        )
    assert isinstance(out, str)
    root, git_dir = out.splitlines()[1:3]
    return Repo(root, git_dir, Git(root))


def is_shallow(repo: Repo) -> bool:
    out = _run(repo.cmd, 'rev-parse', '--is-shallow-repository')
    return out.strip() == b'true'


def _shallow_hint(repo: Repo) -> str:
    if is_shallow(repo):
        return (
            ' (this is a shallow clone: run `git fetch --deepen=50` or '
            '`git fetch --unshallow`, or use `fetch-depth: 0` with '
            'actions/checkout)'
        )
    return ''


def head(repo: Repo) -> str | None:
    """The sha of HEAD, or None before the first commit."""
    try:
        out = repo.cmd.execute(
            ['git', 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}'],
            env=_ENV, with_exceptions=False,
        )
    except GitCommandNotFound:
        raise UserError('git failed. Is it installed and on PATH?')
    assert isinstance(out, str)
    return out.strip() or None


def resolve(repo: Repo, rev: str) -> str:
    """The commit sha ``rev`` names, or a UserError saying why not."""
    if not rev or rev.startswith('-') or '\0' in rev or '\n' in rev:
        raise UserError(f'{rev!r} is not a valid revision')
    try:
        out = repo.cmd.execute(
            ['git', 'rev-parse', '--verify', '--quiet', '--end-of-options',
             f'{rev}^{{commit}}'],
            env=_ENV, with_exceptions=False,
        )
    except GitCommandNotFound:
        raise UserError('git failed. Is it installed and on PATH?')
    assert isinstance(out, str)
    sha = out.strip()
    if sha:
        return sha
    count = 0
    if head(repo):
        count = int(_run(repo.cmd, 'rev-list', '--count', 'HEAD').strip())
    has = f'the repository has {count} commit{"s" if count != 1 else ""}'
    raise UserError(
        f'unknown revision {rev!r}: not a commit in this repository '
        f'({has}){_shallow_hint(repo)}',
    )


def merge_base(repo: Repo, a: str, b: str) -> str:
    out = repo.cmd.execute(
        ['git', 'merge-base', a, b], env=_ENV, with_exceptions=False,
    )
    assert isinstance(out, str)
    if not out.strip():
        raise UserError(
            f'{a[:12]} and {b[:12]} have no common ancestor'
            f'{_shallow_hint(repo)}',
        )
    return out.strip().split()[0]


def top_level_names(repo: Repo, treeish: str | None) -> frozenset[str]:
    if treeish is None:
        return frozenset()
    out = _run(repo.cmd, 'ls-tree', '-z', '--name-only', treeish, '--')
    return frozenset(
        p.decode('utf-8', 'surrogateescape') for p in out.split(b'\0') if p
    )


def read_blob(repo: Repo, sha: str) -> bytes:
    return _run(repo.cmd, 'cat-file', 'blob', sha,
                what=f'cannot read object {sha}')


def read_path(repo: Repo, treeish: str, path: str) -> bytes | None:
    """``path``'s content at ``treeish`` (a commit, or '' for the index)."""
    out = repo.cmd.execute(
        ['git', 'cat-file', '-e', f'{treeish}:{path}'], env=_ENV,
        with_exceptions=False, with_extended_output=True,
    )
    assert isinstance(out, tuple)
    if out[0] != 0:
        return None
    return _run(repo.cmd, 'cat-file', 'blob', f'{treeish}:{path}')


def list_files(repo: Repo, treeish: str | None) -> list[str]:
    """Every path at ``treeish`` (a commit sha, or None for the index)."""
    if treeish is None:
        out = _run(repo.cmd, 'ls-files', '-z', '--cached')
    else:
        out = _run(repo.cmd, 'ls-tree', '-r', '-z', '--name-only', treeish)
    return [p.decode('utf-8', 'surrogateescape')
            for p in out.split(b'\0') if p]


def commits(repo: Repo, base: str | None, head_: str) -> list[Commit]:
    rng = [head_] if base is None else [f'{base}..{head_}']
    out = _run(
        repo.cmd, 'log', '-z', '--no-color', '--format=%H%n%an <%ae>%n%cI%n%B',
        *rng, '--',
    )
    result = []
    for record in out.split(b'\0'):
        if not record.strip():
            continue
        sha, author, date, message = (
            record.decode('utf-8', 'replace').split('\n', 3) + ['', '', ''])[:4]
        result.append(Commit(sha.strip(), author, date, message.strip()))
    return result


def _decode(b: bytes) -> str:
    return b.decode('utf-8', 'surrogateescape')


def _tokens(stream: IO[bytes], leftover: list[bytes]) -> Iterator[bytes]:
    """NUL-separated tokens until the empty one that ends the header part.

    What was read past it is left in ``leftover`` for the patch part.
    """
    buf = b''
    while True:
        chunk = stream.read(65536)
        if not chunk:
            if buf:
                yield buf
            return
        buf += chunk
        parts = buf.split(b'\0')
        buf = parts.pop()
        for i, part in enumerate(parts):
            if not part:
                leftover.append(b'\0'.join(parts[i + 1:] + [buf]))
                return
            yield part


def _lines(stream: IO[bytes], leftover: bytes) -> Iterator[bytes]:
    buf = leftover
    while True:
        *lines, buf = buf.split(b'\n')
        yield from lines
        chunk = stream.read(65536)
        if not chunk:
            if buf:
                yield buf
            return
        buf += chunk


def _header(tokens: Iterator[bytes]) -> list[FileChange]:
    raw: list[tuple[str, str | None, str, str | None, str | None, bool]] = []
    numstat: list[tuple[int, int, bool]] = []
    for tok in tokens:
        if tok.startswith(b':') and not numstat:
            meta = tok[1:].decode().split(' ')
            old_mode, new_mode, old_sha, new_sha, letter = meta[:5]
            letter = letter[0]
            first = _decode(next(tokens))
            if letter in 'RC':
                path, old_path = _decode(next(tokens)), first
            else:
                path, old_path = first, None
            submodule = '160000' in (old_mode, new_mode)
            raw.append((
                path, old_path, STATUS.get(letter, 'modified'),
                None if _NULL_SHA.match(old_sha) else old_sha,
                None if _NULL_SHA.match(new_sha) else new_sha, submodule,
            ))
        else:
            added, deleted, rest = tok.split(b'\t', 2)
            if not rest:            # a rename: two path tokens follow
                next(tokens), next(tokens)
            binary = added == b'-'
            numstat.append((
                0 if binary else int(added), 0 if binary else int(deleted),
                binary,
            ))
    return [
        FileChange(path, old_path, status, a, d, binary and not submodule,
                   old_blob, new_blob, submodule)
        for (path, old_path, status, old_blob, new_blob, submodule),
        (a, d, binary) in zip(raw, numstat)
    ]


def stream_diff(
        repo: Repo, base: str | None, head_: str | None,
        *, want_content: Callable[[FileChange], bool],
        max_bytes: int,
) -> Iterator[FileDiff]:
    """The diff from ``base`` to ``head_``, one file at a time.

    ``head_`` None means the index (``git diff --cached``); ``base`` None
    means the empty tree (a first commit). Added lines are kept only for
    files ``want_content`` accepts, and only up to ``max_bytes`` a file.
    """
    if head_ is None:
        args = ['diff', '--cached', *_DIFF_OPTS]
        if base is not None:
            args.append(base)
    else:
        args = ['diff-tree', '-r', *_DIFF_OPTS,
                base or _empty_tree(repo), head_]
    try:
        proc = repo.cmd.execute(
            ['git', *_CONFIG, *args, '--'], as_process=True, env=_ENV,
        )
    except GitCommandNotFound:
        raise UserError('git failed. Is it installed and on PATH?')
    stream = proc.proc.stdout   # type: ignore[union-attr]
    try:
        leftover: list[bytes] = []
        files = _header(_tokens(stream, leftover))
        yield from _patches(
            files, _lines(stream, leftover[0] if leftover else b''),
            want_content, max_bytes,
        )
        stream.read()  # drain, so git exits
        proc.wait()
    except GitCommandError as e:
        raise _error(e, 'git diff failed')
    finally:
        stream.close()


def _patches(
        files: list[FileChange], lines: Iterator[bytes],
        want_content: Callable[[FileChange], bool], max_bytes: int,
) -> Iterator[FileDiff]:
    index = -1
    header_line = b''
    current: FileChange | None = None
    keep = False
    added: list[tuple[int, str]] = []
    size = 0
    skipped = False
    in_hunk = False
    lineno = 0
    for line in lines:
        if line.startswith(b'diff --git '):
            # A type change is one raw entry but two patches (delete, add)
            # with the same header line.
            if not (current is not None and current.status == 'type-changed'
                    and line == header_line):
                if current is not None:
                    yield FileDiff(current, added, skipped)
                index += 1
                current = files[index]
                keep = want_content(current)
                added, size, skipped = [], 0, False
            header_line = line
            in_hunk = False
            continue
        if in_hunk:
            first = line[:1]
            if first == b'+':
                if keep:
                    size += len(line)
                    if size > max_bytes:
                        keep, skipped, added = False, True, []
                    else:
                        added.append((lineno, line[1:].decode('utf-8', 'replace')))
                lineno += 1
                continue
            if first == b' ':
                lineno += 1
                continue
            if first in (b'-', b'\\'):
                continue
        m = _HUNK.match(line)
        if m:
            in_hunk = True
            lineno = int(m[1])
    if current is not None:
        yield FileDiff(current, added, skipped)
    for rest in files[index + 1:]:
        # Entries without a patch (should not happen; never lose a file).
        yield FileDiff(rest, [], False)


def _empty_tree(repo: Repo) -> str:
    # Not hard-coded: SHA-256 repositories have a different empty tree.
    return _run(repo.cmd, 'hash-object', '-t', 'tree', os.devnull).decode().strip()


# -- Fetching what a pull request's diff needs (the GitHub Action) -----------
# CI checkouts are often shallow (actions/checkout fetches one commit).
# These add history on demand: never tags, never submodules, never objects
# the diff does not need, and never --depth on a full clone (it would make
# the clone shallow).

_SHA = re.compile(r'^(?:[0-9a-f]{40}|[0-9a-f]{64})$')
_REMOTE = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.-]*$')
_FETCH_OPTS = ('--no-tags', '--no-recurse-submodules', '--no-write-fetch-head',
               '--quiet')


def has_commit(repo: Repo, sha: str) -> bool:
    """Whether the commit ``sha`` (a full hex sha) is in the repository."""
    if not _SHA.match(sha):
        raise ValueError(f'not a full commit sha: {sha!r}')
    try:
        out = repo.cmd.execute(
            ['git', 'cat-file', '-e', f'{sha}^{{commit}}'], env=_ENV,
            with_exceptions=False, with_extended_output=True,
        )
    except GitCommandNotFound:
        raise UserError('git failed. Is it installed and on PATH?')
    assert isinstance(out, tuple)
    return out[0] == 0


def has_merge_base(repo: Repo, a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` have a common ancestor in the history present."""
    try:
        out = repo.cmd.execute(
            ['git', 'merge-base', a, b], env=_ENV, with_exceptions=False,
            with_extended_output=True,
        )
    except GitCommandNotFound:
        raise UserError('git failed. Is it installed and on PATH?')
    assert isinstance(out, tuple)
    return out[0] == 0 and bool(str(out[1]).strip())


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
    _run(repo.cmd, *args, remote, *shas, what=f'git fetch from {remote} failed')


def deepen(repo: Repo, remote: str, shas: list[str], n: int) -> None:
    """Fetch ``n`` more commits of history below the shallow boundary of
    ``shas``' history (``git fetch --deepen``). A no-op on a full clone."""
    _check_fetch(remote, shas)
    if n < 1:
        raise ValueError(f'n must be >= 1, not {n}')
    if not is_shallow(repo):
        return
    _run(repo.cmd, 'fetch', *_FETCH_OPTS, f'--deepen={n}', remote, *shas,
         what=f'git fetch from {remote} failed')


def _check_fetch(remote: str, shas: list[str]) -> None:
    if not _REMOTE.match(remote):
        raise ValueError(f'not a remote name: {remote!r}')
    for sha in shas:
        if not _SHA.match(sha):
            raise ValueError(f'not a full commit sha: {sha!r}')
