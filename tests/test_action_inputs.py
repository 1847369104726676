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
