"""The pre-commit hooks, run by the real ``pre-commit`` program.

Every scenario runs pre-commit itself (``try-repo``, an installed
``.git/hooks/pre-commit`` or ``pre-push``) against a snapshot of this
checkout's work tree, committed in a temporary repository, so what is tested
is what a user of the hook repository gets. The hook environment is built
once for the whole test run (``PRE_COMMIT_HOME``, shared by the xdist
workers); ``try-repo``, which always builds its own, is run once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import measure_coverage, seed_memo, shared_dir

from review_trigger import hook

CHECKOUT = Path(__file__).resolve().parents[1]
MANIFEST = CHECKOUT / '.pre-commit-hooks.yaml'
PROMPT = os.path.join('.git', 'review-trigger', 'prompt.md')

pytestmark = pytest.mark.skipif(
    not MANIFEST.exists(),
    reason='needs the hook manifest of a checkout',
)

SIX_FILES = [f'm{i}.py' for i in range(6)]  # top-level: no new directory
FIRED_SIX = 'review-trigger: 1 trigger fired (new-files) on 6 files'


def _isolated_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('PRE_COMMIT', 'GIT_')) and k != 'SKIP'}
    # conftest's isolation: keep the test's own git configuration.
    for k in ('GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE'):
        if k in os.environ:
            env[k] = os.environ[k]
    env.update(extra)
    return env


class HookRepo(NamedTuple):
    """A snapshot of this checkout, committed: what ``rev:`` points at."""

    path: Path
    rev: str


def _snapshot(dest: Path) -> None:
    """The work tree as it is, committed or not (tracked and new files),
    committed in ``dest``."""
    listed = subprocess.run(
        ('git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'),
        cwd=CHECKOUT,
        check=True,
        capture_output=True,
    ).stdout.decode('utf-8', 'surrogateescape')
    for name in filter(None, listed.split('\0')):
        src = CHECKOUT / name
        if src.is_file() and not src.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith('GIT_')},
        'GIT_CONFIG_GLOBAL': os.devnull,
        'GIT_CONFIG_NOSYSTEM': '1',
    }
    for args in (('init', '-q'), ('add', '-A'), ('commit', '-q', '-m', 'snapshot of the work tree')):
        subprocess.run(
            ('git', '-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false')
            + args,
            cwd=dest,
            env=env,
            check=True,
            capture_output=True,
        )


def _hook_env(root: Path) -> None:
    """The snapshot (``root/repo``) and pre-commit's store
    (``root/pre-commit``) with the hooks' environment installed, as a first
    ``git commit`` would install it; coverage starts in it under .ci/run."""
    repo = root / 'repo'
    repo.mkdir()
    _snapshot(repo)
    rev = subprocess.run(
        ('git', 'rev-parse', 'HEAD'), cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()
    (root / 'rev').write_text(rev)
    scratch = root / 'scratch'
    scratch.mkdir()
    subprocess.run(('git', 'init', '-q'), cwd=scratch, check=True, env=_isolated_env())
    cfg = root / 'config.yaml'
    cfg.write_text(config(HookRepo(repo, rev), 'review-trigger', 'review-trigger-gate'))
    res = pre_commit(scratch, 'install-hooks', '-c', str(cfg), env=_isolated_env(**_cache_env(root)))
    assert res.code == 0, res.out
    [venv] = (root / 'pre-commit').glob('repo*/py_env-*')
    # What the hook's own copy works out from the default rules, for the
    # tests' repositories (``_warm_memo`` below).
    seed_memo(root, [str(venv / 'bin' / 'python'), '-m', 'review_trigger'])
    measure_coverage(venv)


def _cache_env(root: Path) -> dict[str, str]:
    return {
        'PRE_COMMIT_HOME': str(root / 'pre-commit'),
        'PIP_CACHE_DIR': str(root / 'pip'),
        'PRE_COMMIT_COLOR': 'never',
    }


@pytest.fixture(scope='session')
def _hook_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once for the whole test run, shared by every xdist worker:
    the same snapshot and rev for all, so one hook environment serves
    every test (pre-commit locks its store)."""
    return shared_dir(tmp_path_factory, 'hook-env', _hook_env)


