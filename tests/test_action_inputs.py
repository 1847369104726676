"""The Action refuses inputs that its mode would ignore."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Repo

from review_trigger.__main__ import main


def _environ(tmp_path: Path, **inputs: str) -> dict[str, str]:
    event = tmp_path / 'event.json'
    event.write_text(json.dumps({'workflow_run': {'head_sha': '0' * 40, 'event': 'pull_request'}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(('GITHUB_', 'INPUT_'))}
    env.update(
        GITHUB_EVENT_PATH=str(event),
        GITHUB_EVENT_NAME='workflow_run',
        GITHUB_REPOSITORY='octo/app',
        RUNNER_TEMP=str(tmp_path),
        INPUT_TOKEN='x',
    )
    env.update({f'INPUT_{k.upper()}': v for k, v in inputs.items()})
    return env


def test_review_with_from_report_is_refused(
    committed: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / 'report.json'
    report.write_text('{}')
    code = main(['github', '--from-report', str(report)], _environ(tmp_path, review='true'))
    err = capsys.readouterr().err
    assert code == 2
    assert 'review: true does not go with from-report' in err
    assert len(err.splitlines()) == 1


def test_from_report_without_review_reads_the_report(
    committed: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same run without the review input gets past that check: to the
    report, which is refused for what it is."""
    report = tmp_path / 'report.json'
    report.write_text('{}')
    code = main(['github', '--from-report', str(report)], _environ(tmp_path, review='false'))
    err = capsys.readouterr().err
    assert code == 2
    assert 'review: true' not in err
    assert 'report: version must be 1' in err


def _pull_request_environ(repo: Repo, tmp_path: Path, **env: str) -> dict[str, str]:
    """A pull_request run on ``repo`` whose analysis would succeed: base the
    first commit, head a second that fires the security trigger."""
    base = repo.git('rev-parse', 'HEAD').strip()
    repo.write(
        'src/auth/oauth.py', 'import jwt\n\n\ndef exchange(code):\n    return jwt.encode({"c": code}, "k")\n'
    )
    repo.add()
    repo.commit('Add OAuth')
    head = repo.git('rev-parse', 'HEAD').strip()
    side = {'ref': 'x', 'repo': {'full_name': 'octo/app'}}
    event = tmp_path / 'pr-event.json'
    event.write_text(
        json.dumps(
            {'pull_request': {'number': 7, 'base': {**side, 'sha': base}, 'head': {**side, 'sha': head}}}
        )
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(('GITHUB_', 'INPUT_'))}
    environ.update(
        GITHUB_EVENT_PATH=str(event),
        GITHUB_EVENT_NAME='pull_request',
        GITHUB_REPOSITORY='octo/app',
        RUNNER_TEMP=str(tmp_path),
        INPUT_COMMENT='false',
    )
    environ.update(env)
    return environ


def _refused(environ: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(['github'], environ)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert len(captured.err.splitlines()) == 1
    assert 'internal error' not in captured.err
    # Refused before any work: no report, no prompt.
    assert not (tmp_path / 'review-trigger').exists()
    return captured.err


def test_the_environment_analyses_when_good(
    committed: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The environment the tests below spoil: as it is, the analysis runs."""
    environ = _pull_request_environ(committed, tmp_path, INPUT_COMMENT_MODE='delete')
    assert main(['github'], environ) == 0
    assert json.loads((tmp_path / 'review-trigger' / 'report.json').read_text())['triggered']


@pytest.mark.parametrize('mode', ['bogus', 'Delete', 'UPDATE'])
def test_an_invalid_comment_mode_is_refused_before_any_work(
    committed: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    environ = _pull_request_environ(committed, tmp_path, INPUT_COMMENT_MODE=mode)
    err = _refused(environ, tmp_path, capsys)
    assert err == f'review-trigger: error: input comment-mode must be update or delete, not {mode!r}\n'


@pytest.mark.parametrize(
    ('name', 'value', 'said'),
    [
        ('INPUT_REVIEW', 'yes', "input review must be true or false, not 'yes'"),
        ('INPUT_FAIL_ON_TRIGGER', '1', "input fail-on-trigger must be true or false, not '1'"),
        ('INPUT_INCLUDE_DIFF', 'lots', 'input include-diff must be true, false or a token budget'),
        ('INPUT_MAX_FETCH_DEPTH', '-5', 'input max-fetch-depth must be a whole number >= 0'),
        (
            'REVIEW_TRIGGER_MAX_RETRY_WAIT',
            'abc',
            "REVIEW_TRIGGER_MAX_RETRY_WAIT must be a number of seconds >= 0, not 'abc'",
        ),
        (
            'REVIEW_TRIGGER_MAX_RETRY_WAIT',
            '-1',
            "REVIEW_TRIGGER_MAX_RETRY_WAIT must be a number of seconds >= 0, not '-1'",
        ),
        ('REVIEW_TRIGGER_MAX_RETRY_WAIT', 'nan', 'REVIEW_TRIGGER_MAX_RETRY_WAIT must be a number'),
        (
            'GITHUB_API_URL',
            '',
            "GITHUB_API_URL must be an http(s) URL such as https://api.github.com, not ''",
        ),
        (
            'GITHUB_API_URL',
            'ftp://x',
            "GITHUB_API_URL must be an http(s) URL such as https://api.github.com, not 'ftp://x'",
        ),
        ('GITHUB_API_URL', 'https://', 'GITHUB_API_URL must be an http(s) URL'),
    ],
)
def test_a_bad_input_or_environment_value_is_refused_before_any_work(
    committed: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, value: str, said: str
) -> None:
    # The comment is on, so that the API's address and waits would be used.
    environ = _pull_request_environ(
        committed, tmp_path, INPUT_COMMENT='true', INPUT_TOKEN='t', **{name: value}
    )
    err = _refused(environ, tmp_path, capsys)
    assert err.startswith(f'review-trigger: error: {said}'), err


@pytest.mark.parametrize(
    'name', ['REVIEW_TRIGGER_MAX_RETRY_WAIT', 'INPUT_REVIEW', 'INPUT_MAX_FETCH_DEPTH', 'GITHUB_API_URL']
)
def test_a_refused_value_with_a_secret_shape_is_masked_everywhere(
    committed: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    token = 'ghp_' + 'aBcD1234' * 4 + '6789'
    summary = tmp_path / 'summary.md'
    environ = _pull_request_environ(
        committed,
        tmp_path,
        INPUT_COMMENT='true',
        INPUT_TOKEN='t',
        GITHUB_STEP_SUMMARY=str(summary),
        **{name: token},
    )
    code = main(['github'], environ)
    captured = capsys.readouterr()
    assert code == 2
    said = captured.out + captured.err + summary.read_text()
    assert '::error' in captured.out and '## review-trigger: error' in said
    assert '[secret masked: GitHub token]' in said
    assert 'aBcD1234' not in said
