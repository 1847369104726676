"""Repositories people really have: worktrees, submodules, partial clones,
long histories, odd paths."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import report


def test_worktree(committed, cli, tmp_path, monkeypatch):
    wt = tmp_path / 'wt'
    committed.git('worktree', 'add', '-q', '-b', 'wt', str(wt))
    (wt / 'src/auth').mkdir(parents=True)
    (wt / 'src/auth/login.py').write_text('x = 1\n')
    subprocess.run(['git', 'add', '.'], cwd=wt, check=True)
    monkeypatch.chdir(wt)
    data = report(cli)
    assert [c['path'] for c in data['changes']] == ['src/auth/login.py']


def test_submodule_pointer_change(committed, cli, tmp_path):
    lib = tmp_path / 'lib'
    lib.mkdir()
    for args in (['init', '-q'], ['commit', '-q', '--allow-empty', '-m', 'one']):
        subprocess.run(['git', *args], cwd=lib, check=True)
    committed.git('submodule', 'add', '-q', str(lib), 'vendorlib')
    committed.commit('add submodule')
    subprocess.run(['git', 'commit', '-q', '--allow-empty', '-m', 'two'], cwd=lib, check=True)
    sub = committed.path / 'vendorlib'
    subprocess.run(['git', 'pull', '-q', 'origin', 'main'], cwd=sub, check=True)
    committed.add('vendorlib')
    data = report(cli)
    assert data['changes'] == [
        {
            'path': 'vendorlib',
            'old_path': None,
            'status': 'modified',
            'added_lines': 1,
            'deleted_lines': 1,
            'binary': False,
            'submodule': True,
            'generated': False,
            'excluded': False,
        }
    ]
    arch = {t['id']: t for t in data['triggers']}['architecture']
    assert arch['details'][0]['why'] == 'submodule modified'


def test_case_only_rename(committed, cli):
    committed.git('mv', 'src/app/core.py', 'src/app/Core.py')
    data = report(cli)
    assert [(c['status'], c['old_path'], c['path']) for c in data['changes']] == [
        ('renamed', 'src/app/core.py', 'src/app/Core.py'),
    ]


def test_repository_path_with_spaces(tmp_path, cli, monkeypatch):
    path = tmp_path / 'my repo  "quoted"'
    path.mkdir()
    subprocess.run(['git', 'init', '-q'], cwd=path, check=True)
    (path / 'auth.py').write_text('x = 1\n')
    subprocess.run(['git', 'add', '.'], cwd=path, check=True)
    data = report(cli, '-C', str(path))
    assert data['changes'][0]['path'] == 'auth.py'


def fast_import(repo, n_commits):
    stream = []
    for i in range(n_commits):
        msg = f'commit {i}\n'.encode()
        content = f'value = {i}\n'.encode()
        stream.append(
            b'commit refs/heads/main\n'
            + f'committer T <t@example.com> {1700000000 + i} +0000\n'.encode()
            + f'data {len(msg)}\n'.encode()
            + msg
            + b'M 644 inline src/app/counter.py\n'
            + f'data {len(content)}\n'.encode()
            + content
            + b'\n',
        )
    subprocess.run(['git', 'fast-import', '--quiet'], cwd=repo.path, input=b''.join(stream), check=True)
    repo.git('reset', '-q', '--hard', 'main')


def test_ten_thousand_commits(repo, cli):
    fast_import(repo, 10_000)
    root = repo.git('rev-list', '--max-parents=0', 'HEAD').strip()
    data = report(cli, '--since', root, '--session-model', 'x')
    assert data['range']['commits'] == 9_999
    repo.stage('src/auth/a.py', 'x = 1\n')
    repo.commit('auth')
    out = cli('--since', root).out
    assert '[9970 more commits]' in out
    assert len(out) < 20_000


def test_partial_clone_missing_blob_names_the_object(tmp_path, cli, monkeypatch):
    src = tmp_path / 'src'
    src.mkdir()
    run = lambda *a, cwd=src: subprocess.run(['git', *a], cwd=cwd, check=True, capture_output=True)  # noqa: E731
    run('init', '-q')
    (src / 'a.py').write_text('a = 1\n')
    run('add', '.')
    run('commit', '-qm', 'one')
    (src / 'b.py').write_text('password = "abcdefgh"\n')
    run('add', '.')
    run('commit', '-qm', 'two')
    run('config', 'uploadpack.allowFilter', 'true')
    blob = run('rev-parse', 'HEAD:b.py').stdout.decode().strip()
    clone = tmp_path / 'clone'
    run('clone', '-q', '--filter=blob:none', '--no-checkout', f'file://{src}', str(clone), cwd=tmp_path)
    run('remote', 'set-url', 'origin', f'file://{tmp_path}/gone', cwd=clone)
    monkeypatch.chdir(clone)
    res = cli('--since', 'HEAD~1')
    assert res.code == 2 and res.out == ''
    assert blob in res.err and 'partial clone' in res.err


def _cmdline(pid: str) -> bytes:
    """A process's command line; empty once it has exited (short-lived git
    children come and go while the test looks)."""
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            return f.read()
    except OSError:
        return b''


@pytest.mark.skipif(not os.path.isdir('/proc'), reason='needs /proc to see the git child')
def test_sigint_exits_130_and_writes_nothing(repo, tmp_path):
    # A change big enough that the analysis is still reading git's output.
    files = b''.join(
        f'M 644 inline src/app/f{i}.py\ndata 19\nvalue = "{i:08d}"\n\n'.encode() for i in range(30_000)
    )
    repo.git('commit', '-q', '--allow-empty', '-m', 'root')
    stream = (
        b'commit refs/heads/main\ncommitter T <t@example.com> 1700000000 +0000\n'
        b'data 4\nbig\nfrom refs/heads/main^0\n' + files
    )
    subprocess.run(['git', 'fast-import', '--quiet'], cwd=repo.path, input=stream, check=True)
    out = tmp_path / 'prompt.md'
    proc = subprocess.Popen(
        [sys.executable, '-m', 'review_trigger', '--since', 'HEAD~1', '--output', str(out)],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until it is running git diff
        children = open(f'/proc/{proc.pid}/task/{proc.pid}/children').read().split()
        if any(b'diff' in _cmdline(c) for c in children):
            break
        if proc.poll() is not None:
            pytest.fail('finished before it could be interrupted')
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert stdout == b''
    assert b'Traceback' not in stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith('.review-trigger')] == []


def test_concurrent_writers_never_tear_the_output(committed, tmp_path):
    committed.stage('src/auth/login.py', 'x = 1\n' * 50)
    out = tmp_path / 'prompt.out'
    cmds = [
        [sys.executable, '-m', 'review_trigger', '--output', str(out)],
        [sys.executable, '-m', 'review_trigger', '--format', 'json', '--output', str(out)],
    ]
    results = set()
    procs = []
    for _ in range(4):
        procs += [subprocess.Popen(c, cwd=committed.path, stderr=subprocess.DEVNULL) for c in cmds]
    while any(p.poll() is None for p in procs):
        if out.exists():
            text = out.read_text()
            results.add('json' if text.startswith('{') else 'md')
            assert text.endswith(('}\n', '(with specifics)\n')), text[-80:]
    assert all(p.returncode == 0 for p in procs)
    assert results, 'the output was never read while the writers ran'
    final = out.read_text()
    assert final.startswith(('{', '## Opus Review'))


def test_concurrent_hook_runs_never_tear_the_prompt(committed):
    committed.stage('src/auth/login.py', 'x = 1\n' * 50)
    prompt = committed.path / '.git' / 'review-trigger' / 'prompt.md'
    procs = [
        subprocess.Popen(
            [sys.executable, '-m', 'review_trigger', 'hook'],
            cwd=committed.path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(6)
    ]
    seen = 0
    while any(p.poll() is None for p in procs):
        if prompt.exists():
            try:
                text = prompt.read_text()
            except FileNotFoundError:
                continue
            assert text.startswith('## Opus Review') and text.endswith('(with specifics)\n')
            seen += 1
    assert all(p.returncode == 0 for p in procs)
    assert seen, 'the prompt was never read while the hooks ran'
    assert prompt.read_text().startswith('## Opus Review')
    leftovers = [p.name for p in prompt.parent.iterdir() if p.name.endswith('.tmp')]
    assert leftovers == []


def test_staged_change_is_read_while_another_git_holds_the_index_lock(committed, cli):
    """An editor's ``git status`` (or a second run) holding ``index.lock``:
    the staged change is still analysed and pinned, from a copy of the
    index; the index and the other git's lock are left as they were."""
    committed.stage('src/auth/login.py', 'x = 1\n' * 50)
    index = committed.path / '.git' / 'index'
    lock = committed.path / '.git' / 'index.lock'
    lock.write_bytes(b'held by another git')
    before = index.read_bytes()
    data = report(cli)
    assert [t['id'] for t in data['triggers']] == ['security']
    assert data['pinned']['tree'] and data['pinned']['reproduce'].endswith(data['pinned']['tree'])
    assert index.read_bytes() == before
    assert lock.read_bytes() == b'held by another git'
    lock.unlink()
    assert data['pinned']['tree'] == committed.git('write-tree').strip()
    assert not [
        p for p in (committed.path / '.git' / 'review-trigger').iterdir() if p.name.startswith('index-')
    ]