@pytest.fixture(scope='session')
def hook_repo(_hook_root: Path) -> HookRepo:
    return HookRepo(_hook_root / 'repo', (_hook_root / 'rev').read_text())


@pytest.fixture(scope='session')
def _warm_memo(_hook_root: Path) -> Path:
    """conftest's, for this module: the memo a run of the hook's copy of
    the package (pre-commit's environment) leaves, which the hooks of these
    tests read (a memo is stamped with the files of the copy that wrote it)."""
    return _hook_root / 'memo'


@pytest.fixture(scope='session')
def _session_caches(_hook_root: Path) -> dict[str, str]:
    return _cache_env(_hook_root)


@pytest.fixture
def caches(_session_caches: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """pre-commit's store and pip's cache, shared by the whole session,
    also for git commands run through conftest's helpers."""
    for k, v in _session_caches.items():
        monkeypatch.setenv(k, v)
    return _session_caches


class Run(NamedTuple):
    code: int
    out: str  # stdout and stderr, as a user sees them


def run(cwd: Path, *cmd: str, env: dict[str, str]) -> Run:
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=300,
    )
    return Run(proc.returncode, proc.stdout)


def pre_commit(cwd: Path, *args: str, env: dict[str, str]) -> Run:
    return run(cwd, sys.executable, '-m', 'pre_commit', *args, env=env)


def config(hook_repo: HookRepo, *hook_ids: str) -> str:
    """The README's snippet, pointing at the snapshot."""
    hooks = ''.join(f'      - id: {h}\n' for h in hook_ids)
    return f'repos:\n  - repo: {hook_repo.path}\n    rev: {hook_repo.rev}\n    hooks:\n{hooks}'


def work_tree(path: Path) -> dict[str, bytes]:
    """Every file outside .git, with its content."""
    files = {}
    for root, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if d != '.git']
        for n in names:
            p = Path(root, n)
            files[str(p.relative_to(path))] = p.read_bytes()
    return files


def status(repo) -> str:
    return repo.git('status', '--porcelain=v1', '--untracked-files=all', '--ignored')


def hook_line(out: str, name: str) -> str:
    """pre-commit's result line for hook ``name`` (dots, then the result)."""
    lines = [ln for ln in out.splitlines() if ln.startswith(name + '.')]
    assert len(lines) == 1, out
    return lines[0].rstrip('.').split('.')[-1]


def report(repo) -> dict:
    path = repo.path / '.git' / 'review-trigger' / 'report.json'
    return json.loads(path.read_text())


def paths(data: dict) -> list[str]:
    return sorted(c['path'] for c in data['changes'])


def stage_six(repo) -> None:
    for name in SIX_FILES:
        repo.stage(name, f'def f():\n    return {name!r}\n')


# -- try-repo, and run with a configuration outside the repository --------


@pytest.fixture
def with_commit(repo):
    repo.write('README.md', '# project\n\nSome words.\n')
    repo.add()
    repo.commit('initial')
    return repo


def run_hooks(cwd: Path, hook_repo: HookRepo, caches, tmp_path: Path, *hook_id: str) -> Run:
    """``pre-commit run`` of the snapshot's hooks with a configuration
    outside the repository, as ``try-repo`` does, but in the shared store:
    no environment to build."""
    cfg = tmp_path / 'hooks.yaml'
    cfg.write_text(config(hook_repo, 'review-trigger', 'review-trigger-gate'))
    return pre_commit(cwd, 'run', '-c', str(cfg), *hook_id, env=_isolated_env(**caches))


