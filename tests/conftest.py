"""Fixtures: real git repositories in temporary folders, isolated from the
user's git configuration."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import pytest

from review_trigger.__main__ import main

Build = Callable[[Path], None]
ROOT = Path(__file__).resolve().parent.parent


def _build_once(root: Path, name: str, build: Build, *, wait: bool) -> bool:
    """Build ``root/name`` unless it is built; False if another worker is
    at it and ``wait`` is false."""
    done = root / f'{name}.built'
    with open(root / f'{name}.lock', 'w') as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        if not done.exists():
            # A build that failed half-way is started again from nothing.
            shutil.rmtree(root / name, ignore_errors=True)
            (root / name).mkdir()
            build(root / name)
            done.touch()
    return True


def shared_dir(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    build: Build,
    meanwhile: Sequence[tuple[str, Build]] = (),
) -> Path:
    """A folder that ``build`` fills once for the whole test run, shared by
    every xdist worker: the first to ask builds it under a lock, the others
    wait for it, building the folders of ``meanwhile`` no one has started
    yet instead of waiting idle. For what is slow to make and never changed
    by a test (the Action's virtual environment, pre-commit's hook
    environment)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get('PYTEST_XDIST_WORKER'):
        root = root.parent  # the run's folder, above each worker's own
    if not _build_once(root, name, build, wait=False):
        for other, other_build in meanwhile:
            _build_once(root, other, other_build, wait=False)
        _build_once(root, name, build, wait=True)
    return root / name


def measure_coverage(venv: Path) -> None:
    """When the suite runs under coverage (``.ci/run`` starts it in each
    process that imports the package, through REVIEW_TRIGGER_COVERAGE and
    ``.ci/coverage_start.py``), start it in ``venv`` too (the Action's own
    virtual environment, pre-commit's hook environment), so the runs of the
    copy of the package installed there are counted (``[tool.coverage.paths]``
    maps that copy to ``review_trigger/``). The same .pth file and module as
    .ci/run's; ``python -I`` leaves .pth files and this variable alone. The
    test run's own coverage package is linked in, not installed: the same
    version for the same interpreter, no index."""
    if not os.environ.get('REVIEW_TRIGGER_COVERAGE'):
        return
    import coverage

    [site] = venv.glob(f'lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages')
    lib = venv / 'coverage-lib'
    lib.mkdir(exist_ok=True)
    (lib / 'coverage').symlink_to(Path(coverage.__file__).parent, target_is_directory=True)
    shutil.copy(ROOT / '.ci' / 'coverage_start.py', lib / 'review_trigger_coverage_start.py')
    (site / 'review-trigger-coverage.pth').write_text(
        f'{lib}\nimport review_trigger_coverage_start\n', encoding='utf-8'
    )


