"""``review-trigger review``, ``cost``: each bad option or file is one line
on stderr and exit 2 with nothing recorded; the model a reviewer command
names is the one recorded; the cost log is appended to, never torn."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from review_support import fired as fired  # noqa: F401 (a fixture)
from review_support import records

from review_trigger.__main__ import main

FAKE = Path(__file__).with_name('fake_reviewer.py')


def reviewer(tmp_path: Path, mode: str, *extra: str) -> str:
    return shlex.join([sys.executable, str(FAKE), mode, str(tmp_path / 'calls.log'), *extra])


@pytest.mark.parametrize(
    ('args', 'message'),
    [
        pytest.param(['--command', 'claude -p "unclosed'], '--command: No closing quotation', id='quote'),
        pytest.param(['--max-cost-usd', '-1'], '--max-cost-usd must not be negative', id='negative_budget'),
        pytest.param(['--timeout-s', '0'], '--timeout-s must be positive', id='zero_timeout'),
        pytest.param(['--command', 'x', '--api', 'openai'], 'not allowed with argument', id='two_reviewers'),
    ],
)
def test_a_bad_option_is_one_line_and_nothing_is_asked(fired, tmp_path, capsys, args, message):
    if '--command' not in args:
        args = ['--command', reviewer(tmp_path, 'pass'), *args]
    assert main(['review', *args]) == 2
    out, err = capsys.readouterr()
    assert out == '' and err.count('\n') == 1 and message in err, err
    assert records(fired) == []
    assert not (tmp_path / 'calls.log').exists()


@pytest.mark.parametrize(
    ('extra', 'model'),
    [
        pytest.param(('--model=claude-sonnet-4-5',), 'claude-sonnet-4-5', id='equals'),
        pytest.param(('-m', 'o3'), 'o3', id='short'),
        pytest.param(('--model',), None, id='dangling'),
    ],
)
def test_the_model_a_reviewer_command_names_is_recorded(fired, tmp_path, capsys, extra, model):
    assert main(['review', '--command', reviewer(tmp_path, 'pass', *extra)]) == 0
    [rec] = records(fired)
    assert rec['model'] == model


def test_accept_reviewed_needs_a_trigger_and_a_readable_answer(fired, tmp_path, capsys):
    assert main(['review', '--accept-reviewed', str(tmp_path / 'none.md')]) == 2
    assert 'cannot read ' in capsys.readouterr().err
    big = tmp_path / 'big.md'
    big.write_bytes(b' ' * ((4 << 20) + 1))
    assert main(['review', '--accept-reviewed', str(big)]) == 2
    assert 'big.md: larger than 4194304 bytes' in capsys.readouterr().err
    fired.git('commit', '-q', '-m', 'files')
    fired.stage('README.md', '# project, renamed\n')
    assert main(['review', '--accept-reviewed', str(big)]) == 2
    assert 'no trigger fires on this change: there is nothing to accept' in capsys.readouterr().err
    assert records(fired) == []


def test_a_cost_log_outside_the_repository_is_refused(fired, tmp_path, capsys):
    fired.write('.review-trigger.yaml', 'cost_log: ../COST_LOG.md\n')
    assert main(['cost']) == 2
    assert "cost_log must be a path in the repository, not '../COST_LOG.md'" in capsys.readouterr().err
    assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 2
    assert not (fired.path.parent / 'COST_LOG.md').exists()
    fired.write('.review-trigger.yaml', 'cost_log: docs\n')
    (fired.path / 'docs').mkdir()
    assert main(['cost']) == 2
    assert 'cannot read the cost log docs: Is a directory' in capsys.readouterr().err


def test_a_row_is_appended_on_its_own_line(fired, tmp_path, capsys):
    fired.write('.review-trigger.yaml', 'cost_log: COST_LOG.md\n')
    fired.write('COST_LOG.md', '| 2026-02-01 | 001 | sonnet | 1 | 10 | 20 | $0.01 |')
    assert main(['review', '--command', reviewer(tmp_path, 'envelope')]) == 0
    lines = (fired.path / 'COST_LOG.md').read_text().splitlines()
    assert lines[0] == '| 2026-02-01 | 001 | sonnet | 1 | 10 | 20 | $0.01 |'
    assert len(lines) == 2 and '| claude-opus-4-8 | 1 | 5,100 | 700 | $0.43 |' in lines[1]
    capsys.readouterr()
    assert main(['cost']) == 0
    assert '| **total** | 2 | 5,110 | 720 | $0.44 |' in capsys.readouterr().out