def test_try_repo_informational_hook_fires_and_passes(with_commit, hook_repo, caches):
    stage_six(with_commit)
    before, st = work_tree(with_commit.path), status(with_commit)
    res = pre_commit(
        with_commit.path,
        'try-repo',
        str(hook_repo.path),
        'review-trigger',
        '--ref',
        hook_repo.rev,
        env=_isolated_env(**caches),
    )
    assert res.code == 0, res.out
    assert hook_line(res.out, 'review-trigger') == 'Passed'
    assert FIRED_SIX in res.out
    assert f'prompt: {PROMPT}\n' in res.out
    assert 'files were modified by this hook' not in res.out
    assert work_tree(with_commit.path) == before and status(with_commit) == st
    prompt = (with_commit.path / PROMPT).read_text()
    assert prompt.startswith('## Opus Review: staged changes\n')
    assert '**Review trigger:** new-files' in prompt
    assert report(with_commit)['triggered'] is True


def test_gate_refuses_a_change_that_fires(with_commit, hook_repo, caches, tmp_path):
    stage_six(with_commit)
    before = work_tree(with_commit.path)
    res = run_hooks(with_commit.path, hook_repo, caches, tmp_path, 'review-trigger-gate')
    assert res.code == 1, res.out
    assert hook_line(res.out, 'review-trigger-gate') == 'Failed'
    assert FIRED_SIX in res.out
    assert f'prompt: {PROMPT}\n' in res.out
    assert 'SKIP=review-trigger-gate git commit ...' in res.out
    assert 'review-trigger: ignore[<trigger-id>] <reason>' in res.out
    assert work_tree(with_commit.path) == before


@pytest.mark.cold_memo
def test_quiet_change_passes_both_and_clears_stale_prompt(with_commit, hook_repo, caches, tmp_path):
    stale = with_commit.path / PROMPT
    stale.parent.mkdir()
    stale.write_text('## an old prompt\n')
    with_commit.stage('README.md', '# project\n\nSome more words.\n')
    before = work_tree(with_commit.path)
    # No hook id: every hook of the configuration, both of them.
    res = run_hooks(with_commit.path, hook_repo, caches, tmp_path)
    assert res.code == 0, res.out
    assert hook_line(res.out, 'review-trigger') == 'Passed'
    assert hook_line(res.out, 'review-trigger-gate') == 'Passed'
    assert res.out.count('review-trigger: no trigger fired (1 file changed)') == 2
    assert 'prompt:' not in res.out
    assert not stale.exists()
    assert report(with_commit)['triggered'] is False
    assert work_tree(with_commit.path) == before


# -- installed hooks: git commit ------------------------------------------


def install(
    repo, hook_repo: HookRepo, caches, *hook_ids: str, hook_type: str = 'pre-commit', commit: bool = True
) -> dict[str, str]:
    """Write the configuration (and commit it, before any hook is
    installed), then ``pre-commit install``."""
    repo.write('.pre-commit-config.yaml', config(hook_repo, *hook_ids))
    if commit:
        repo.add()
        repo.commit('add the hooks')
    env = _isolated_env(**caches)
    res = pre_commit(repo.path, 'install', '--hook-type', hook_type, env=env)
    assert res.code == 0, res.out
    return env


def test_readme_snippet_first_commit_of_six_files(repo, hook_repo, caches):
    env = install(repo, hook_repo, caches, 'review-trigger', commit=False)
    for name in SIX_FILES:
        repo.write(name, 'x = 1\n')
    repo.add()
    before = work_tree(repo.path)
    res = run(repo.path, 'git', 'commit', '-m', 'six files', env=env)
    assert res.code == 0, res.out
    assert hook_line(res.out, 'review-trigger') == 'Passed'
    # The first commit: the configuration is one of the seven new files.
    assert 'review-trigger: 2 triggers fired (new-files, governance) on 7 files' in res.out
    assert f'prompt: {PROMPT}\n' in res.out
    assert repo.git('rev-list', '--count', 'HEAD').strip() == '1'
    assert work_tree(repo.path) == before
    data = report(repo)
    assert data['range']['base'] is None and data['range']['head'] == 'INDEX'


