"""The JSON report is written in pieces, and the pieces make exactly the text
CPython's ``json.dumps(report, indent=2, ensure_ascii=True)`` makes."""

from __future__ import annotations

import json
from typing import Any

from conftest import Repo
from hypothesis import given, settings
from hypothesis import strategies as st

from review_trigger import pipeline, report
from review_trigger.__main__ import main


def reference(data: dict[str, Any]) -> str:
    return json.dumps(report.plain(data), indent=2, ensure_ascii=True) + '\n'


# Every character, lone surrogates included (file names that are not UTF-8
# arrive as surrogate escapes).
_text = st.text(st.characters(blacklist_categories=()), max_size=8)
_scalars = st.none() | st.booleans() | st.integers() | _text | st.floats(allow_nan=True, allow_infinity=True)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.lists(inner, max_size=4).map(lambda xs: report.Rows(xs, lambda x: x))
        | st.dictionaries(_text, inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_text, _values, max_size=6))
def test_pieces_are_the_reference_encoding(data: dict[str, Any]) -> None:
    pieces = list(report.chunks(data))
    assert ''.join(pieces) == reference(data)
    # Nothing is lost or repeated when the rows are made again.
    assert report.dumps(data) == reference(data)


def test_keys_that_are_not_strings_take_the_reference_encoder() -> None:
    data = {'a': {1: 'one', False: [], None: {'b': 2.5}}, 'c': [{2: 'x'}, []]}
    assert report.dumps(data) == reference(data)


def test_rows_are_made_while_writing() -> None:
    made: list[int] = []

    def row(i: int) -> dict[str, Any]:
        made.append(i)
        return {'path': f'f{i}', 'n': i}

    data = {'changes': report.Rows(range(20_000), row), 'end': True}
    pieces = report.chunks(data)
    first = next(pieces)
    # The first piece is out before most rows exist.
    assert first.startswith('{\n  "changes": [\n    {\n      "path": "f0",')
    assert 0 < len(made) < 20_000
    rest = ''.join(pieces)
    assert len(made) == 20_000
    assert json.loads(first + rest)['changes'][-1] == {'path': 'f19999', 'n': 19999}


def _fire(repo: Repo) -> None:
    repo.stage('README.md', '# project\n')
    repo.commit('initial')
    repo.stage('src/auth/login.py', 'password = "hunter2"\ndef login():\n    return 1\n')
    repo.stage('docs/caf\u00e9 \u2603.md', 'caf\u00e9\n')
    repo.stage('package.json', '{"dependencies": {"left-pad": "1.0.0"}}\n')
    repo.git('mv', 'README.md', 'READ ME.md')
    repo.commit('change')


def test_report_of_a_real_change_is_the_reference(repo: Repo) -> None:
    _fire(repo)
    outcome = pipeline.run(pipeline.Request(since='HEAD~1', environ={}))
    assert outcome.analysis.findings, 'the change must fire triggers'
    data = report.document(outcome.analysis, outcome.session, outcome.prompt)
    data.update(outcome.facts)
    assert pipeline.report_json(outcome) == reference(data)
    assert report.build(outcome.analysis, outcome.session, outcome.prompt) == {
        k: v for k, v in json.loads(reference(data)).items() if k not in outcome.facts
    }


def test_cli_writes_the_same_report_to_stdout_and_to_a_file(repo: Repo, capsys: Any) -> None:
    _fire(repo)
    assert main(['--since', 'HEAD~1', '--format', 'json']) == 0
    out = capsys.readouterr().out
    assert main(['--since', 'HEAD~1', '--format', 'json', '--output', 'r.json']) == 0
    assert (repo.path / 'r.json').read_text(encoding='utf-8') == out
    assert json.loads(out)['changes']
