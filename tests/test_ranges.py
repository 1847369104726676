"""What is analysed: --staged, --since, --base/--head and -C, on real git."""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import report


def paths(data):
    return [c['path'] for c in data['changes']]


def test_staged_in_repository_without_commits(repo, cli):
    for i in range(6):
        repo.stage(f'pkg/m{i}.py', f'X = {i}\n')
    data = report(cli)
    assert data['range'] == {
        'mode': 'staged',
        'base': None,
        'head': 'INDEX',
        'label': 'staged changes',
        'commits': 0,
    }
    assert [c['status'] for c in data['changes']] == ['added'] * 6
    assert 'new-files' in {t['id'] for t in data['triggers']}


def test_staged_ignores_unstaged_edits(committed, cli):
    committed.write('src/app/auth.py', 'x = 1\n')  # not staged
    committed.stage('src/app/core.py', 'def run():\n    return 3\n')
    assert paths(report(cli, '--staged')) == ['src/app/core.py']


def test_since_covers_the_commits(committed, cli):
    committed.stage('src/app/a.py', 'A = 1\n')
    committed.commit('a')
    committed.stage('src/app/b.py', 'B = 1\n')
    committed.commit('b')
    committed.stage('src/app/c.py', 'C = 1\n')  # staged, not committed
    data = report(cli, '--since', 'HEAD~2')
    assert paths(data) == ['src/app/a.py', 'src/app/b.py']
    assert data['range']['commits'] == 2
    assert data['range']['head'] == committed.git('rev-parse', 'HEAD').strip()


def test_since_branch_uses_merge_base(committed, cli):
    committed.git('checkout', '-q', '-b', 'feature')
    committed.stage('src/app/feature.py', 'F = 1\n')
    committed.commit('feature')
    committed.git('checkout', '-q', 'main')
    committed.stage('src/app/other.py', 'O = 1\n')
    committed.commit('main moves on')
    committed.git('checkout', '-q', 'feature')
    data = report(cli, '--since', 'main')
    # Not main's tip, which git was started on first: the merge base.
    assert paths(data) == ['src/app/feature.py']
    assert data['range']['base'] == committed.git('merge-base', 'main', 'feature').strip()
    assert data['range']['commits'] == 1


def test_since_a_commit_with_no_common_ancestor_is_a_one_line_error(committed, cli):
    committed.git('checkout', '-q', '--orphan', 'other')
    committed.git('rm', '-rq', '--cached', '.')
    committed.stage('elsewhere.py', 'E = 1\n')
    committed.commit('unrelated history')
    committed.git('checkout', '-q', '-f', 'main')
    r = cli('--since', 'other')
    assert r.code == 2, r.err
    assert 'have no common ancestor' in r.err
    assert len(r.err.strip().splitlines()) == 1 and 'Traceback' not in r.err
    assert r.out == ''


def test_since_tag(committed, cli):
    committed.git('tag', 'v1.2')
    committed.stage('src/app/x.py', 'X = 1\n')
    committed.commit('x')
    assert paths(report(cli, '--since', 'v1.2')) == ['src/app/x.py']


def test_base_head_is_the_pull_request_diff(committed, cli):
    committed.git('checkout', '-q', '-b', 'pr')
    committed.stage('src/app/pr.py', 'P = 1\n')
    committed.commit('pr')
    committed.git('checkout', '-q', 'main')
    committed.stage('src/app/main_only.py', 'M = 1\n')
    committed.commit('main')
    data = report(cli, '--base', 'main', '--head', 'pr')
    assert paths(data) == ['src/app/pr.py']
    assert data['range']['mode'] == 'pr'


def test_dash_c_runs_elsewhere(committed, cli, tmp_path, monkeypatch):
    committed.stage('src/app/x.py', 'X = 1\n')
    monkeypatch.chdir(tmp_path)
    assert paths(report(cli, '-C', str(committed.path))) == ['src/app/x.py']


