"""Bad input: one line on stderr, exit 2, no traceback, nothing written."""

from __future__ import annotations

import subprocess
import sys

import pytest


def assert_error(res, *fragments):
    assert res.code == 2
    assert res.out == ''
    assert res.err.count('\n') == 1, res.err
    assert res.err.startswith('review-trigger: error: ')
    assert 'Traceback' not in res.err
    for fragment in fragments:
        assert fragment in res.err


def test_not_a_git_repository(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    assert_error(cli(), 'is not in a git repository')


def test_bare_repository(tmp_path, monkeypatch, cli):
    subprocess.run(['git', 'init', '-q', '--bare', str(tmp_path / 'b.git')], check=True)
    monkeypatch.chdir(tmp_path / 'b.git')
    assert_error(cli(), 'bare repository')


def test_bare_repository_named_by_git_dir(tmp_path, monkeypatch, cli):
    """GIT_DIR names the repository: the message names it, not the
    folder the command was started in."""
    subprocess.run(['git', 'init', '-q', '--bare', str(tmp_path / 'b.git')], check=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('GIT_DIR', 'b.git')
    assert_error(cli(), '/b.git is a bare repository: review-trigger needs a work tree')


def test_unknown_revision(committed, cli):
    assert_error(cli('--since', 'no-such-branch'), "unknown revision 'no-such-branch'")


def test_since_beyond_history(committed, cli):
    committed.stage('src/app/a.py', 'A = 1\n')
    committed.commit('two')
    assert_error(cli('--since', 'HEAD~3'), "'HEAD~3'", 'the repository has 2 commits')


def test_option_looking_revision(committed, cli):
    assert_error(cli('--since=--output=/tmp/x'), 'not a valid revision')


def test_head_without_base(committed, cli):
    assert_error(cli('--head', 'HEAD'), '--head needs --base')


def test_conflicting_modes(committed, cli):
    assert_error(cli('--since', 'HEAD', '--base', 'HEAD'), 'not allowed with argument')


def test_unknown_option(committed, cli):
    assert_error(cli('--frobnicate'), 'unrecognized arguments: --frobnicate', '--help')


def test_missing_directory(cli, tmp_path):
    assert_error(cli('-C', str(tmp_path / 'nope')), 'is not a directory')


def test_shallow_clone_missing_base(committed, cli, tmp_path, monkeypatch):
    for i in range(3):
        committed.stage(f'src/app/f{i}.py', f'F = {i}\n')
        committed.commit(f'c{i}')
    clone = tmp_path / 'shallow'
    subprocess.run(['git', 'clone', '-q', '--depth', '1', f'file://{committed.path}', str(clone)], check=True)
    monkeypatch.chdir(clone)
    assert_error(cli('--since', 'HEAD~2'), 'shallow clone', 'git fetch --deepen', 'fetch-depth: 0')


def test_missing_object(committed, cli):
    committed.stage('src/app/big.py', 'value = 1\n' * 10)
    committed.commit('big')
    blob = committed.git('rev-parse', 'HEAD:src/app/big.py').strip()
    obj = committed.path / '.git' / 'objects' / blob[:2] / blob[2:]
    obj.chmod(0o644)
    obj.unlink()
    # git reads a clean work tree file instead of the blob; take that away too.
    (committed.path / 'src/app/big.py').unlink()
    res = cli('--since', 'HEAD~1')
    assert_error(res, blob[:7])


def test_output_into_missing_dir_is_created_atomically(committed, cli, tmp_path):
    committed.stage('src/auth/login.py', 'x = 1\n')
    target = tmp_path / 'out' / 'prompt.md'
    res = cli('--output', str(target))
    assert res.code == 0 and res.out == ''
    assert target.read_text().startswith('## Opus Review')
    assert [p.name for p in target.parent.iterdir()] == ['prompt.md']


def test_output_to_a_pipe_writes_into_it(committed, cli, tmp_path):
    # --output /dev/null (or a named pipe) must not be renamed over.
    import os
    import stat
    import threading

    committed.stage('src/auth/login.py', 'x = 1\n')
    (tmp_path / 'out').mkdir()
    fifo = tmp_path / 'out' / 'fifo'
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    res = cli('--output', str(fifo))
    reader.join(timeout=30)
    assert res.code == 0 and res.out == ''
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith('## Opus Review')
    assert [p.name for p in fifo.parent.iterdir()] == ['fifo']


def test_output_to_unwritable_place(committed, cli, tmp_path):
    committed.stage('src/auth/login.py', 'x = 1\n')
    (tmp_path / 'file').write_text('')
    assert_error(
        cli('--output', str(tmp_path / 'file' / 'prompt.md')),
        f'cannot write {tmp_path}/file/prompt.md: {tmp_path}/file is not a directory',
    )


@pytest.mark.parametrize('args', [['--output', ''], ['--output=']], ids=['separate', 'joined'])
def test_output_with_an_empty_path(committed, cli, args):
    committed.stage('src/auth/login.py', 'x = 1\n')
    assert_error(cli(*args), '--output: the path is empty')


@pytest.mark.parametrize(
    'args',
    [
        pytest.param(['--worktree'], id='worktree_index'),
        pytest.param(['init', '--commands'], id='generated_record'),
        pytest.param(['reviews'], id='ledger'),
        pytest.param(['hook', '--gate'], id='hook_report'),
    ],
)
def test_a_tool_folder_that_is_a_file_is_named(committed, cli, args):
    """``.git/review-trigger`` that is a file: each command that needs the
    folder says that it is not one, naming it, and leaves it alone."""
    import shutil

    folder = committed.path / '.git' / 'review-trigger'
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text('not a folder\n')
    committed.stage('src/auth/login.py', 'x = 1\n')
    assert_error(cli(*args), f': {folder} is not a directory')
    assert folder.read_text() == 'not a folder\n'


@pytest.mark.parametrize('output', ['afile/x.md', 'afile/deeper/x.md'], ids=['in_it', 'below_it'])
def test_output_under_a_file_names_the_file(committed, cli, output):
    """A folder on the way that is a file: the message names it, never
    "File exists" (which the file does, but is not what went wrong)."""
    committed.stage('src/auth/login.py', 'x = 1\n')
    (committed.path / 'afile').write_text('mine\n')
    res = cli('--output', output)
    assert_error(res, f'cannot write ./{output}: ./afile is not a directory')
    assert (committed.path / 'afile').read_text() == 'mine\n'


def test_no_traceback_through_real_process(tmp_path):
    res = subprocess.run(
        [sys.executable, '-m', 'review_trigger', '-C', str(tmp_path)], capture_output=True, text=True
    )
    assert res.returncode == 2
    assert res.stdout == ''
    assert res.stderr.startswith('review-trigger: error:') and 'Traceback' not in res.stderr


@pytest.mark.parametrize(
    ('content', 'fragment'),
    [
        pytest.param(
            'triggers:\n  securty: {}\n', "line 2: triggers.securty: unknown key 'securty'", id='typo_key'
        ),
        pytest.param(
            'triggers:\n  new-files:\n    more_than: "5"\n',
            "line 3: triggers.new-files.more_than: '5' is not of type 'integer'",
            id='wrong_type',
        ),
        pytest.param('exclude: [\n', 'invalid YAML', id='bad_yaml'),
        pytest.param(
            'custom_triggers:\n  - id: x\n    concern: c\n    patterns: ["("]\n',
            'line 4: custom_triggers[0].patterns[0]: invalid regex',
            id='bad_regex',
        ),
        pytest.param(
            'custom_triggers:\n  - id: security\n    concern: c\n',
            "'security' is already a trigger id",
            id='duplicate_id',
        ),
        pytest.param('- a\n- b\n', 'must be a mapping', id='not_a_mapping'),
        pytest.param('x: !!python/object/apply:os.system ["true"]\n', 'invalid YAML', id='python_tag'),
    ],
)
def test_config_errors(committed, cli, content, fragment):
    committed.write('.review-trigger.yaml', content)
    committed.stage('src/auth/login.py', 'x = 1\n')
    assert_error(cli(), '.review-trigger.yaml', fragment)


def test_safe_directory_refusal_says_what_git_said(committed):
    # git's own switch for testing safe.directory (t0033): the repository
    # looks owned by someone else. A process of its own: git's environment
    # is read once per process.
    import os

    from conftest import Result

    env = {**os.environ, 'GIT_TEST_ASSUME_DIFFERENT_OWNER': '1'}
    proc = subprocess.run(
        [sys.executable, '-m', 'review_trigger'], cwd=committed.path, env=env, capture_output=True, text=True
    )
    res = Result(proc.returncode, proc.stdout, proc.stderr)
    assert_error(res, 'dubious ownership', 'git config --global --add safe.directory', str(committed.path))
    assert 'not in a git repository' not in res.err


def test_output_dash_is_stdout(committed, cli, tmp_path):
    committed.stage('src/auth/login.py', 'x = 1\n')
    res = cli('--output', '-')
    assert res.code == 0
    assert res.out.startswith('## Opus Review')
    assert not (committed.path / '-').exists()


def test_a_failed_run_removes_an_earlier_output_file(committed, cli, tmp_path):
    target = tmp_path / 'prompt.md'
    committed.stage('src/auth/login.py', 'x = 1\n')
    assert cli('--output', str(target)).code == 0
    assert target.read_text().startswith('## Opus Review')
    committed.write('.review-trigger.yaml', 'exclud: [x]\n')
    res = cli('--output', str(target))
    assert_error(res, 'unknown key')
    # It would pass for this run's prompt: it is gone.
    assert not target.exists()


def test_output_to_a_full_device_or_a_directory_is_one_line(committed, cli, tmp_path):
    committed.stage('src/auth/login.py', 'x = 1\n')
    assert_error(cli('--output', '/dev/full'), 'cannot write /dev/full: No space left on device')
    (tmp_path / 'reports').mkdir()
    assert_error(cli('--output', str(tmp_path / 'reports')), 'Is a directory')
    assert list((tmp_path / 'reports').iterdir()) == []


def test_a_reader_that_goes_away_is_not_an_error(committed, capsys, monkeypatch):
    """`review-trigger --format json | head -c1`: the pipe closes under the
    report; the run ends 0, saying nothing (not an internal error)."""
    import io
    import os

    from review_trigger.__main__ import main

    committed.stage('src/auth/login.py', 'x = 1\n')
    read_end, write_end = os.pipe()
    os.close(read_end)
    stdout = io.TextIOWrapper(io.FileIO(write_end, 'w'), encoding='utf-8')
    monkeypatch.setattr('sys.stdout', stdout)
    try:
        assert main(['--format', 'json']) == 0
        # What is written to stdout afterwards goes nowhere, quietly.
        stdout.write('late\n')
        stdout.flush()
    finally:
        monkeypatch.undo()
        stdout.close()
    assert capsys.readouterr().err == ''


def test_an_interrupt_exits_130_with_one_line(capsys):
    from review_trigger.errors import Exit, guarded

    def interrupted() -> int:
        raise KeyboardInterrupt

    assert guarded(interrupted) == Exit.INTERRUPTED == 130
    assert capsys.readouterr().err == 'review-trigger: interrupted\n'


def test_an_internal_error_keeps_its_traceback_or_says_none_was_kept(tmp_path, monkeypatch, capsys):
    from review_trigger.errors import Exit, guarded

    def bug() -> int:
        found: dict[str, int] = {}
        return found['missing']

    # No git on PATH: the log says so instead of failing to be written.
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    monkeypatch.setenv('PATH', str(tmp_path / 'empty'))
    assert guarded(bug, 'review-trigger hook', ' (not blocking)') == Exit.INTERNAL_ERROR
    log = tmp_path / 'cache' / 'review-trigger' / 'review-trigger.log'
    assert capsys.readouterr().err == (
        f'review-trigger hook: internal error (KeyError), please report it: '
        f'the traceback is in {log} (not blocking)\n'
    )
    text = log.read_text()
    assert 'git: not found' in text and "KeyError: 'missing'" in text
    # A cache folder that cannot be made: still one line and exit 3.
    (tmp_path / 'blocked').write_text('')
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'blocked'))
    assert guarded(bug) == 3
    assert capsys.readouterr().err == (
        'review-trigger: internal error (KeyError), please report it: no log could be written\n'
    )
