"""A report is written whole or not at all: to stdout (spooled, then
copied), to --output, and the pre-commit hook's report file."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Repo, Result

from review_trigger import output, report
from review_trigger.errors import UserError


class _Bug(Exception):
    """The failure a test injects into rendering (a test-only object)."""


def _fails_halfway(pieces: Iterator[str], after: int) -> Iterator[str]:
    """The real pieces, then a bug after ``after`` of them."""
    for n, piece in enumerate(pieces):
        if n == after:
            raise _Bug('rendering failed')
        yield piece


@pytest.fixture
def broken_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """report.chunks renders its real first piece (64 KB), then fails."""
    real = report.chunks
    monkeypatch.setattr(report, 'chunks', lambda data: _fails_halfway(real(data), 1))


def _firing(repo: Repo) -> None:
    """A change that fires, whose report is several pieces long."""
    for n in range(400):
        repo.write(f'docs/pages/page_{n:03}.md', f'page {n}\n')
    repo.write('src/app/auth/session.py', 'def login(password):\n    return verify(password)\n')
    repo.add()


def test_a_report_failing_midway_leaves_stdout_empty_and_exits_3(
    committed: Repo, cli, broken_report: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    _firing(committed)
    r: Result = cli('--format', 'json')
    assert r.code == 3
    assert r.out == ''
    assert 'internal error (_Bug)' in r.err
    assert r.err.count('\n') == 1


def test_the_same_run_unbroken_writes_the_whole_report(committed: Repo, cli) -> None:
    """The case above fails only because of the injected bug."""
    _firing(committed)
    r: Result = cli('--format', 'json')
    assert r.code == 0
    assert json.loads(r.out)['triggered'] is True
    assert len(r.out) > 1 << 16  # more than the first piece


def test_a_report_failing_midway_removes_an_earlier_output_file(
    committed: Repo, cli, broken_report: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    _firing(committed)
    (committed.path / 'report.json').write_text('{"an": "earlier run"}\n')
    r: Result = cli('--format', 'json', '--output', 'report.json')
    assert r.code == 3
    assert not (committed.path / 'report.json').exists()
    assert not list(committed.path.glob('.review-trigger-*.tmp'))


def test_the_hook_leaves_no_report_when_rendering_fails(
    committed: Repo, cli, broken_report: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    folder = committed.path / '.git' / 'review-trigger'
    folder.mkdir(parents=True, exist_ok=True)
    (folder / 'report.json').write_text('{"an": "earlier run"}\n')
    _firing(committed)
    r: Result = cli('hook', '--gate')
    assert r.code == 3
    assert not (folder / 'report.json').exists()
    assert not list(folder.glob('.review-trigger-*.tmp'))


def test_emit_copies_nothing_when_the_pieces_fail() -> None:
    out = io.StringIO()
    with pytest.raises(_Bug):
        output.emit(_fails_halfway(iter(['{', '"a": 1', ',', '"b": 2', '}']), 3), None, stdout=out)
    assert out.getvalue() == ''


def test_emit_writes_a_report_larger_than_the_memory_spool_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past SPOOL_MAX the spool is a file on disk; the copy is the same."""
    monkeypatch.setattr(output, 'SPOOL_MAX', 1024)
    pieces = [f'line {n} \u00e9\u4e2d\n' for n in range(5000)]
    out = io.StringIO()
    output.emit(iter(pieces), None, stdout=out)
    assert out.getvalue() == ''.join(pieces)
    assert len(out.getvalue()) > 1024 * 50