# Every test's git: the same user, branch name and dates, whoever runs it.
GITCONFIG = (
    '[init]\n\tdefaultBranch = main\n'
    '[user]\n\tname = Test\n\temail = test@example.com\n'
    '[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n'
    '[protocol "file"]\n\tallow = always\n'
)
GIT_DATE = '2026-03-01T12:00:00+00:00'


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp('home')
    gitconfig = home / '.gitconfig'
    gitconfig.write_text(GITCONFIG)
    monkeypatch.setenv('HOME', str(home))
    monkeypatch.setenv('GIT_CONFIG_GLOBAL', str(gitconfig))
    monkeypatch.setenv('GIT_CONFIG_NOSYSTEM', '1')
    for var in (
        'GIT_DIR',
        'GIT_WORK_TREE',
        'GIT_INDEX_FILE',
        'REVIEW_TRIGGER_SESSION_MODEL',
        'GITHUB_ACTIONS',
        'PRE_COMMIT_FROM_REF',
        'PRE_COMMIT_TO_REF',
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv('GIT_AUTHOR_DATE', GIT_DATE)
    monkeypatch.setenv('GIT_COMMITTER_DATE', GIT_DATE)


def git(cwd: Path, *args: str, input: bytes | None = None) -> str:
    return subprocess.run(
        ('git', *args),
        cwd=cwd,
        check=True,
        capture_output=True,
        input=input,
    ).stdout.decode()


class Repo:
    """A scratch repository: write files, stage them, commit."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def git(self, *args: str) -> str:
        return git(self.path, *args)

    def write(self, name: str, content: str | bytes = 'x\n') -> Path:
        p = self.path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding='utf-8', newline='')
        return p

    def add(self, *names: str) -> None:
        self.git('add', '--', *(names or ('.',)))

    def stage(self, name: str, content: str | bytes = 'x\n') -> None:
        self.write(name, content)
        self.add(name)

    def commit(self, message: str = 'change') -> str:
        self.git('commit', '-q', '--allow-empty', '--no-gpg-sign', '-m', message)
        return self.git('rev-parse', 'HEAD').strip()


# Files of every kind the default rules look at (by path and by content),
# for the memo of a repository analysed before (``_warm_memo``).
_SEED = {
    'src/auth/login.py': 'import jwt\npassword = "x"\nssn = row.ssn\n',
    'app/payments/billing.js': 'const card = req.body.cardNumber;\neval(x)\n',
    'src/models/patient.ts': 'export const diagnosis = 1;\n',
    'cmd/server/main.go': 'package main\nimport "crypto/md5"\n',
    'src/lib.rs': 'unsafe { x() }\n',
    'src/Main.java': 'class Main {}\n',
    'db/migrations/0001_init.sql': 'CREATE TABLE users (email text);\n',
    'docs/adr/0001-record.md': '# ADR 1\n\n## Decision\n\nWords.\n',
    'README.md': '# project\n\nMore words.\n',
    'AGENTS.md': '# Agents\n',
    'CLAUDE.md': '# Claude\n',
    '.github/workflows/ci.yml': 'on: pull_request_target\n',
    'Dockerfile': 'FROM python\nUSER root\n',
    'k8s/deploy.yaml': 'privileged: true\n',
    'package.json': '{"dependencies": {}}\n',
    'settings.py': 'DEBUG = True\nSECRET_KEY = "x"\n',
}


def seed_memo(root: Path, command: Sequence[str] | None = None) -> Path:
    """The memo (``.git/review-trigger``'s rules.json and globs.json) a run
    over ``_SEED`` leaves, in ``root/memo``: a run in this process, or of
    ``command`` (another copy of the package, the Action's: a memo is
    stamped with the files of the copy that wrote it)."""
    import contextlib
    import io

    path = root / 'seed'
    path.mkdir()
    env = {**os.environ, 'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': os.devnull}
    env.pop('REVIEW_TRIGGER_COVERAGE', None)
    for args in (('init', '-q'), ('commit', '-q', '--allow-empty', '-m', 'start')):
        subprocess.run(
            ('git', '-c', 'user.name=Test', '-c', 'user.email=test@example.com', *args),
            cwd=path,
            env=env,
            check=True,
            capture_output=True,
        )
    seeded = Repo(path)
    for name, content in _SEED.items():
        seeded.write(name, content)
    subprocess.run(('git', 'add', '-A'), cwd=path, env=env, check=True)
    if command is None:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(['-C', str(path), '--format', 'json']) == 0
    else:
        # In the seed repository: ``python -m`` would import a package
        # from the folder it is started in.
        subprocess.run((*command, '--format', 'json'), cwd=path, env=env, check=True, capture_output=True)
    memo = root / 'memo'
    memo.mkdir()
    for name in ('rules.json', 'globs.json'):
        shutil.copy(path / '.git' / 'review-trigger' / name, memo)
    return memo


def recall_memo(memo: Path, repo: Path) -> None:
    """Start ``repo`` with the memo of an earlier run (``seed_memo``)."""
    shutil.copytree(memo, repo / '.git' / 'review-trigger', dirs_exist_ok=True)


@pytest.fixture(scope='session')
def _warm_memo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The memo of a run in this process, once per worker. Each test's
    repository starts with a copy, as a repository the tool has run in
    before: its processes then do not each work out the default rules'
    literals and glob translations again (half a second a process under
    coverage). A test marked ``cold_memo`` starts without it; test_memo
    tests the two ways against each other."""
    return seed_memo(tmp_path_factory.mktemp('warm-memo'))


@pytest.fixture
def repo(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    _warm_memo: Path,
    _templates: _Templates,
) -> Iterator[Repo]:
    path = tmp_path / 'repo'
    # A test that asks for ``committed`` starts from its commit.
    committed = 'committed' in request.fixturenames
    shutil.copytree(_templates.committed if committed else _templates.empty, path, symlinks=True)
    if request.node.get_closest_marker('cold_memo') is None:
        recall_memo(_warm_memo, path)
    monkeypatch.chdir(path)
    yield Repo(path)


@pytest.fixture
def committed(repo: Repo) -> Repo:
    """A repository with one commit: a README and a small package (``repo``
    copies it from ``_templates``)."""
    return repo


def isolated_git_env(home: Path, gitconfig: Path, drop: tuple[str, ...] = ('GIT_',)) -> dict[str, str]:
    """This process's environment for a git of the tests' own: its home and
    configuration, the tests' dates, no GIT_ variable of the caller's (nor
    any other prefix in ``drop``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM='1',
        GIT_AUTHOR_DATE=GIT_DATE,
        GIT_COMMITTER_DATE=GIT_DATE,
    )
    return env


class _Templates(NamedTuple):
    empty: Path  # what ``git init`` makes
    committed: Path  # and ``committed``'s first commit


# ``committed``'s first commit.
_FIRST_COMMIT = {
    'README.md': '# project\n\nSome words.\n',
    'src/app/__init__.py': '',
    'src/app/core.py': 'def run():\n    return 1\n',
}


@pytest.fixture(scope='session')
def _templates(tmp_path_factory: pytest.TempPathFactory) -> _Templates:
    """The repositories every test starts from, made once per worker and
    copied: ``git init`` and the first commit are four git processes, three
    times the time of a copy. The same git settings and dates as each
    test's (``_isolated_git``), so the copy is what the test would make."""
    root = tmp_path_factory.mktemp('templates')
    (root / 'gitconfig').write_text(GITCONFIG)
    env = isolated_git_env(root, root / 'gitconfig')
    made = _Templates(root / 'empty', root / 'committed')
    for path in made:
        path.mkdir()
        subprocess.run(('git', 'init', '-q'), cwd=path, env=env, check=True)
    for name, content in _FIRST_COMMIT.items():
        Repo(made.committed).write(name, content)
    for args in (('add', '--', '.'), ('commit', '-q', '--no-gpg-sign', '-m', 'initial')):
        subprocess.run(('git', *args), cwd=made.committed, env=env, check=True, capture_output=True)
    return made


class Result(NamedTuple):
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def env_without(*names: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}


def report(cli, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The JSON report of a run that must succeed."""
    import json

    res = cli('--format', 'json', *args)
    assert res.code == 0, res.err
    return json.loads(res.out)  # type: ignore[no-any-return]


def fired(cli, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The triggers that fired, by id."""
    return {t['id']: t for t in report(cli, *args)['triggers']}


def fired_whys(cli, trigger: str, *args: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Why each detail of ``trigger``, which must have fired, was given."""
    found = fired(cli, *args)
    assert trigger in found, f'{trigger} did not fire: {sorted(found)}'
    return [d['why'] for d in found[trigger]['details']]
