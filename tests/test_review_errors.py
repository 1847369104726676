"""``review-trigger review``, ``cost``: each bad option or file is one line
on stderr and exit 2 with nothing recorded; the model a reviewer command
names is the one recorded; the cost log is appended to, never torn."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from review_support import LEDGER, records
from review_support import fired as fired  # noqa: F401 (a fixture)

from review_trigger.__main__ import main
from review_trigger.review import costlog

FAKE = Path(__file__).with_name('fake_reviewer.py')


def reviewer(tmp_path: Path, mode: str, *extra: str) -> str:
    return shlex.join([sys.executable, str(FAKE), mode, str(tmp_path / 'calls.log'), *extra])


@pytest.mark.parametrize(
    ('args', 'message'),
    [
        pytest.param(['--command', 'claude -p "unclosed'], '--command: No closing quotation', id='quote'),
        pytest.param(['--max-cost-usd', '-1'], '--max-cost-usd must not be negative', id='negative_budget'),
        pytest.param(['--timeout-s', '0'], '--timeout-s must be positive', id='zero_timeout'),
        pytest.param(
            ['--max-cost-usd', 'nan'], '--max-cost-usd must be a number of dollars', id='nan_budget'
        ),
        pytest.param(
            ['--max-cost-usd', 'inf'], '--max-cost-usd must be a number of dollars', id='inf_budget'
        ),
        pytest.param(['--timeout-s', 'nan'], '--timeout-s must be a number of seconds', id='nan_timeout'),
        pytest.param(['--timeout-s', 'inf'], '--timeout-s must be a number of seconds', id='inf_timeout'),
        # Finite, but beyond what the clock's integer holds.
        pytest.param(
            ['--timeout-s', '1e300'], '--timeout-s must be at most 604800 seconds', id='huge_timeout'
        ),
        pytest.param(
            ['--timeout-s', '604801'], '--timeout-s must be at most 604800 seconds', id='a_week_and_1s'
        ),
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


@pytest.mark.parametrize('blocked', ['.git/review-trigger', '.git/review-trigger/reviews'])
def test_a_ledger_that_cannot_be_written_is_refused_before_the_call(fired, tmp_path, capsys, blocked):
    """A file where the ledger's folder (or the folder above it) should be:
    the reviewer is never asked, so no paid review is lost to the write."""
    import shutil

    path = fired.path / blocked
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('in the way\n')
    for _ in range(2):
        assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 2
        out, err = capsys.readouterr()
        assert out == '' and err.count('\n') == 1, err
        assert f'cannot write the ledger {fired.path / LEDGER}: {path} is not a directory' in err, err
        assert not (tmp_path / 'calls.log').exists()
    assert path.read_text() == 'in the way\n'


def test_a_budget_of_nan_in_the_configuration_is_refused(fired, tmp_path, capsys):
    fired.write('.review-trigger.yaml', 'review:\n  max_cost_usd: .nan\n')
    assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 2
    assert 'review.max_cost_usd must be a number of dollars, not nan' in capsys.readouterr().err
    assert records(fired) == [] and not (tmp_path / 'calls.log').exists()


def test_a_timeout_of_centuries_in_the_configuration_is_refused_and_a_week_is_taken(fired, tmp_path, capsys):
    fired.write('.review-trigger.yaml', 'review:\n  timeout_s: 1.0e+300\n')
    assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 2
    assert 'review.timeout_s must be at most 604800 seconds (a week), not 1e+300' in capsys.readouterr().err
    assert records(fired) == [] and not (tmp_path / 'calls.log').exists()
    fired.write('.review-trigger.yaml', 'review:\n  timeout_s: 604800\n')
    assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 0, capsys.readouterr().err
    assert len(records(fired)) == 1


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
    assert len(lines) == 2 and '| claude-opus-4-8 | 1 | 5,100 | 700 | $0.4321 |' in lines[1]
    capsys.readouterr()
    assert main(['cost']) == 0
    assert '| **total** | 2 | 5,110 | 720 | $0.4421 |' in capsys.readouterr().out


def test_a_cost_log_that_cannot_be_written_is_refused_before_the_call(fired, tmp_path, capsys):
    (fired.path / 'src').mkdir()
    (fired.path / 'src' / 'a.py').write_text('a = 1\n')
    fired.write('.review-trigger.yaml', 'cost_log: src\n')
    for _ in range(2):
        # Refused the same way again: no review was paid for and stored.
        assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 2
        out, err = capsys.readouterr()
        assert out == '' and err.count('\n') == 1 and 'cannot write the cost log src: it is not a file' in err
        assert records(fired) == [] and not (tmp_path / 'calls.log').exists()
    fired.write('.review-trigger.yaml', 'cost_log: README.md/COST_LOG.md\n')
    assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 2
    assert (
        'cannot write the cost log README.md/COST_LOG.md: README.md is not a directory'
        in capsys.readouterr().err
    )
    fired.write('.review-trigger.yaml', 'cost_log: ../outside.md\n')
    for argv in (['review', '--command', reviewer(tmp_path, 'pass')], ['hook', '--gate']):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert "cost_log must be a path in the repository, not '../outside.md'" in err, err
    assert records(fired) == [] and not (tmp_path / 'calls.log').exists()


def test_cheap_reviews_sum_to_the_ledgers_cost_and_an_unknown_cost_is_not_zero(fired, tmp_path, capsys):
    fired.write('.review-trigger.yaml', 'cost_log: COST_LOG.md\n')
    assert main(['review', '--command', reviewer(tmp_path, 'pass', '--model', 'claude-haiku-4-5')]) == 0
    fired.stage('m1.py', 'x = 11\n')
    assert main(['review', '--command', reviewer(tmp_path, 'pass', '--model', 'claude-haiku-4-5')]) == 0
    fired.stage('m2.py', 'x = 12\n')
    assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 0  # no model: no price
    costs = [r['cost_usd'] for r in records(fired)]
    assert sorted(costs, key=lambda c: c is None)[2] is None and all(0 < c < 0.01 for c in costs if c)
    rows = (fired.path / 'COST_LOG.md').read_text().splitlines()[2:]
    assert [r.split('|')[-2].strip() for r in rows][2] == 'unknown'
    capsys.readouterr()
    assert main(['cost']) == 0
    total = [line for line in capsys.readouterr().out.splitlines() if '**total**' in line][0]
    known = sum(c for c in costs if c is not None)
    assert total.split('|')[-2].strip() == f'${known:.6f}'.rstrip('0') + ' + 1 unknown', total


@pytest.mark.parametrize(
    ('row', 'message'),
    [
        pytest.param(
            '| 2026-13-40 | 1 | m | 1 | 10 | 20 | $0.01 |',
            'line 3: the date 2026-13-40 is not a date',
            id='date',
        ),
        pytest.param(
            '| 2026-02-01 | 1 | m | 1.9 | 10 | 20 | $0.01 |', "line 3: the task count '1.9'", id='tasks'
        ),
        pytest.param('| 2026-02-01 | 1 | m | 1 | 10 | 20 | 3 EUR |', "line 3: the cost '3 EUR'", id='cost'),
    ],
)
def test_a_cost_log_row_that_cannot_be_read_is_named_not_summed(fired, capsys, row, message):
    fired.write('.review-trigger.yaml', 'cost_log: COST_LOG.md\n')
    fired.write('COST_LOG.md', costlog.HEADER + row + '\n')
    assert main(['cost']) == 2
    out, err = capsys.readouterr()
    assert out == '' and err.count('\n') == 1 and f'COST_LOG.md {message}' in err, err


def test_a_ledger_record_nested_too_deeply_is_passed_over(fired, capsys, tmp_path):
    """Valid JSON nested deeper than the parser's recursion allows: a
    damaged record, never counted (the change is reviewed again), never a
    traceback."""
    assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 0
    [path] = (fired.path / LEDGER).glob('*.json')
    path.write_text('[' * 100_000 + ']' * 100_000)
    capsys.readouterr()
    assert main(['reviews']) == 0
    assert capsys.readouterr().out.startswith('no reviews recorded in ')
    assert main(['review', '--command', reviewer(tmp_path, 'pass')]) == 0
    assert (tmp_path / 'calls.log').read_text() == 'pass\npass\n'
    assert [r['verdict'] for r in records(fired)] == ['PASS']


def test_no_reviews_on_an_ascii_stdout_is_one_error(tmp_path):
    """``reviews`` of a repository at ``répo``: its ledger's path does not
    fit a stdout that holds only ASCII, which is said as for any report,
    never a crash."""
    import os
    import subprocess

    subprocess.run(('git', 'init', '-q', str(tmp_path / 'répo')), check=True)
    cmd = (sys.executable, '-m', 'review_trigger', 'reviews', '-C', 'répo')
    env = {**os.environ, 'PYTHONIOENCODING': 'ascii'}
    res = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (res.returncode, res.stdout) == (2, ''), res.stderr
    assert res.stderr == (
        'review-trigger: error: cannot write the report to stdout: its encoding (ascii) '
        'cannot hold its text (set PYTHONIOENCODING=utf-8)\n'
    )
    env['PYTHONIOENCODING'] = 'utf-8'
    res = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, encoding='utf-8')
    assert (res.returncode, res.stdout) == (0, 'no reviews recorded in répo/.git/review-trigger/reviews\n')


@pytest.mark.parametrize('where', ['reviews', ''], ids=['ledger_folder', 'tool_folder'])
def test_a_ledger_folder_that_is_a_file_is_one_line(repo, capsys, where):
    """``.git/review-trigger/reviews`` (or its folder) that is not a folder:
    the listing cannot be read, which is said, never a traceback; with no
    folder at all there is nothing recorded."""
    assert main(['reviews']) == 0
    assert capsys.readouterr().out.startswith('no reviews recorded in ')
    place = repo.path / '.git' / 'review-trigger' / where
    if place.is_dir():
        import shutil

        shutil.rmtree(place)
    place.parent.mkdir(parents=True, exist_ok=True)
    place.write_text('not a folder\n')
    assert main(['reviews']) == 2
    captured = capsys.readouterr()
    assert captured.out == ''
    [line] = captured.err.splitlines()
    ledger = repo.path / LEDGER
    assert line == f'review-trigger: error: cannot read the ledger {ledger}: {place} is not a directory'
