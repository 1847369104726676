"""The issue's "done when", walked as a new user would: a scratch
repository with the real ``pre-commit`` gate installed at commit and at
push, and ``review-trigger review`` with a fake reviewer command."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from test_hook import (  # noqa: F401 (fixtures)
    _hook_root,
    _isolated_env,
    _session_caches,
    caches,
    hook_line,
    hook_repo,
    install,
    pre_commit,
    run,
    stage_six,
)

from review_trigger.__main__ import main

FAKE = Path(__file__).with_name('fake_reviewer.py')
GATE = 'review-trigger-gate'


def reviewer(tmp_path: Path, mode: str) -> tuple[str, Path]:
    log = tmp_path / f'{mode}.log'
    return shlex.join([sys.executable, str(FAKE), mode, str(log)]), log


def ledger(repo) -> list[Path]:
    return sorted((repo.path / '.git' / 'review-trigger' / 'reviews').glob('*.json'))


def test_done_when(repo, hook_repo, caches, tmp_path, capsys):  # noqa: F811
    remote = tmp_path / 'remote.git'
    run(tmp_path, 'git', 'init', '-q', '--bare', str(remote), env=_isolated_env())
    repo.git('remote', 'add', 'origin', str(remote))
    env = install(repo, hook_repo, caches, 'review-trigger-gate')
    repo.git('push', '-q', 'origin', 'main')
    res = pre_commit(repo.path, 'install', '--hook-type', 'pre-push', env=env)
    assert res.code == 0, res.out

    # A change that fires is refused.
    stage_six(repo)
    head = repo.git('rev-parse', 'HEAD')
    res = run(repo.path, 'git', 'commit', '-m', 'six', env=env)
    assert res.code == 1 and hook_line(res.out, GATE) == 'Failed', res.out
    assert 'run the review: review-trigger review' in res.out

    # A reviewer answering garbage, exiting non-zero or running past the
    # timeout: nothing recorded, exit 2, and the gate still refuses.
    for mode in ('garbage', 'exit', 'sleep'):
        cmd, log = reviewer(tmp_path, mode)
        assert main(['review', '--command', cmd, '--timeout-s', '1']) == 2, mode
        assert log.exists() and ledger(repo) == []
    res = run(repo.path, 'git', 'commit', '-m', 'six', env=env)
    assert res.code == 1, res.out

    # Over budget, no call is made.
    cmd, log = reviewer(tmp_path, 'warn')
    assert main(['review', '--command', cmd, '--model', 'opus', '--max-cost-usd', '0.001']) == 2
    assert not log.exists() and ledger(repo) == []
    capsys.readouterr()

    # A reviewer answering WARN: the review is printed and recorded, and the
    # commit goes through.
    assert main(['review', '--command', cmd]) == 0
    out, err = capsys.readouterr()
    assert out.startswith('## Review verdict: WARN\n') and 'review recorded: WARN' in err
    assert len(ledger(repo)) == 1

    # An edited file is refused again; back to the reviewed content, it passes.
    repo.stage('m1.py', 'def f():\n    return "edited"\n')
    res = run(repo.path, 'git', 'commit', '-m', 'six', env=env)
    assert res.code == 1 and hook_line(res.out, GATE) == 'Failed', res.out
    assert 'run the review' in res.out
    stage_six(repo)
    res = run(repo.path, 'git', 'commit', '-m', 'six', env=env)
    assert res.code == 0 and hook_line(res.out, GATE) == 'Passed', res.out
    assert 'this content was reviewed: WARN with 1 finding' in res.out
    assert repo.git('rev-parse', 'HEAD') != head

    # The same content at git push goes through.
    res = run(repo.path, 'git', 'push', 'origin', 'main', env=env)
    assert res.code == 0, res.out
    assert 'this content was reviewed: WARN' in res.out and 'push allowed' in res.out
    assert repo.git('ls-remote', 'origin', 'main').split()[0] == repo.git('rev-parse', 'HEAD').strip()

    # Content committed past the gate (SKIP) is refused at push.
    for i in range(6):
        repo.stage(f'n{i}.py', f'y = {i}\n')
    res = run(repo.path, 'git', 'commit', '-m', 'more', env={**env, 'SKIP': GATE})
    assert res.code == 0, res.out
    res = run(repo.path, 'git', 'push', 'origin', 'main', env=env)
    assert res.code == 1 and 'push refused' in res.out, res.out
