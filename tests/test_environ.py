"""The environment is read once, by the entry point, and passed down: an
in-process run given an environment other than the process's sees that
one, in git's processes too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Repo

from review_trigger import git, pipeline
from review_trigger.__main__ import main


def _run(
    capsys: pytest.CaptureFixture[str], argv: list[str], environ: dict[str, str] | None = None
) -> tuple[int, str, str]:
    code = main(argv, environ)
    out, err = capsys.readouterr()
    return code, out, err


def _paths(report: str) -> list[str]:
    return [c['path'] for c in json.loads(report)['changes']]


def _other_index(repo: Repo, name: str, content: str) -> str:
    """An index beside the real one that holds ``name`` staged; the real
    index is left as it is."""
    index = str(repo.path / '.git' / 'other-index')
    shutil.copyfile(repo.path / '.git' / 'index', index)
    repo.write(name, content)
    subprocess.run(
        ('git', 'add', '--', name),
        cwd=repo.path,
        check=True,
        env={**os.environ, 'GIT_INDEX_FILE': index},
    )
    return index


def test_git_sees_the_environment_main_is_given(committed: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    index = _other_index(committed, 'src/app/auth.py', 'password = "x"\n')
    assert 'GIT_INDEX_FILE' not in os.environ
    code, out, _ = _run(capsys, ['--format', 'json'])
    assert code == 0
    assert _paths(out) == []  # the real index stages nothing
    code, out, err = _run(capsys, ['--format', 'json'], {**os.environ, 'GIT_INDEX_FILE': index})
    assert code == 0, err
    assert _paths(out) == ['src/app/auth.py']
    # The unstaged-files note comes from git too, with the same environment:
    # the file is staged in that index, so nothing is left out.
    assert 'not analysed' not in err


def test_a_global_gitconfig_of_the_given_home_applies(
    committed: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--worktree honours the ignore rules git reads, here a global
    excludes file named by the given environment's global gitconfig."""
    committed.write('notes.txt', 'scratch\n')
    committed.write('src/app/extra.py', 'x = 1\n')
    excludes = tmp_path / 'excludes'
    excludes.write_text('notes.txt\n')
    gitconfig = tmp_path / 'other.gitconfig'
    gitconfig.write_text(f'[core]\n\texcludesFile = {excludes}\n')
    code, out, _ = _run(capsys, ['--worktree', '--format', 'json'])
    assert code == 0
    assert sorted(_paths(out)) == ['notes.txt', 'src/app/extra.py']
    code, out, err = _run(
        capsys, ['--worktree', '--format', 'json'], {**os.environ, 'GIT_CONFIG_GLOBAL': str(gitconfig)}
    )
    assert code == 0, err
    assert _paths(out) == ['src/app/extra.py']


def test_the_pipeline_runs_git_with_the_request_environment(committed: Repo) -> None:
    index = _other_index(committed, 'src/app/new.py', 'y = 2\n')
    plain = pipeline.run(pipeline.Request(environ=dict(os.environ)))
    assert [f.path for f in plain.analysis.change.files] == []
    other = pipeline.run(pipeline.Request(environ={**os.environ, 'GIT_INDEX_FILE': index}))
    assert [f.path for f in other.analysis.change.files] == ['src/app/new.py']
    assert other.repo.env['GIT_INDEX_FILE'] == index
    # Later changes to the process's environment do not reach the run's git.
    assert git.unstaged_count(other.repo) == 0
    assert git.unstaged_count(plain.repo) == 1


def test_the_pre_commit_hook_reads_its_refs_from_the_given_environment(
    committed: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    first = committed.git('rev-parse', 'HEAD').strip()
    committed.write('src/app/payments.py', 'card_number = read()\n')
    committed.add()
    second = committed.commit('payments')
    environ = {**os.environ, 'PRE_COMMIT_FROM_REF': first, 'PRE_COMMIT_TO_REF': second}
    code, out, _ = _run(capsys, ['hook'], environ)
    assert code == 0
    assert 'on 1 file' in out or '(1 file changed)' in out
    report = json.loads((committed.path / '.git' / 'review-trigger' / 'report.json').read_text())
    assert report['range']['mode'] == 'since'
    assert _paths(json.dumps(report)) == ['src/app/payments.py']
    # Without those variables the hook analyses the (empty) staged change.
    code, out, _ = _run(capsys, ['hook'])
    assert code == 0
    assert '(0 files changed)' in out


def test_route_takes_the_session_model_from_the_given_environment(
    committed: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, ['route', '--announce'])
    assert code == 2
    assert '--announce needs --session-model' in err
    code, out, err = _run(
        capsys, ['route', '--announce'], {**os.environ, 'REVIEW_TRIGGER_SESSION_MODEL': 'claude-haiku-4-5'}
    )
    assert code == 0, err
    assert 'Running as' in out
    assert 'Haiku' in out or 'haiku' in out


def test_an_internal_error_log_goes_to_the_given_cache_folder(tmp_path: Path) -> None:
    from review_trigger.errors import write_crash_log

    cache = tmp_path / 'cache'
    try:
        raise RuntimeError('a bug')
    except RuntimeError as e:
        path = write_crash_log(e, {**os.environ, 'XDG_CACHE_HOME': str(cache)})
    assert path == str(cache / 'review-trigger' / 'review-trigger.log')
    text = Path(path).read_text()
    assert 'RuntimeError: a bug' in text
    assert 'git version' in text  # git --version ran with that environment
