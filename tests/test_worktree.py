"""--worktree: a revision against the working tree, untracked files
included, with the real index and the working tree left as they were; and
the line --staged prints when it leaves work out."""

from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Repo, report

CHECKOUT = Path(__file__).resolve().parents[1]


def _payments(repo: Repo) -> None:
    """The issue's scenario: six new payment files, a changed auth module
    and an edited CLAUDE.md, nothing staged."""
    for i in range(6):
        repo.write(f'src/payments/p{i}.py', f'def charge_{i}(amount):\n    return amount\n')
    repo.write('src/auth/session.py', 'def login(user, password):\n    return token\n')
    repo.write('CLAUDE.md', '# Rules\n\nAlways run the tests.\n')


def _state(repo: Repo) -> tuple[str, bytes]:
    """git status (without refreshing the index: that would write it) and
    the index's bytes."""
    status = subprocess.run(
        ('git', '--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all'),
        cwd=repo.path,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return status, (repo.path / '.git' / 'index').read_bytes()


def _leftovers(repo: Repo) -> list[str]:
    return glob.glob(str(repo.path / '.git' / 'review-trigger' / 'worktree-index-*'))


def test_worktree_reports_untracked_and_unstaged_work_and_touches_nothing(committed: Repo, cli) -> None:
    committed.write('src/auth/session.py', 'x = 1\n')
    committed.add()
    committed.commit('auth')
    _payments(committed)
    committed.write('README.md', '# project\n\nSome words.\nMore words.\n')  # unstaged
    before = _state(committed)
    data = report(cli, '--worktree')
    assert _state(committed) == before
    assert _leftovers(committed) == []
    changes = {c['path']: c['status'] for c in data['changes']}
    assert changes == {
        **{f'src/payments/p{i}.py': 'added' for i in range(6)},
        'src/auth/session.py': 'modified',
        'CLAUDE.md': 'added',
        'README.md': 'modified',
    }
    assert data['range']['head'] == 'WORKTREE'
    assert data['range']['mode'] == 'worktree'
    assert data['range']['base'] == committed.git('rev-parse', 'HEAD').strip()
    fired = {t['id'] for t in data['triggers']}
    assert {'new-files', 'governance', 'security'} <= fired
    # The same work, staged, is what --staged sees: nothing was staged.
    assert report(cli)['changes'] == []


def test_worktree_prompt_names_the_working_tree(committed: Repo, cli) -> None:
    _payments(committed)
    res = cli('--worktree')
    assert res.code == 0, res.err
    assert res.out.startswith('## Opus Review: the working tree `HEAD..working tree`')
    assert '`src/payments/p0.py`' in res.out


def test_worktree_honours_gitignore_and_lists_deletions(committed: Repo, cli) -> None:
    committed.write('.gitignore', 'build/\n*.log\n')
    committed.add('.gitignore')
    committed.commit('ignore')
    committed.write('build/out.py', 'x = 1\n')
    committed.write('debug.log', 'secret\n')
    committed.write('kept.py', 'y = 2\n')
    (committed.path / 'src' / 'app' / 'core.py').unlink()
    data = report(cli, '--worktree')
    assert {c['path']: c['status'] for c in data['changes']} == {
        'kept.py': 'added',
        'src/app/core.py': 'deleted',
    }


def test_worktree_of_a_clean_tree_is_empty(committed: Repo, cli) -> None:
    res = cli('--worktree')
    assert res.code == 0
    assert res.out == ''
    assert 'no trigger fired (0 files changed)' in res.err


def test_a_range_from_an_earlier_snapshot_diffs_from_that_tree(committed: Repo, cli) -> None:
    """An agent's session: from its working tree at the start (work in
    progress then is not the session's), its commits from its commit."""
    from review_trigger import git, pipeline

    _payments(committed)
    repo = git.open_repo(str(committed.path))
    start, tree = git.head(repo), git.snapshot(repo)
    committed.write('src/app/core.py', 'def run(user):\n    return user.is_admin\n')
    committed.add('src/app/core.py')
    committed.commit('admin check')
    outcome = pipeline.run(
        pipeline.Request(range=lambda r: git.worktree_range(r, start, 'session', tree_base=tree)), repo
    )
    assert [f.path for f in outcome.analysis.change.files] == ['src/app/core.py']
    assert [f.trigger for f in outcome.analysis.findings] == ['security']
    assert len(outcome.analysis.commits) == 1
    data = json.loads(pipeline.report_json(outcome))
    assert (data['range']['base'], data['range']['tree_base']) == (start, tree)
    assert data['pinned']['base'] == tree and f'git diff -M -C {tree} ' in data['pinned']['reproduce']
    # The command's own --worktree names no such tree.
    assert 'tree_base' not in report(cli, '--worktree')['range']


def test_worktree_keeps_staged_and_unstaged_parts_of_one_file(committed: Repo, cli) -> None:
    committed.stage('src/app/core.py', 'def run():\n    return 2\n')
    committed.write('src/app/core.py', 'def run():\n    return 3\n\n\ndef more():\n    pass\n')
    before = _state(committed)
    data = report(cli, '--worktree')
    assert _state(committed) == before
    [change] = data['changes']
    assert (change['path'], change['added_lines']) == ('src/app/core.py', 5)
    # The index still holds the staged version only.
    assert committed.git('show', ':src/app/core.py') == 'def run():\n    return 2\n'


def test_worktree_without_a_commit_is_all_new(repo: Repo, cli) -> None:
    repo.write('a.py', 'x = 1\n')
    repo.stage('b.py', 'y = 2\n')
    data = report(cli, '--worktree')
    assert data['range']['base'] is None
    assert data['range']['head'] == 'WORKTREE'
    assert {c['path']: c['status'] for c in data['changes']} == {'a.py': 'added', 'b.py': 'added'}
    assert not (repo.path / '.git' / 'refs' / 'heads' / 'main').exists()


def test_worktree_since_a_revision_counts_its_commits(committed: Repo, cli) -> None:
    start = committed.git('rev-parse', 'HEAD').strip()
    committed.stage('src/app/one.py', 'a = 1\n')
    committed.commit('one\n\nCo-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>')
    committed.write('src/app/two.py', 'b = 2\n')
    data = report(cli, '--worktree', start)
    assert data['range']['base'] == start
    assert data['range']['commits'] == 1
    assert sorted(c['path'] for c in data['changes']) == ['src/app/one.py', 'src/app/two.py']
    assert data['session_model']['models'][0]['name'] == 'Claude Sonnet 4.5'  # as the trailer writes it


def test_worktree_rejects_an_unknown_revision(committed: Repo, cli) -> None:
    res = cli('--worktree', 'nope')
    assert res.code == 2
    assert "unknown revision 'nope'" in res.err
    assert _leftovers(committed) == []


def test_staged_says_what_it_leaves_out(committed: Repo, cli) -> None:
    committed.stage('src/app/core.py', 'def run():\n    return 2\n')
    _payments(committed)  # 8 untracked
    committed.write('README.md', '# project\n\nOther.\n')  # 1 unstaged
    staged_only = cli('--format', 'json')
    assert staged_only.code == 0
    lines = staged_only.err.splitlines()
    assert lines[-1] == 'review-trigger: 9 unstaged or untracked files not analysed (use --worktree)'
    # The report is still the staged change's alone.
    assert [c['path'] for c in json.loads(staged_only.out)['changes']] == ['src/app/core.py']


def test_staged_is_quiet_when_nothing_is_left_out(committed: Repo, cli) -> None:
    committed.stage('src/app/core.py', 'def run():\n    return 2\n')
    res = cli()
    assert res.code == 0
    assert 'not analysed' not in res.err
    # One unstaged file: the singular.
    committed.write('README.md', 'changed\n')
    assert (
        cli().err.splitlines()[-1]
        == 'review-trigger: 1 unstaged or untracked file not analysed (use --worktree)'
    )
    # --since does not speak of the working tree.
    assert 'not analysed' not in cli('--since', 'HEAD').err


def test_interrupted_worktree_leaves_no_temporary_index(committed: Repo) -> None:
    """^C while git adds the working tree to the temporary index: the copy is
    removed, the real index is as it was. A clean filter that waits (a real
    git feature) holds ``git add`` until the test has interrupted it."""
    started = committed.path.parent / 'filter-started'
    committed.git('config', 'filter.slow.clean', f'touch {started}; sleep 30; cat')
    committed.write('.gitattributes', '*.slow filter=slow\n')
    committed.write('data.slow', 'payload\n')
    before = _state(committed)
    env = {**os.environ, 'PYTHONPATH': str(CHECKOUT)}
    proc = subprocess.Popen(
        (sys.executable, '-m', 'review_trigger', '--worktree'),
        cwd=committed.path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not started.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, 'the filter never ran'
            time.sleep(0.02)
        # The copy (and git's lock on it) exists while git adds.
        assert [p for p in _leftovers(committed) if not p.endswith('.lock')]
        os.killpg(proc.pid, signal.SIGINT)  # ^C reaches the whole group
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert b'interrupted' in err
    assert out == b''
    assert _leftovers(committed) == []
    assert _state(committed) == before


def test_worktree_keeps_a_callers_sigterm_handler_and_runs_in_a_thread(committed: Repo, cli) -> None:
    """An editor or a server calling main() in process: its own SIGTERM
    handler stays in place, and a run in a worker thread (which cannot set
    one) still analyses the working tree."""
    import threading

    _payments(committed)
    caught: list[int] = []

    def handler(signum: int, frame: object) -> None:
        caught.append(signum)

    old = signal.signal(signal.SIGTERM, handler)
    try:
        data = report(cli, '--worktree')
        assert signal.getsignal(signal.SIGTERM) is handler
    finally:
        signal.signal(signal.SIGTERM, old)
    assert 'new-files' in {t['id'] for t in data['triggers']}
    from review_trigger.__main__ import main

    codes: list[int] = []
    worker = threading.Thread(target=lambda: codes.append(main(['--worktree', '--format', 'json'])))
    worker.start()
    worker.join(timeout=60)
    assert codes == [0]
    assert signal.getsignal(signal.SIGTERM) is old
    assert not glob.glob(str(committed.path / '.git' / 'review-trigger' / 'worktree-index-*'))


def test_worktree_before_anything_was_staged(repo: Repo, cli) -> None:
    # A commit made without the index (as a server or a script would).
    tree = repo.git('hash-object', '-t', 'tree', '-w', '/dev/null').strip()
    repo.git('update-ref', 'HEAD', repo.git('commit-tree', tree, '-m', 'start').strip())
    assert not (repo.path / '.git' / 'index').exists()
    repo.write('src/app.py', 'x = 1\n')
    data = report(cli, '--worktree')
    assert [c['path'] for c in data['changes']] == ['src/app.py']
    assert not (repo.path / '.git' / 'index').exists()


@pytest.mark.cold_memo
def test_worktree_needs_a_place_for_its_temporary_index(committed: Repo, cli) -> None:
    (committed.path / '.git' / 'review-trigger').write_text('not a folder')
    committed.write('new.py', 'x = 1\n')
    res = cli('--worktree')
    assert res.code == 2 and res.out == ''
    assert res.err.startswith('review-trigger: error: cannot create a temporary index in ')
    assert res.err.count('\n') == 1
