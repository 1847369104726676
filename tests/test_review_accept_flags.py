"""``review --accept-reviewed``: a review done by hand calls no reviewer,
so the flags only a call uses are refused (exit 2, one line, nothing
recorded) instead of ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_support import fired as fired  # noqa: F401 (a fixture)
from review_support import records

from review_trigger.__main__ import main

ANSWER = '```json\n' + json.dumps({'verdict': 'PASS', 'summary': 'by hand', 'findings': []}) + '\n```\n'


@pytest.mark.parametrize(
    ('args', 'named'),
    [
        (['--max-cost-usd', '1'], '--max-cost-usd'),
        (['--timeout-s', '5'], '--timeout-s'),
        (['--include-diff', '5000'], '--include-diff'),
        (['--force'], '--force'),
        (['--force', '--timeout-s', '5'], '--timeout-s, --force'),
    ],
)
def test_call_only_flags_are_refused_with_accept_reviewed(
    args: list[str], named: str, fired, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = tmp_path / 'answer.md'
    answer.write_text(ANSWER)
    assert main(['review', '--accept-reviewed', str(answer), *args]) == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1
    assert f'{named} cannot go with --accept-reviewed' in err
    assert records(fired) == []


def test_accept_reviewed_with_the_flags_it_uses_records(
    fired, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = tmp_path / 'answer.md'
    answer.write_text(ANSWER)
    assert main(['review', '--accept-reviewed', str(answer), '--model', 'claude-opus-4-8']) == 0
    [rec] = records(fired)
    assert (rec['verdict'], rec['model']) == ('PASS', 'claude-opus-4-8')