def test_dash_c_subdirectory(committed, cli, monkeypatch):
    committed.stage('src/app/x.py', 'X = 1\n')
    monkeypatch.chdir(committed.path / 'src')
    assert paths(report(cli)) == ['src/app/x.py']


@pytest.mark.parametrize(
    'name',
    [
        pytest.param('with space.py', id='space'),
        pytest.param('quote"d.py', id='double_quote'),
        pytest.param("it's.py", id='single_quote'),
        pytest.param('ünïcödé.py', id='non_ascii'),
        pytest.param('new\nline.py', id='newline'),
        pytest.param('tab\there.py', id='tab'),
        pytest.param('back`tick.py', id='backtick'),
    ],
)
def test_odd_file_names_exact(committed, cli, name):
    committed.stage(f'src/app/{name}', 'X = 1\n')
    data = report(cli)
    assert paths(data) == [f'src/app/{name}']
    # And git agrees.
    out = subprocess.run(
        ['git', 'diff', '--cached', '--name-only', '-z'],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert out.split('\0')[:-1] == paths(data)


def test_rename_with_edit(committed, cli):
    body = ''.join(f'value_{i} = {i}\n' for i in range(30))
    committed.stage('src/app/old.py', body)
    committed.commit('old')
    committed.git('mv', 'src/app/old.py', 'src/app/new.py')
    committed.stage('src/app/new.py', body + 'extra = 1\n')
    data = report(cli)
    assert data['changes'] == [
        {
            'path': 'src/app/new.py',
            'old_path': 'src/app/old.py',
            'status': 'renamed',
            'added_lines': 1,
            'deleted_lines': 0,
            'binary': False,
            'submodule': False,
            'generated': False,
            'excluded': False,
        }
    ]


def test_added_line_numbers_follow_hunks(committed, cli):
    body = ''.join(f'n{i} = {i}\n' for i in range(20))
    committed.stage('src/app/conf.py', body)
    committed.commit('conf')
    lines = body.splitlines(keepends=True)
    lines.insert(15, 'password = "abcdefgh"\n')
    lines.insert(3, 'import os\n')
    committed.stage('src/app/conf.py', ''.join(lines))
    data = report(cli)
    security = {t['id']: t for t in data['triggers']}['security']
    assert security['details'][0]['why'] == 'added line 17: credential assignment'


def test_empty_range(committed, cli):
    assert report(cli, '--since', 'HEAD')['changes'] == []


def test_merge_commit_in_range(committed, cli):
    start = committed.git('rev-parse', 'HEAD').strip()
    committed.git('checkout', '-q', '-b', 'side')
    committed.stage('src/app/side.py', 'S = 1\n')
    committed.commit('side')
    committed.git('checkout', '-q', 'main')
    committed.stage('src/app/main.py', 'M = 1\n')
    committed.commit('main')
    committed.git('merge', '-q', '--no-edit', 'side')
    data = report(cli, '--since', start)
    assert paths(data) == ['src/app/main.py', 'src/app/side.py']
    assert data['range']['commits'] == 3


def test_mode_only_change(committed, cli):
    committed.git('update-index', '--chmod=+x', 'src/app/core.py')
    data = report(cli)
    assert data['changes'][0]['status'] == 'modified'
    assert data['changes'][0]['added_lines'] == 0


def test_symlink_and_type_change(committed, cli):
    committed.path.joinpath('src/app/link').symlink_to('core.py')
    committed.add('src/app/link')
    committed.commit('link')
    committed.path.joinpath('src/app/link').unlink()
    committed.stage('src/app/link', 'password = "abcdefgh"\n')
    data = report(cli)
    assert data['changes'][0]['status'] == 'type-changed'
    security = {t['id']: t for t in data['triggers']}['security']
    assert security['details'][0]['why'] == 'added line 1: credential assignment'


def test_user_diff_config_does_not_change_result(committed, cli):
    committed.stage('src/app/auth.py', 'password = "abcdefgh"\n')
    clean = report(cli)
    for key, value in [
        ('diff.noprefix', 'true'),
        ('diff.mnemonicPrefix', 'true'),
        ('diff.external', 'false'),
        ('core.quotepath', 'true'),
        ('diff.relative', 'true'),
        ('color.ui', 'always'),
        ('diff.renames', 'false'),
        ('diff.context', '10'),
    ]:
        committed.git('config', key, value)
    assert report(cli) == clean


def test_hostile_gitattributes_drivers_do_not_run(committed, cli, tmp_path):
    marker = tmp_path / 'ran'
    committed.git('config', 'diff.evil.command', f'touch {marker}')
    committed.git('config', 'diff.evil.textconv', f'sh -c "touch {marker}; cat"')
    committed.stage('.gitattributes', '* diff=evil\n')
    committed.stage('src/app/core.py', 'def run():\n    return 5\n')
    report(cli)
    assert not marker.exists()


def test_the_commits_are_read_while_the_change_is_scanned(committed):
    """The log is started first and collected after the scan: the same
    commits, newest first, as `git log` gives; a log git cannot give is a
    one-line error, and one stopped early leaves no git behind."""
    from review_trigger import git as git_module
    from review_trigger.errors import UserError

    base = committed.git('rev-parse', 'HEAD').strip()
    committed.stage('a.py', 'a = 1\n')
    first = committed.commit('first\n\nCo-authored-by: Someone <s@example.com>')
    committed.stage('b.py', 'b = 1\n')
    second = committed.commit('second')
    repo = git_module.open_repo(str(committed.path))
    pending = git_module.PendingCommits(repo, base, second)
    found = pending.result()
    assert [c.sha for c in found] == [second, first]
    assert found[1].message == 'first\n\nCo-authored-by: Someone <s@example.com>'
    assert found[0].author == 'Test <test@example.com>'
    # A staged change, or a range of no commits, starts no git at all.
    assert git_module.PendingCommits(repo, base, None).result() == []
    assert git_module.PendingCommits(repo, second, second).result() == []
    with pytest.raises(UserError, match='git failed'):
        git_module.PendingCommits(repo, 'f' * 40, second).result()
    stopped = git_module.PendingCommits(repo, None, second)
    stopped.close()
    assert stopped._pending is not None and stopped._pending._proc.poll() is not None


def test_a_long_file_list_is_read_while_the_caller_goes_on(committed) -> None:
    """git lists the files of a large tree to the end while the caller does
    other work: a list longer than a pipe holds does not keep git waiting
    until it is asked for. The list is every path, in git's order."""
    import time

    from conftest import git as run_git

    from review_trigger import git as git_module

    blob = run_git(committed.path, 'hash-object', '-w', '--stdin', input=b'x\n').strip()
    names = [f'dir{i % 50:02d}/file_with_a_long_name_{i:05d}.py' for i in range(4000)]
    assert sum(len(n) + 1 for n in names) > 128 * 1024  # more than a pipe holds
    # A tree of them, written from an index of its own.
    index = {**os.environ, 'GIT_INDEX_FILE': str(committed.path / 'big-index')}
    entries = ''.join(f'100644 {blob}\t{n}\n' for n in names).encode()
    subprocess.run(
        ['git', 'update-index', '--index-info'], cwd=committed.path, input=entries, env=index, check=True
    )
    tree = (
        subprocess.run(['git', 'write-tree'], cwd=committed.path, env=index, capture_output=True, check=True)
        .stdout.decode()
        .strip()
    )
    repo = git_module.open_repo(str(committed.path))
    pending = git_module.PendingFiles(repo, tree)
    deadline = time.monotonic() + 30
    while pending._pending._proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pending._pending._proc.poll() == 0  # git finished before anyone read
    assert pending.result() == sorted(names)
