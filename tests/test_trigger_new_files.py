from __future__ import annotations

import pytest
from conftest import fired, report


@pytest.mark.parametrize(
    ('count', 'fires'),
    [
        pytest.param(6, True, id='six_new_files_fire'),
        pytest.param(5, False, id='five_new_files_noop'),
    ],
)
def test_new_files_threshold(committed, cli, count, fires):
    for i in range(count):
        committed.stage(f'src/app/m{i}.py', f'X = {i}\n')
    assert ('new-files' in fired(cli)) is fires


def test_renames_are_not_new_files(committed, cli):
    for i in range(6):
        committed.stage(f'src/app/m{i}.py', f'VALUE_{i} = "{i}" * 40\n' * 5)
    committed.commit('six')
    for i in range(6):
        committed.git('mv', f'src/app/m{i}.py', f'src/app/n{i}.py')
    data = report(cli)
    assert [c['status'] for c in data['changes']] == ['renamed'] * 6
    assert 'new-files' not in {t['id'] for t in data['triggers']}


def test_copies_count_as_new_files(committed, cli):
    body = ''.join(f'line_{n} = {n} * 1000 + 7\n' for n in range(40))
    committed.stage('src/app/core.py', body)
    committed.commit('long file')
    # A copy is detected only against a file modified in the same change.
    committed.stage('src/app/core.py', body + 'extra = 1\n')
    for i in range(6):
        committed.stage(f'src/app/copy{i}.py', body)
    data = report(cli)
    copies = [c for c in data['changes'] if c['status'] == 'copied']
    assert len(copies) == 6
    assert {c['old_path'] for c in copies} == {'src/app/core.py'}
    assert 'new-files' in {t['id'] for t in data['triggers']}


def test_threshold_is_configurable(committed, cli):
    committed.write('.review-trigger.yaml', 'triggers:\n  new-files:\n    more_than: 1\n')
    committed.stage('src/app/a.py', 'A = 1\n')
    committed.stage('src/app/b.py', 'B = 1\n')
    assert 'new-files' in fired(cli)
