from __future__ import annotations

import json


def test_six_new_files_and_auth_change_fire(committed, cli):
    for i in range(6):
        committed.stage(f'lib/m{i}.py', f'def f{i}():\n    return {i}\n')
    committed.stage('src/auth/session.py', 'def login(user):\n    return user\n')
    res = cli()
    assert res.code == 0
    assert res.out.startswith('## Opus Review: staged changes\n')
    assert '**Review trigger:** new-files' in res.out
    assert 'security (Security-sensitive code)' in res.out
    assert '`src/auth/session.py`' in res.out
    assert res.err.startswith('review-trigger: ')


def test_typo_fix_in_readme_prints_nothing(committed, cli):
    committed.stage('README.md', '# project\n\nSome more words.\n')
    res = cli()
    assert res == (0, '', 'review-trigger: no trigger fired (1 file changed)\n')


def test_json_report_keys(committed, cli):
    committed.stage('src/app/core.py', 'def run():\n    return 2\n')
    committed.commit('two')
    res = cli('--since', 'HEAD~1', '--format', 'json')
    data = json.loads(res.out)
    assert set(data) >= {'triggered', 'triggers', 'changes', 'range', 'session_model', 'prompt'}
    assert data['changes'] == [
        {
            'path': 'src/app/core.py',
            'old_path': None,
            'status': 'modified',
            'added_lines': 1,
            'deleted_lines': 1,
            'binary': False,
            'submodule': False,
            'generated': False,
            'excluded': False,
        }
    ]
    assert data['triggered'] is False and data['prompt'] is None


def test_output_reflects_the_latest_run(committed, cli, tmp_path):
    target = tmp_path / 'prompt.md'
    committed.stage('src/auth/login.py', 'x = 1\n')
    assert cli('--output', str(target)).code == 0
    assert target.read_text().startswith('## Opus Review')
    committed.git('reset', '-q')
    committed.stage('README.md', '# project\n\nSome more words.\n')
    res = cli('--output', str(target))
    assert res.code == 0 and res.out == ''
    assert target.read_text() == ''


def test_fail_on_trigger_exits_1(committed, cli):
    committed.stage('src/auth/login.py', 'x = 1\n')
    assert cli('--fail-on-trigger').code == 1
    committed.git('reset', '-q')
    assert cli('--fail-on-trigger').code == 0


def test_the_command_flushes_everything_before_it_exits(committed):
    """The command ends with os._exit: all of a large report must be out
    first, and the exit status must be main()'s."""
    import os
    import subprocess
    import sys

    # Buffered output, as a user's terminal or pipe has it.
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONUNBUFFERED'}
    for i in range(400):
        committed.write(f'pkg/mod_{i:03}/handler_{i}.py', f'def handler_{i}():\n    return {i}\n')
    committed.add()
    committed.commit('many')
    cmd = [sys.executable, '-m', 'review_trigger', '--since', 'HEAD~1']
    res = subprocess.run(
        [*cmd, '--format', 'json'], cwd=committed.path, capture_output=True, text=True, env=env
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert len(data['changes']) == 400 and len(res.stdout) > 100_000
    assert res.stderr.startswith('review-trigger: ')
    res = subprocess.run(
        [*cmd, '--fail-on-trigger'], cwd=committed.path, capture_output=True, text=True, env=env
    )
    assert res.returncode == 1 and res.stdout.startswith('## Opus Review')
    res = subprocess.run(
        [*cmd[:-2], '--since', 'no-such-rev'], cwd=committed.path, capture_output=True, text=True, env=env
    )
    assert res.returncode == 2 and res.stdout == ''
    # A subcommand that prints without flushing: printed all the same.
    res = subprocess.run([*cmd[:-2], 'schema'], cwd=committed.path, capture_output=True, text=True, env=env)
    assert res.returncode == 0 and json.loads(res.stdout)['type'] == 'object'
