"""Running git: every git process review-trigger starts, its pinned
settings and environment, and its failures turned into UserErrors."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping, Sequence
from typing import IO, NamedTuple

from review_trigger.errors import UserError

# Options that pin diff output whatever the user's gitconfig says.
_CONFIG = (
    '-c',
    'core.quotepath=false',
    '-c',
    'diff.noprefix=false',
    '-c',
    'diff.mnemonicPrefix=false',
    '-c',
    'diff.relative=false',
    '-c',
    'diff.interHunkContext=0',
    '-c',
    'color.ui=false',
)

# Environment for every git call: never prompt, never page, and never
# fetch missing objects of a partial clone behind the user's back.
_ENV = {
    'GIT_TERMINAL_PROMPT': '0',
    'GIT_PAGER': 'cat',
    'PAGER': 'cat',
    'GIT_NO_LAZY_FETCH': '1',
    'GIT_EXTERNAL_DIFF': '',
}


class Repo(NamedTuple):
    root: str
    git_dir: str
    # The environment of every git process of the run (see environment()):
    # git sees the run's environment, not whatever the process's is later.
    env: Mapping[str, str]
    # The index's file ($GIT_INDEX_FILE, else the git dir's), absolute
    # ('' only while the repository is being found).
    index_file: str = ''


class _Failed(Exception):
    """A git command exited with a failure status."""

    def __init__(self, status: int, stderr: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.stderr = stderr.decode('utf-8', 'replace')


def environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of a run's git processes: the run's own (which the
    entry point read once and passed down), with git pinned. git's
    messages in English: errors are recognised by their words."""
    return {**environ, **_ENV, 'LC_ALL': 'C', 'LANGUAGE': 'C'}


def version(environ: Mapping[str, str] | None = None) -> str:
    """git's version line, for a crash log (never raises: git may be what
    is missing)."""
    try:
        done = subprocess.run(
            ('git', '--version'),
            capture_output=True,
            env=None if environ is None else environment(environ),
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return 'git: not found'
    return done.stdout.decode('utf-8', 'replace').strip() or 'git: no version given'


def _start(
    repo: Repo,
    args: Sequence[str],
    stdin: IO[bytes] | int = subprocess.DEVNULL,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``git args`` in the repository (or ``cwd``) with the run's
    environment, its output and errors piped; ``env`` adds to it."""
    environ = {**repo.env, **env} if env else repo.env
    try:
        return subprocess.Popen(
            ['git', *args],
            cwd=cwd or repo.root,
            env=environ,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError:
        raise UserError('git failed. Is it installed and on PATH?')


def _call(
    repo: Repo,
    *args: str,
    env: Mapping[str, str] | None = None,
) -> tuple[int, bytes, bytes]:
    """Run ``git args`` in the repository: its status, output and errors."""
    proc = _start(repo, args, env=env)
    out, err = proc.communicate()
    return proc.returncode, out, err


def _wait(proc: subprocess.Popen[bytes]) -> None:
    """Wait for a streaming git (its output read) and fail as it did."""
    err = proc.stderr.read() if proc.stderr is not None else b''
    if proc.stderr is not None:
        proc.stderr.close()
    status = proc.wait()
    if status != 0:
        raise _Failed(status, err)


def _error(exc: _Failed, what: str) -> UserError:
    lines = [
        ln.strip()
        for ln in exc.stderr.strip().splitlines()
        if ln.strip() and not ln.strip().startswith('hint:')
    ]
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


def _run(repo: Repo, *args: str, what: str = 'git failed') -> bytes:
    """The output of ``git args`` in the repository; a UserError if it fails."""
    status, out, err = _call(repo, *_CONFIG, *args)
    if status != 0:
        raise _error(_Failed(status, err), what)
    return out


def _decode(b: bytes) -> str:
    return b.decode('utf-8', 'surrogateescape')
