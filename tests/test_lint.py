"""The code base holds itself to its own standards: ruff, mypy --strict, and
review-trigger run on its own history.

.ci/run lints the tree itself, after the timed test run (and more: ruff
format --check), and says so with REVIEW_TRIGGER_CI_LINTS=1: the linters
are then not run twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review_trigger.__main__ import main

ROOT = Path(__file__).parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, '-m', *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.skipif(
    os.environ.get('REVIEW_TRIGGER_CI_LINTS') == '1', reason='.ci/run runs the linters after the suite'
)
@pytest.mark.parametrize('tool', ['ruff', 'mypy'])
def test_linters_pass(tool):
    pytest.importorskip(tool)
    res = _run('ruff', 'check', '.') if tool == 'ruff' else _run('mypy')
    assert res.returncode == 0, res.stdout + res.stderr


def test_review_trigger_on_its_own_history(capsys):
    roots = subprocess.run(
        ['git', 'rev-list', '--max-parents=0', 'HEAD'], cwd=ROOT, capture_output=True, text=True
    )
    shallow = subprocess.run(
        ['git', 'rev-parse', '--is-shallow-repository'], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if roots.returncode != 0 or shallow != 'false':
        pytest.skip('needs a full git checkout of the project')
    root = roots.stdout.split()[0]
    code = main(['-C', str(ROOT), '--since', root, '--format', 'json'])
    out, err = capsys.readouterr()
    assert code == 0, err
    report = json.loads(out)
    paths = {c['path'] for c in report['changes']}
    assert 'review_trigger/git/diff.py' in paths
    fired = {t['id'] for t in report['triggers']}
    assert {'new-files', 'governance', 'security'} <= fired