def test_gate_refuses_the_commit_and_skip_lets_it_through(repo, hook_repo, caches):
    env = install(repo, hook_repo, caches, 'review-trigger', 'review-trigger-gate')
    stage_six(repo)
    head = repo.git('rev-parse', 'HEAD')
    res = run(repo.path, 'git', 'commit', '-m', 'six', env=env)
    assert res.code == 1, res.out
    assert hook_line(res.out, 'review-trigger') == 'Passed'
    assert hook_line(res.out, 'review-trigger-gate') == 'Failed'
    assert 'SKIP=review-trigger-gate git commit ...' in res.out
    assert repo.git('rev-parse', 'HEAD') == head

    res = run(repo.path, 'git', 'commit', '-m', 'six', env={**env, 'SKIP': 'review-trigger-gate'})
    assert res.code == 0, res.out
    assert hook_line(res.out, 'review-trigger') == 'Passed'
    assert hook_line(res.out, 'review-trigger-gate') == 'Skipped'
    assert FIRED_SIX in res.out
    assert repo.git('rev-parse', 'HEAD') != head


def test_commit_all_analyses_what_git_commit_records(repo, hook_repo, caches):
    # `git commit -a` gives the hook a temporary index (GIT_INDEX_FILE):
    # the unstaged edit is part of the commit, so part of the analysis.
    env = install(repo, hook_repo, caches, 'review-trigger')
    repo.write('.pre-commit-config.yaml', config(hook_repo, 'review-trigger') + '# edited\n')
    res = run(repo.path, 'git', 'commit', '-a', '-m', 'edit', env=env)
    assert res.code == 0, res.out
    assert 'review-trigger: 1 trigger fired (governance) on 1 file' in res.out
    assert paths(report(repo)) == ['.pre-commit-config.yaml']


def test_gate_passes_a_line_with_a_suppression(repo, hook_repo, caches):
    env = install(repo, hook_repo, caches, 'review-trigger-gate')
    repo.stage('client.py', 'import jwt\n')
    res = pre_commit(repo.path, 'run', 'review-trigger-gate', env=env)
    assert res.code == 1 and 'review-trigger: 1 trigger fired (security)' in res.out, res.out
    repo.stage('client.py', 'import jwt  # review-trigger: ignore[security] only decodes test tokens\n')
    res = pre_commit(repo.path, 'run', 'review-trigger-gate', env=env)
    assert res.code == 0, res.out
    assert 'review-trigger: no trigger fired (1 file changed)' in res.out


def test_manual_stage_staged_and_from_to_refs(repo, hook_repo, caches):
    env = install(repo, hook_repo, caches, 'review-trigger')
    first = repo.git('rev-parse', 'HEAD').strip()
    for name in SIX_FILES:
        repo.stage(name)
    repo.git('commit', '-q', '--no-verify', '-m', 'six')
    second = repo.git('rev-parse', 'HEAD').strip()
    repo.stage('notes.txt', 'a note\n')
    res = pre_commit(repo.path, 'run', '--hook-stage', 'manual', 'review-trigger', env=env)
    assert res.code == 0, res.out
    assert 'review-trigger: no trigger fired (1 file changed)' in res.out
    assert paths(report(repo)) == ['notes.txt']

    res = pre_commit(
        repo.path,
        'run',
        '--hook-stage',
        'manual',
        '--from-ref',
        first,
        '--to-ref',
        second,
        'review-trigger',
        env=env,
    )
    assert res.code == 0, res.out
    assert FIRED_SIX in res.out
    data = report(repo)
    assert paths(data) == SIX_FILES
    assert (data['range']['base'], data['range']['head']) == (first, second)