@pytest.mark.skipif(not Path('/dev/full').exists(), reason='no /dev/full')
@pytest.mark.parametrize('fmt', ['markdown', 'json'])
def test_stdout_that_cannot_take_the_report_is_a_user_error(committed: Repo, fmt: str) -> None:
    import subprocess
    import sys

    committed.stage('src/auth/login.py', 'x = 1\n')
    command = [sys.executable, '-m', 'review_trigger', '--format', fmt]
    with open('/dev/full', 'w') as full:
        res = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True)
    assert res.returncode == 2, res.stderr
    assert 'cannot write the report to stdout: No space left on device' in res.stderr
    assert 'internal error' not in res.stderr and res.stderr.count('\n') == 1
    ok = subprocess.run(command, capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout


def test_emit_refuses_an_encoding_that_cannot_hold_a_later_piece_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The copy goes a piece at a time: a character stdout's encoding
    lacks, far into the report, is found before the first piece is written."""
    monkeypatch.setattr(output, 'SPOOL_MAX', 1024)
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding='ascii', write_through=True)
    pieces = [f'line {n}\n' for n in range(5000)] + ['caf\u00e9\n']
    with pytest.raises(UserError, match=r'its encoding \(ascii\) cannot hold its text'):
        output.emit(iter(pieces), None, stdout=out)
    assert raw.getvalue() == b''
    # Without it, the same pieces are written whole.
    output.emit(iter(pieces[:-1]), None, stdout=out)
    assert raw.getvalue() == ''.join(pieces[:-1]).encode()


@pytest.mark.parametrize(
    ('args', 'ascii_ok'),
    [
        pytest.param(['--format', 'markdown'], False, id='markdown'),
        pytest.param(['--format', 'json'], True, id='json'),  # JSON escapes it
        pytest.param(['config'], False, id='config'),
        pytest.param(['route', '--announce', '--session-model', 'mod\u00e8le'], False, id='route'),
    ],
)
def test_stdout_whose_encoding_cannot_hold_the_text_is_a_user_error(
    committed: Repo, args: list[str], ascii_ok: bool
) -> None:
    import os
    import subprocess
    import sys

    committed.write('.review-trigger.yaml', 'reviewer: R\u00e9viseur\n')
    committed.stage('src/auth/caf\u00e9.py', 'x = 1\n')
    command = [sys.executable, '-m', 'review_trigger', *args]
    env = {**os.environ, 'PYTHONIOENCODING': 'ascii'}
    res = subprocess.run(command, capture_output=True, env=env)
    err = res.stderr.decode()
    assert 'internal error' not in err
    if ascii_ok:
        assert res.returncode == 0, err
        return
    assert res.returncode == 2, err
    assert res.stdout == b''
    [line] = err.splitlines()[-1:]
    assert line == (
        'review-trigger: error: cannot write the report to stdout: its encoding (ascii) '
        'cannot hold its text (set PYTHONIOENCODING=utf-8)'
    )
    ok = subprocess.run(command, capture_output=True)
    assert ok.returncode == 0 and ok.stdout


@pytest.mark.parametrize(
    ('name', 'text', 'args', 'shown'),
    [
        pytest.param(
            '.claude/settings.json',
            '{"note": "caf\u00e9"}\n',
            ['--agent', 'claude'],
            '-{"note": "caf\u00e9"}\n',
            id='agent_settings',
        ),
        pytest.param(
            'AGENTS.md',
            '# Agents \u2014 caf\u00e9\n',
            ['--agents-md'],
            '--- a/AGENTS.md\n+++ b/AGENTS.md\n',
            id='agents_md',
        ),
    ],
)
def test_an_init_dry_run_on_an_ascii_stdout_is_one_error_and_writes_nothing(
    committed: Repo, name: str, text: str, args: list[str], shown: str
) -> None:
    """The diff holds the file's ``\u00e9`` (and the routing block's
    ``\u2014``): a stdout that holds only ASCII gets none of it and one
    error line, as a report does, never a crash; the file is left alone."""
    import os
    import subprocess
    import sys

    path = committed.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding='utf-8')
    cmd = (sys.executable, '-m', 'review_trigger', 'init', *args, '--dry-run')
    env = {**os.environ, 'PYTHONIOENCODING': 'ascii'}
    res = subprocess.run(cmd, cwd=committed.path, env=env, capture_output=True, text=True)
    assert (res.returncode, res.stdout) == (2, ''), res.stderr
    assert res.stderr == (
        'review-trigger: error: cannot write the report to stdout: its encoding (ascii) '
        'cannot hold its text (set PYTHONIOENCODING=utf-8)\n'
    )
    assert path.read_text(encoding='utf-8') == text
    env['PYTHONIOENCODING'] = 'utf-8'
    res = subprocess.run(cmd, cwd=committed.path, env=env, capture_output=True, encoding='utf-8')
    assert res.returncode == 0 and shown in res.stdout, res.stderr


@pytest.fixture(params=[0o022, 0o077, 0o002])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    import os

    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_new_files_get_the_umask_s_mode_and_replaced_ones_keep_theirs(
    committed: Repo, cli, tmp_path: Path, umask: int
) -> None:
    import stat

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    new = 0o666 & ~umask
    committed.stage('src/auth/login.py', 'x = 1\n')
    target = tmp_path / 'prompt.md'
    assert cli('--output', str(target)).code == 0
    assert mode(target) == new
    target.chmod(0o640)
    assert cli('--format', 'json', '--output', str(target)).code == 0
    assert mode(target) == 0o640 and target.read_text().startswith('{')
    assert cli('hook').code == 0
    folder = committed.path / '.git' / 'review-trigger'
    assert mode(folder / 'prompt.md') == new and mode(folder / 'report.json') == new
