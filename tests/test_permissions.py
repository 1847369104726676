"""What review-trigger does where it may not read or write: run as a user
who does not own the repository (root drops to ``nobody`` with setpriv,
since root reads and writes whatever the modes say; anyone else is
refused by the modes of its own files).

A read-only checkout is analysed as any other, without leaving anything
behind; what cannot be read or written is one line and exit 2, never a
traceback, a file half-written or a skipped file; the agent's stop says
the change was not checked; no paid review is asked for that cannot be
kept; and the gate fails closed where the informational hook informs.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import GITCONFIG, Repo, isolated_git_env

# A reviewer of the other user's own: a shell script (the Python running
# the tests may be one that user can start only as setpriv does).
REVIEWER = '#!/bin/sh\ncat > /dev/null\necho asked >> "$1"\necho \'{"verdict": "PASS", "summary": "fine", "findings": []}\'\n'
NOBODY = 65534
SECRET = 'password = "Tr0ub4dor&3-horse-battery"\n'


def _traversable(path: str) -> bool:
    """Every folder from the root to ``path`` lets others in."""
    p = Path(path).resolve()
    return p.is_dir() and all(os.stat(d).st_mode & stat.S_IXOTH for d in (p, *p.parents))


class User(NamedTuple):
    """Runs review-trigger as a user who owns none of ``base``."""

    prefix: tuple[str, ...]
    base: Path
    env: dict[str, str]

    def run(self, *args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            (*self.prefix, sys.executable, '-m', 'review_trigger', *args),
            cwd=cwd,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


@pytest.fixture
def user() -> Iterator[User]:
    # Not under pytest's own temporary folder: its folders are the owner's
    # alone, and the other user must get to the repository.
    where = next((d for d in (tempfile.gettempdir(), '/tmp', '/var/tmp') if _traversable(d)), None)
    if where is None:
        pytest.skip('no temporary folder that another user may enter')
    base = Path(tempfile.mkdtemp(prefix='review-trigger-perm-', dir=where))
    try:
        os.chmod(base, 0o755)
        (base / 'gitconfig').write_text(GITCONFIG + '[safe]\n\tdirectory = *\n')
        home = base / 'home'
        home.mkdir(mode=0o777)
        os.chmod(home, 0o777)
        (base / 'log').mkdir()
        os.chmod(base / 'log', 0o777)
        # Not measured by coverage: the other user may not write its data.
        env = isolated_git_env(home, base / 'gitconfig', ('GIT_', 'REVIEW_TRIGGER_', 'COVERAGE'))
        env['PYTHONDONTWRITEBYTECODE'] = '1'
        prefix: tuple[str, ...] = ()
        if os.geteuid() == 0:
            setpriv = shutil.which('setpriv')
            if setpriv is None:
                pytest.skip('running as root without setpriv: no other user to run as')
            prefix = (setpriv, f'--reuid={NOBODY}', f'--regid={NOBODY}', '--clear-groups')
            probe = subprocess.run(
                (*prefix, sys.executable, '-c', 'import review_trigger'),
                cwd=base,
                env=env,
                capture_output=True,
                check=False,
            )
            if probe.returncode != 0:
                pytest.skip(
                    f'user {NOBODY} cannot run this Python: {probe.stderr.decode(errors="replace")[-200:]}'
                )
        yield User(prefix, base, env)
    finally:
        writable(base)
        shutil.rmtree(base, ignore_errors=True)


def _git(path: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(('git', *args), cwd=path, env=env, check=True, capture_output=True)


@pytest.fixture
def checkout(user: User) -> Repo:
    """A repository whose last commit adds a credential (security fires)."""
    path = user.base / 'repo'
    path.mkdir()
    repo = Repo(path)
    _git(path, user.env, 'init', '-q')
    repo.write('README.md', '# project\n')
    _git(path, user.env, 'add', '.')
    _git(path, user.env, 'commit', '-q', '-m', 'first')
    repo.write('src/settings.py', SECRET)
    _git(path, user.env, 'add', '.')
    _git(path, user.env, 'commit', '-q', '-m', 'second')
    return repo


def _chmod_all(path: Path, folders: int, files: int) -> None:
    for root, dirs, names in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(root, name), folders)
        for name in names:
            os.chmod(os.path.join(root, name), files)
    os.chmod(path, folders)


def read_only(path: Path) -> None:
    """Nobody may write anything below ``path`` (its owner neither)."""
    _chmod_all(path, 0o555, 0o444)


def writable(path: Path) -> None:
    """Anyone may write below ``path``."""
    _chmod_all(path, 0o777, 0o666)


def one_line(err: str) -> str:
    assert err.count('\n') == 1 and 'Traceback' not in err, err
    return err


def tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob('*'))


def test_a_read_only_checkout_is_analysed_and_nothing_is_left_in_it(user: User, checkout: Repo) -> None:
    read_only(checkout.path)
    before = tree(checkout.path)
    done = user.run('--since', 'HEAD~1', '--format', 'json', cwd=checkout.path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert 'security' in [t['id'] for t in report['triggers']]
    assert 'Tr0ub4dor' not in done.stdout + done.stderr
    staged = user.run('--staged', cwd=checkout.path)
    assert staged.returncode == 0 and staged.stdout == '', staged.stderr
    assert 'no trigger fired (0 files changed)' in staged.stderr
    assert tree(checkout.path) == before


def test_an_output_file_that_cannot_be_written_is_one_line_and_the_old_one_stays(
    user: User, checkout: Repo
) -> None:
    out = checkout.path / 'out'
    out.mkdir()
    (out / 'prompt.md').write_text('an earlier prompt\n')
    read_only(out)
    done = user.run('--since', 'HEAD~1', '--output', 'out/prompt.md', cwd=checkout.path)
    assert done.returncode == 2 and done.stdout == ''
    assert 'cannot write' in one_line(done.stderr) and 'Permission denied' in done.stderr
    assert (out / 'prompt.md').read_text() == 'an earlier prompt\n'
    assert tree(out) == ['prompt.md']
    writable(out)
    done = user.run('--since', 'HEAD~1', '--output', 'out/prompt.md', cwd=checkout.path)
    assert done.returncode == 0, done.stderr
    assert 'src/settings.py' in (out / 'prompt.md').read_text()


def test_an_unreadable_configuration_is_an_error_not_the_defaults(user: User, checkout: Repo) -> None:
    """A configuration can switch triggers off; one that cannot be read is
    not taken for none."""
    config = checkout.write('.review-trigger.yaml', 'triggers:\n  security:\n    enabled: false\n')
    os.chmod(config, 0)
    done = user.run('--since', 'HEAD~1', cwd=checkout.path)
    assert done.returncode == 2 and done.stdout == ''
    assert 'cannot read .review-trigger.yaml: Permission denied' in one_line(done.stderr)
    os.chmod(config, 0o644)
    done = user.run('--since', 'HEAD~1', '--format', 'json', cwd=checkout.path)
    assert done.returncode == 0, done.stderr
    assert 'security' not in [t['id'] for t in json.loads(done.stdout)['triggers']]


def test_an_unreadable_file_in_the_working_tree_is_an_error_not_a_skip(user: User, checkout: Repo) -> None:
    writable(checkout.path / '.git')
    secret = checkout.write('src/keys.py', SECRET)
    os.chmod(secret, 0)
    done = user.run('--worktree', cwd=checkout.path)
    assert done.returncode == 2 and done.stdout == ''
    assert 'cannot read the working tree' in one_line(done.stderr)
    assert 'src/keys.py' in done.stderr and 'Permission denied' in done.stderr
    os.chmod(secret, 0o644)
    done = user.run('--worktree', '--format', 'json', cwd=checkout.path)
    assert done.returncode == 0, done.stderr
    assert 'src/keys.py' in [c['path'] for c in json.loads(done.stdout)['changes']]


def test_the_working_tree_of_a_read_only_repository_is_one_line(user: User, checkout: Repo) -> None:
    """--worktree snapshots the working tree into the object database,
    which a read-only repository refuses: said so, nothing analysed."""
    read_only(checkout.path)
    done = user.run('--worktree', cwd=checkout.path)
    assert done.returncode == 2 and done.stdout == ''
    assert 'cannot create a temporary index in' in one_line(done.stderr)
    assert 'Permission denied' in done.stderr


def _stop(repo: Repo) -> str:
    return json.dumps(
        {
            'session_id': 'perm-1',
            'transcript_path': '/home/u/.claude/projects/p/perm-1.jsonl',
            'cwd': str(repo.path),
            'permission_mode': 'default',
            'hook_event_name': 'Stop',
            'stop_hook_active': False,
            'last_assistant_message': 'Done.',
        }
    )


def test_an_agent_stop_that_cannot_keep_its_record_says_the_change_was_not_checked(
    user: User, checkout: Repo
) -> None:
    read_only(checkout.path)
    done = user.run('agent-hook', '--agent', 'claude', cwd=checkout.path, input=_stop(checkout))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert 'decision' not in answer
    assert "the session's change was not checked" in answer['systemMessage']
    assert 'Permission denied' in answer['systemMessage']
    assert "the session's change was not checked" in one_line(done.stderr)


def test_a_ledger_that_cannot_be_written_is_refused_before_the_reviewer_is_asked(
    user: User, checkout: Repo
) -> None:
    read_only(checkout.path / '.git')
    calls = user.base / 'log' / 'calls.log'
    script = user.base / 'reviewer.sh'
    script.write_text(REVIEWER)
    os.chmod(script, 0o644)
    # Run by sh, not executed: the temporary folder may be mounted noexec.
    command = shlex.join(['/bin/sh', str(script), str(calls)])
    done = user.run('review', '--since', 'HEAD~1', '--command', command, cwd=checkout.path)
    assert done.returncode == 2 and done.stdout == ''
    assert 'cannot write the ledger' in one_line(done.stderr) and 'Permission denied' in done.stderr
    assert not calls.exists()
    writable(checkout.path / '.git')
    done = user.run('review', '--since', 'HEAD~1', '--command', command, cwd=checkout.path)
    assert done.returncode == 0, done.stderr
    assert calls.exists()


@pytest.mark.parametrize(('gate', 'code'), [((), 0), (('--gate',), 2)])
def test_the_informational_hook_informs_and_the_gate_fails_closed_on_a_read_only_git_dir(
    user: User, checkout: Repo, gate: tuple[str, ...], code: int
) -> None:
    checkout.write('src/more.py', SECRET)
    _git(checkout.path, user.env, 'add', '.')
    read_only(checkout.path / '.git')
    done = user.run('hook', *gate, cwd=checkout.path)
    assert done.returncode == code
    # The informational hook's error is on stdout, where pre-commit shows it.
    message = done.stdout if not gate else done.stderr
    assert 'cannot write' in one_line(message) and 'Permission denied' in message
    assert ('not blocking' in message) == (not gate)