def test_commit_in_a_linked_worktree_writes_to_its_git_dir(repo, hook_repo, caches):
    env = install(repo, hook_repo, caches, 'review-trigger')
    wt = repo.path.parent / 'wt'
    repo.git('worktree', 'add', '-q', '-b', 'side', str(wt))
    for name in SIX_FILES:
        p = wt / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text('x = 1\n')
    run(wt, 'git', 'add', '.', env=env)
    res = run(wt, 'git', 'commit', '-m', 'six', env=env)
    assert res.code == 0, res.out
    git_dir = repo.path.resolve() / '.git' / 'worktrees' / 'wt' / 'review-trigger'
    assert f'prompt: {git_dir / "prompt.md"}\n' in res.out
    assert (git_dir / 'prompt.md').exists()
    assert not (repo.path / PROMPT).exists()
    assert not (wt / '.git').is_dir()


# -- installed hooks: git push --------------------------------------------


def test_pre_push_analyses_exactly_the_pushed_commits(repo, hook_repo, caches, tmp_path):
    remote = tmp_path / 'remote.git'
    run(tmp_path, 'git', 'init', '-q', '--bare', str(remote), env=_isolated_env())
    repo.git('remote', 'add', 'origin', str(remote))
    # Only the pre-push hook is installed: commits run no hook.
    env = install(
        repo, hook_repo, caches, 'review-trigger', 'review-trigger-gate', hook_type='pre-push', commit=False
    )
    repo.write('README.md', '# project\n')
    repo.add()
    root = repo.commit('initial')

    # The first push contains the root commit: pre-commit sets no refs.
    res = run(repo.path, 'git', 'push', '-q', 'origin', 'main', env=env)
    assert res.code == 1, res.out  # the configuration fires governance
    assert 'SKIP=review-trigger-gate git push ...' in res.out
    data = report(repo)
    assert paths(data) == ['.pre-commit-config.yaml', 'README.md']
    assert data['range']['base'] is None and data['range']['head'] == root
    res = run(repo.path, 'git', 'push', '-q', 'origin', 'main', env={**env, 'SKIP': 'review-trigger-gate'})
    assert res.code == 0, res.out
    assert hook_line(res.out, 'review-trigger-gate') == 'Skipped'

    # Two commits on top: exactly them, not the root commit's files.
    stage_six(repo)
    repo.commit('six')
    repo.stage('README.md', '# project\n\nWords.\n')
    top = repo.commit('readme')
    before = work_tree(repo.path)
    res = run(repo.path, 'git', 'push', 'origin', 'main', env=env)
    assert res.code != 0, res.out
    assert FIRED_SIX.replace('6 files', '7 files') in res.out
    assert repo.git('ls-remote', 'origin', 'main').split()[0] == root
    data = report(repo)
    assert paths(data) == ['README.md', *SIX_FILES]
    assert (data['range']['base'], data['range']['head']) == (root, top)
    assert data['range']['commits'] == 2
    assert work_tree(repo.path) == before
    res = run(repo.path, 'git', 'push', 'origin', 'main', env={**env, 'SKIP': 'review-trigger-gate'})
    assert res.code == 0, res.out
    assert hook_line(res.out, 'review-trigger') == 'Passed'

    # A new branch: the commits on no remote branch.
    repo.git('checkout', '-q', '-b', 'feature')
    repo.stage('a.txt', 'a\n')
    feature = repo.commit('feature')
    res = run(repo.path, 'git', 'push', 'origin', 'feature', env=env)
    assert res.code == 0, res.out
    assert 'review-trigger: no trigger fired (1 file changed)' in res.out
    data = report(repo)
    assert paths(data) == ['a.txt']
    assert (data['range']['base'], data['range']['head']) == (top, feature)
    assert not (repo.path / PROMPT).exists()

    # An orphan branch pushed to a remote that has history: its root commit.
    repo.git('checkout', '-q', '--orphan', 'pages')
    repo.git('rm', '-rq', '--cached', '.')
    repo.stage('index.html', '<p>hi</p>\n')
    pages = repo.commit('pages')
    res = run(repo.path, 'git', 'push', 'origin', 'pages', env=env)
    assert res.code == 0, res.out
    data = report(repo)
    assert paths(data) == ['index.html']
    assert (data['range']['base'], data['range']['head']) == (None, pages)
    assert data['range']['commits'] == 1


