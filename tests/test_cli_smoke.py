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
    assert data['changes'] == [{
        'path': 'src/app/core.py', 'old_path': None, 'status': 'modified',
        'added_lines': 1, 'deleted_lines': 1, 'binary': False,
        'submodule': False, 'generated': False, 'excluded': False,
    }]
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