@pytest.mark.cold_memo
def test_staged_change_without_a_place_for_a_copy_of_the_index(committed, cli):
    """No folder for the copy (here a file where it would be): the index
    itself is diffed, and the prompt pins the base and shows the index as
    it is now (``git diff --cached``), not a tree it could not write."""
    committed.stage('src/auth/login.py', 'x = 1\n' * 50)
    (committed.path / '.git' / 'review-trigger').write_text('not a folder')
    data = report(cli)
    assert [t['id'] for t in data['triggers']] == ['security']
    assert data['pinned']['tree'] is None and data['pinned']['reproduce_now'] is None
    assert data['pinned']['reproduce'] == f'git diff -M -C --cached {data["pinned"]["base"]}'


def _six_files_committed(repo, message: bytes, encoding: str | None = None) -> None:
    """Six new files (new-files fires) in a commit made by hand, with
    ``message`` as its bytes and ``encoding`` as its header."""
    for i in range(6):
        repo.stage(f'src/app/n{i}.py', f'N = {i}\n')
    tree = repo.git('write-tree').strip()
    parent = repo.git('rev-parse', 'HEAD').strip()
    who = b'Test <test@example.com> 1772366400 +0000'
    header = b'tree %s\nparent %s\nauthor %s\ncommitter %s\n' % (tree.encode(), parent.encode(), who, who)
    if encoding is not None:
        header += b'encoding %s\n' % encoding.encode()
    commit = (
        subprocess.run(
            ('git', 'hash-object', '-t', 'commit', '-w', '--stdin', '--literally'),
            cwd=repo.path,
            input=header + b'\n' + message,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    repo.git('update-ref', 'HEAD', commit)


_TRAILER = b'\n\nCo-authored-by: Claude Sonnet 4.6 <noreply@anthropic.com>\n'


@pytest.mark.parametrize('encoding', ['UTF-16', 'latin1'])
def test_commit_messages_are_read_whatever_the_log_output_encoding(committed, cli, encoding):
    """i18n.logOutputEncoding set by the user: the messages (and their
    trailers) are read as they are, not in pieces (UTF-16's NUL bytes) or
    with their accents replaced (latin1)."""
    _six_files_committed(committed, 'Ajoute le café'.encode() + _TRAILER)
    committed.git('config', 'i18n.logOutputEncoding', encoding)
    out = cli('--since', 'HEAD~1').out
    sha = committed.git('rev-parse', 'HEAD').strip()
    assert f'```text\n{sha[:12]}\nAjoute le café\n\nCo-authored-by: Claude Sonnet 4.6' in out, out
    assert '`Claude Sonnet 4.6` (generate tier if so)' in out


def test_a_commit_with_an_unknown_encoding_shows_its_message(committed, cli):
    """An ``encoding`` header git does not know: git gives the message's
    bytes as they are, and they are shown as UTF-8, what cannot be read
    replaced, never an empty message."""
    _six_files_committed(committed, b'Ajoute le caf\xe9' + _TRAILER, 'no-such-encoding')
    out = cli('--since', 'HEAD~1').out
    sha = committed.git('rev-parse', 'HEAD').strip()
    assert f'```text\n{sha[:12]}\nAjoute le caf\ufffd\n\nCo-authored-by: Claude Sonnet 4.6' in out, out
    assert '`Claude Sonnet 4.6` (generate tier if so)' in out


def test_line_counts_are_gits_numstat(committed, cli):
    """Added and deleted line counts, binary flags: what git's --numstat
    says, for every kind of change in one commit."""
    repo = committed
    repo.write('docs/long.md', ''.join(f'line {i}\n' for i in range(40)))
    repo.write('data/blob.bin', b'\x00\x01binary\x00' * 50)
    repo.write('src/app/tail.py', 'a = 1\nb = 2')  # no newline at the end
    repo.write('src/app/moved.py', ''.join(f'v{i} = {i}\n' for i in range(30)))
    repo.write('src/app/typed', 'target\n')
    repo.write('src/app/mode.sh', 'echo hi\n')
    repo.add()
    repo.commit('before')
    repo.write('docs/long.md', ''.join(f'line {i}\n' for i in range(0, 40, 3)) + 'new\n')
    repo.write('data/blob.bin', b'\x00\x02other\x00' * 60)
    repo.write('src/app/tail.py', 'a = 1\nb = 3\nc = 4')
    repo.git('mv', 'src/app/moved.py', 'src/app/renamed.py')
    repo.write('src/app/renamed.py', ''.join(f'v{i} = {i}\n' for i in range(31)))
    (repo.path / 'src/app/typed').unlink()
    os.symlink('tail.py', repo.path / 'src/app/typed')
    os.chmod(repo.path / 'src/app/mode.sh', 0o755)
    repo.write('src/app/empty.py', '')
    repo.write('assets/new.bin', b'\x00' * 10)
    (repo.path / 'src/app/core.py').unlink()
    repo.add()
    repo.git('add', '-A')
    repo.commit('after')
    out = repo.git('diff-tree', '-r', '-z', '-M', '-C', '--numstat', 'HEAD~1', 'HEAD')
    tokens = iter(out.split('\0'))
    expected = {}
    for tok in tokens:
        if not tok or '\t' not in tok:
            continue
        added, deleted, path = tok.split('\t', 2)
        if not path:  # a rename: old and new path follow
            next(tokens)
            path = next(tokens)
        binary = added == '-'
        expected[path] = (0 if binary else int(added), 0 if binary else int(deleted), binary)
    data = report(cli, '--since', 'HEAD~1')
    got = {c['path']: (c['added_lines'], c['deleted_lines'], c['binary']) for c in data['changes']}
    assert got == expected
    assert got['data/blob.bin'][2] and got['src/app/typed'] != (0, 0, False)


DEEP = 1000


@pytest.mark.parametrize(
    ('name', 'content'),
    [
        # Not at the top: the top-level pyproject.toml is the configuration too.
        (
            'lib/pyproject.toml',
            '[project]\nname = "p"\ndependencies = ["requests"]\nx = ' + '[' * DEEP + ']' * DEEP + '\n',
        ),
        (
            'Cargo.toml',
            '[dependencies]\nserde = "1"\n[package]\nx = ' + '{a = ' * DEEP + '1' + '}' * DEEP + '\n',
        ),
        ('Pipfile', '[packages]\nrequests = "*"\n[x]\ny = ' + '[' * DEEP + ']' * DEEP + '\n'),
        ('package.json', '{"dependencies": {"left-pad": "1"}, "x": ' + '[' * 100_000 + ']' * 100_000 + '}'),
        ('composer.json', '{"require": {"a/b": "1"}, "x": ' + '{"a":' * 100_000 + '1' + '}' * 100_000 + '}'),
    ],
)
def test_deeply_nested_manifest_is_reported_not_a_crash(committed, cli, name, content):
    # Valid, but deeper than the parsers' recursion: "could not be parsed",
    # never a RecursionError traceback.
    committed.stage(name, '{}\n' if name.endswith('.json') else '\n')
    committed.commit('manifest')
    committed.stage(name, content)
    data = report(cli)
    arch = {t['id']: t for t in data['triggers']}['architecture']
    assert any('could not be parsed' in d['why'] for d in arch['details'] if d['path'] == name), arch


LEAK = 'aws = "AKIAIOSFODNN7EXAMPLE"\nimport jwt\n'


@pytest.mark.parametrize('attributes', ['*.py -diff\n', '* binary\n', 'src/** -diff -text\n'])
@pytest.mark.parametrize('mode', ['staged', 'pr'])
def test_a_gitattributes_in_the_change_does_not_blind_the_scan(committed, cli, attributes, mode):
    """The change's own attributes must not decide how it is read."""
    if mode == 'pr':
        committed.git('checkout', '-q', '-b', 'pr')
    committed.stage('.gitattributes', attributes)
    committed.stage('src/app/settings.py', LEAK)
    if mode == 'pr':
        committed.commit('pull request')
        data = report(cli, '--base', 'main')
    else:
        data = report(cli)
    [change] = [c for c in data['changes'] if c['path'] == 'src/app/settings.py']
    assert change['binary'] is False and change['added_lines'] == 2
    security = {t['id']: t for t in data['triggers']}['security']
    assert 'src/app/settings.py' in security['files']


def test_a_binary_file_under_a_code_path_is_listed_as_unscanned(committed, cli):
    committed.stage('src/app/payload.bin', b'\x00\x01' + LEAK.encode())
    committed.stage('docs/logo.png', b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR')
    data = report(cli)
    assert data['notes'] == ['src/app/payload.bin: binary content, listed but not scanned for content']


def test_a_file_too_large_to_scan_is_a_security_finding(committed, cli):
    committed.write('.review-trigger.yaml', 'max_scan_bytes: 1000\n')
    committed.stage('src/app/big.py', 'x = 1\n' * 400 + LEAK)
    committed.stage('src/app/small.py', 'y = 2\n')
    triggers = {t['id']: t for t in report(cli)['triggers']}
    security = triggers['security']
    assert security['files'] == ['src/app/big.py']
    assert security['details'][0]['why'] == '1 file was too large to scan'
    assert '; not wholly read: src/app/big.py (the report says why)' in cli().err
    # A path with a secret's shape is masked there too.
    committed.git('mv', 'src/app/big.py', 'src/app/AKIAZ7VRSQXMPLE12345.py')
    err = cli().err
    assert '; not wholly read: src/app/[secret masked: ' in err and 'AKIAZ7' not in err
    committed.git('mv', 'src/app/AKIAZ7VRSQXMPLE12345.py', 'src/app/big.py')
    # The no-op case: within the budget, a harmless file fires nothing.
    committed.git('rm', '-q', '--cached', 'src/app/big.py')
    assert 'security' not in {t['id'] for t in report(cli)['triggers']}


def _conflict(repo, path: str) -> None:
    """``path`` in conflict in the index: a merge of two edits of it."""
    repo.stage(path, 'a = 1\n')
    repo.commit('base')
    repo.git('checkout', '-q', '-b', 'other')
    repo.stage(path, 'k = "AKIAMERGECONFLICTXXX"\n')
    repo.commit('other')
    repo.git('checkout', '-q', 'main')
    repo.stage(path, 'verify = False\n')
    repo.commit('ours')
    merged = subprocess.run(['git', 'merge', '-q', 'other'], cwd=repo.path, capture_output=True)
    assert merged.returncode != 0


@pytest.mark.parametrize(
    ('path', 'shown'),
    [('src/auth/f.py', 'src/auth/f.py'), ('src/auth/AKIAZ7VRSQXMPLE12345.py', '[secret masked: ')],
)
def test_a_merge_conflict_says_the_analysis_is_incomplete(committed, cli, path, shown):
    _conflict(committed, path)
    data = report(cli)
    [change] = data['changes']
    assert change['status'] == 'unmerged'
    [note] = data['notes']
    assert shown in note and 'unmerged' in note and 'could not be read' in note
    assert 'AKIAZ7VRSQXMPLE12345' not in json.dumps(data)
    assert 'could not be read' in data['prompt']
    assert 'unmerged (a merge conflict)' in cli().out
    # The one-line summary says so too, whether or not a trigger fired.
    err = cli().err
    assert '; not wholly read: src/auth/' in err and shown in err and 'AKIAZ7' not in err
    committed.write('.review-trigger.yaml', "exclude: ['src/**']\n")
    quiet = cli()
    assert quiet.out == ''
    assert 'no trigger fired' in quiet.err and '; not wholly read: src/auth/' in quiet.err


def test_a_resolved_merge_has_no_unmerged_note(committed, cli):
    _conflict(committed, 'src/auth/f.py')
    committed.stage('src/auth/f.py', 'a = 2\n')
    data = report(cli)
    assert [c['status'] for c in data['changes']] == ['modified']
    assert data['notes'] == []
    assert 'not wholly read' not in cli().err