# -- the hook's own logic, in process --------------------------------------


def _hook(cli, monkeypatch, env: dict[str, str], *args: str):
    for k in (
        'PRE_COMMIT_FROM_REF',
        'PRE_COMMIT_TO_REF',
        'PRE_COMMIT_LOCAL_BRANCH',
        'PRE_COMMIT_REMOTE_NAME',
    ):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return cli('hook', *args)


def test_informational_hook_reports_an_error_without_blocking(committed, cli, monkeypatch):
    env = {'PRE_COMMIT_FROM_REF': 'nope', 'PRE_COMMIT_TO_REF': 'HEAD'}
    res = _hook(cli, monkeypatch, env)
    assert res.code == 0
    assert res.out.startswith("review-trigger: error: unknown revision 'nope'")
    assert 'not blocking' in res.out
    res = _hook(cli, monkeypatch, env, '--gate')
    assert res.code == 2 and res.out == ''
    assert "unknown revision 'nope'" in res.err


@pytest.mark.cold_memo
def test_informational_hook_survives_a_bug_and_drops_stale_files(committed, cli, monkeypatch):
    folder = committed.path / '.git' / 'review-trigger'
    folder.mkdir()
    for name in ('prompt.md', 'report.json'):
        (folder / name).write_text('from an earlier run\n')

    def broken(*args, **kwargs):
        raise RuntimeError('a bug')

    monkeypatch.setattr('review_trigger.analyze.analyze', broken)
    res = _hook(cli, monkeypatch, {})
    assert res.code == 0
    assert 'internal error (RuntimeError)' in res.out
    # One line; the traceback is in the log it names, never in the output.
    assert 'a bug' not in res.out and res.out.count('\n') == 1
    log = res.out.split('the traceback is in ')[1].split(' (not blocking')[0]
    assert 'RuntimeError: a bug' in Path(log).read_text()
    assert res.out.endswith('(not blocking: this hook only informs)\n')
    assert not (folder / 'prompt.md').exists() and not (folder / 'report.json').exists()
    # The gate fails closed, with the code of a bug: 3, never 1 (a trigger fired).
    assert _hook(cli, monkeypatch, {}, '--gate').code == 3


def test_a_tool_folder_that_is_a_file_is_named(committed, cli, monkeypatch):
    """``.git/review-trigger`` that is a file: the error names it as the
    folder that is not one (never "File exists"), and leaves it alone."""
    import shutil

    folder = committed.path / '.git' / 'review-trigger'
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text('not a folder\n')
    committed.stage('src/auth/login.py', 'x = 1\n')
    res = _hook(cli, monkeypatch, {}, '--gate')
    assert (res.code, res.out) == (2, '')
    report = folder / 'report.json'
    assert res.err == f'review-trigger: error: cannot write {report}: {folder} is not a directory\n'
    assert folder.read_text() == 'not a folder\n'


@pytest.mark.parametrize('gate', [False, True], ids=['informational', 'gate'])
def test_an_ascii_stdout_gets_a_path_it_cannot_hold_escaped(committed, gate):
    """A linked worktree named ``wt-é``: the prompt's path, in its git
    directory, is shown in full; on a stdout that holds only ASCII, its
    ``é`` is escaped as Python escapes it on stderr, never a crash."""
    wt = committed.path.parent / 'wt-é'
    committed.git('worktree', 'add', '-q', '-b', 'side', str(wt))
    for name in SIX_FILES:
        (wt / name).write_text('x = 1\n')
    env = _isolated_env(PYTHONIOENCODING='ascii')
    run(wt, 'git', 'add', '.', env=env)
    res = run(wt, sys.executable, '-m', 'review_trigger', 'hook', *(['--gate'] if gate else []), env=env)
    assert res.code == (1 if gate else 0), res.out
    prompt = committed.path.resolve() / '.git' / 'worktrees' / 'wt-é' / 'review-trigger' / 'prompt.md'
    shown = str(prompt).replace('é', '\\xe9')
    assert res.out.startswith(f'{FIRED_SIX}\nprompt: {shown}\n'), res.out
    assert prompt.exists()


