"""The pre-commit hook in process, on what pre-push hands it: a push of
a root commit (no refs from pre-commit) and a range written by a
reason-tier model with the configuration that skips those."""

from __future__ import annotations

import json

from review_trigger.__main__ import main

OPUS = 'Co-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>'


def _report(repo) -> dict:  # type: ignore[no-untyped-def]
    return json.loads((repo.path / '.git' / 'review-trigger' / 'report.json').read_text())  # type: ignore[no-any-return]


def test_first_push_of_a_repository_analyses_every_commit(repo, capsys, monkeypatch):
    for i in range(6):
        repo.write(f'src/m{i}.py', f'x = {i}\n')
    repo.add()
    repo.commit('first')
    repo.stage('src/auth/login.py', 'def login():\n    pass\n')
    repo.commit('second')
    monkeypatch.setenv('PRE_COMMIT_REMOTE_NAME', 'origin')
    monkeypatch.setenv('PRE_COMMIT_LOCAL_BRANCH', 'main')
    assert main(['hook', '--gate']) == 1
    out = capsys.readouterr().out
    assert 'push' in out
    data = _report(repo)
    assert data['range']['base'] is None and data['range']['commits'] == 2
    assert {'new-files', 'security'} <= {t['id'] for t in data['triggers']}


def test_a_push_written_by_a_reason_tier_model_can_be_skipped(committed, capsys, monkeypatch):
    committed.write('.review-trigger.yaml', 'skip_if_reason_tier: true\n')
    committed.add()
    committed.commit('config')
    base = committed.git('rev-parse', 'HEAD').strip()
    committed.stage('src/auth/login.py', 'def login():\n    pass\n')
    committed.git('commit', '-q', '-m', f'login\n\n{OPUS}')
    head = committed.git('rev-parse', 'HEAD').strip()
    monkeypatch.setenv('PRE_COMMIT_FROM_REF', base)
    monkeypatch.setenv('PRE_COMMIT_TO_REF', head)
    monkeypatch.setenv('PRE_COMMIT_REMOTE_NAME', 'origin')
    assert main(['hook', '--gate']) == 0
    out = capsys.readouterr().out
    assert 'no prompt: the configuration skips changes written by a reason-tier model' in out
    assert not (committed.path / '.git' / 'review-trigger' / 'prompt.md').exists()
    assert 'security' in {t['id'] for t in _report(committed)['triggers']}
    # The no-op case: a commit without the trailer is not skipped.
    committed.stage('src/auth/token.py', 'def token():\n    pass\n')
    committed.commit('token')
    monkeypatch.setenv('PRE_COMMIT_TO_REF', committed.git('rev-parse', 'HEAD').strip())
    assert main(['hook', '--gate']) == 1
    assert (committed.path / '.git' / 'review-trigger' / 'prompt.md').exists()