def test_an_ascii_stdout_gets_an_error_it_cannot_hold_escaped(committed):
    """The informational hook's error, shown on stdout: escaped there as on
    stderr, and still not blocking."""
    env = _isolated_env(PYTHONIOENCODING='ascii', PRE_COMMIT_FROM_REF='nöpe', PRE_COMMIT_TO_REF='HEAD')
    res = run(committed.path, sys.executable, '-m', 'review_trigger', 'hook', env=env)
    assert res.code == 0, res.out
    assert res.out.startswith("review-trigger: error: unknown revision 'n\\xf6pe'"), res.out
    assert res.out.endswith('(not blocking: this hook only informs)\n') and res.out.count('\n') == 1


def test_zero_from_ref_and_unrelated_history_analyse_from_the_root(committed, cli, monkeypatch):
    head = committed.git('rev-parse', 'HEAD').strip()
    res = _hook(cli, monkeypatch, {'PRE_COMMIT_FROM_REF': '0' * 40, 'PRE_COMMIT_TO_REF': head})
    assert res.code == 0, res
    assert report(committed)['range']['base'] is None
    committed.git('checkout', '-q', '--orphan', 'other')
    committed.stage('x.txt')
    other = committed.commit('unrelated')
    res = _hook(cli, monkeypatch, {'PRE_COMMIT_FROM_REF': head, 'PRE_COMMIT_TO_REF': other})
    assert res.code == 0, res
    data = report(committed)
    assert data['range']['base'] is None and data['range']['head'] == other


def test_diverged_from_ref_uses_the_merge_base(committed, cli, monkeypatch):
    base = committed.git('rev-parse', 'HEAD').strip()
    committed.stage('a.txt')
    old = committed.commit('remote side')
    committed.git('reset', '-q', '--hard', base)
    committed.stage('b.txt')
    new = committed.commit('local side')
    res = _hook(cli, monkeypatch, {'PRE_COMMIT_FROM_REF': old, 'PRE_COMMIT_TO_REF': new})
    assert res.code == 0, res
    data = report(committed)
    assert paths(data) == ['b.txt'] and data['range']['base'] == base


def test_submodule_prompt_goes_to_the_submodule_git_dir(committed, cli, monkeypatch, tmp_path):
    sub_src = tmp_path / 'sub-src'
    sub_src.mkdir()
    committed.git('init', '-q', str(sub_src))
    subprocess.run(('git', 'commit', '-q', '--allow-empty', '-m', 'init'), cwd=sub_src, check=True)
    committed.git('submodule', '--quiet', 'add', str(sub_src), 'sub')
    sub = committed.path / 'sub'
    monkeypatch.chdir(sub)
    for name in SIX_FILES:
        p = sub / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text('x = 1\n')
    subprocess.run(('git', 'add', '.'), cwd=sub, check=True)
    res = _hook(cli, monkeypatch, {})
    assert res.code == 0, res
    prompt = committed.path.resolve() / '.git' / 'modules' / 'sub' / 'review-trigger' / 'prompt.md'
    assert res.out.endswith(f'prompt: {prompt}\n')
    assert prompt.exists()
    assert not (sub / '.git').is_dir()


def test_is_push_reads_the_push_variables():
    assert hook.is_push({'PRE_COMMIT_REMOTE_NAME': 'origin'})
    assert not hook.is_push({'PRE_COMMIT_FROM_REF': 'a', 'PRE_COMMIT_TO_REF': 'b'})
