"""What a run works out from its rules is remembered in the git directory:
read back by the next run for the same Python and the same code, never
trusted when it is not what the function gives."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from review_trigger.memo import Memo

# Each test's repository starts as one the tool never ran in.
pytestmark = pytest.mark.cold_memo


def _never() -> Any:
    raise AssertionError('computed again')


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def test_an_answer_is_remembered_between_runs(tmp_path: Path) -> None:
    source = tmp_path / 'code.py'
    source.write_text('x')
    first = Memo(str(tmp_path))
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return 'answer'

    assert first.get('kind', 'k', compute, str(source), _is_str) == 'answer'
    assert first.get('kind', 'k', _never, str(source), _is_str) == 'answer'
    first.save()
    assert json.loads((tmp_path / 'rules.json').read_text())['kind']['answers'] == {'k': 'answer'}
    # The next run reads it back without computing.
    assert Memo(str(tmp_path)).get('kind', 'k', _never, str(source), _is_str) == 'answer'
    assert calls == [1]


def test_a_changed_function_file_or_a_wrong_answer_is_computed_again(tmp_path: Path) -> None:
    source = tmp_path / 'code.py'
    source.write_text('x')
    memo = Memo(str(tmp_path))
    memo.get('kind', 'k', lambda: 'old', str(source), _is_str)
    memo.save()
    # The code changed (another size and time): its old answers are not read.
    source.write_text('xy')
    os.utime(source, ns=(1, 1))
    assert Memo(str(tmp_path)).get('kind', 'k', lambda: 'new', str(source), _is_str) == 'new'
    # An answer of the wrong shape (a damaged or doctored file) is not used.
    memo = Memo(str(tmp_path))
    memo.get('kind', 'k', lambda: 'new', str(source), _is_str)
    memo.save()
    data = json.loads((tmp_path / 'rules.json').read_text())
    data['kind']['answers']['k'] = 42
    (tmp_path / 'rules.json').write_text(json.dumps(data))
    assert Memo(str(tmp_path)).get('kind', 'k', lambda: 'again', str(source), _is_str) == 'again'


@pytest.mark.parametrize('content', ['not json', '[]', '{"kind": {"stamp": 1}}', '{"kind": []}'])
def test_a_damaged_file_is_ignored_and_written_anew(tmp_path: Path, content: str) -> None:
    source = tmp_path / 'code.py'
    source.write_text('x')
    (tmp_path / 'rules.json').write_text(content)
    memo = Memo(str(tmp_path))
    assert memo.get('kind', 'k', lambda: 'answer', str(source), _is_str) == 'answer'
    memo.save()
    assert Memo(str(tmp_path)).get('kind', 'k', _never, str(source), _is_str) == 'answer'


@pytest.mark.parametrize('name', ['rules.json', 'globs.json'])
def test_a_file_nested_too_deeply_is_ignored_and_written_anew(committed: Any, cli: Any, name: str) -> None:
    """Valid JSON nested deeper than the parser's recursion allows is a
    damaged file like any other: the run's report is the same."""
    committed.stage('src/settings.py', 'password = "hunter2-very-secret"\n')
    first = cli('--format', 'json')
    assert first.code == 0, first.err
    store = committed.path / '.git' / 'review-trigger' / name
    store.write_text('[' * 100_000 + ']' * 100_000)
    again = cli('--format', 'json')
    assert (again.code, again.err, again.out) == (0, first.err, first.out)
    assert isinstance(json.loads(store.read_text()), dict)


def test_a_directory_it_cannot_write_costs_only_time(tmp_path: Path) -> None:
    (tmp_path / 'a-file').write_text('x')
    memo = Memo(str(tmp_path / 'a-file' / 'deeper'))
    assert memo.get('kind', 'k', lambda: 'answer', __file__, _is_str) == 'answer'
    memo.save()  # no error
    assert (tmp_path / 'a-file').read_text() == 'x'
    assert Memo().get('kind', 'k', lambda: 'answer', __file__, _is_str) == 'answer'


def test_a_run_reads_the_supersets_it_remembered(committed: Any) -> None:
    """A change large enough for the RE2 prefilter: the first run writes the
    rules' supersets and literals; a doctored answer of the right shape is
    what the next run uses (so the file is read), and the reports of runs
    with a fresh, a remembered and a removed file are the same."""
    pytest.importorskip('re2')
    from review_trigger.__main__ import main

    for i in range(40):
        committed.write(f'src/mod_{i}.py', ''.join(f'value_{j} = compute({j})\n' for j in range(120)))
    committed.write('src/settings.py', 'password = "hunter2-very-secret"\n' + 'x = 1\n' * 50)
    committed.add()
    committed.commit('many files')
    store = committed.path / '.git' / 'review-trigger' / 'rules.json'

    def run() -> str:
        out = committed.path / 'report.json'
        assert (
            main(['--since', 'HEAD~1', '--format', 'json', '--output', str(out), '-C', str(committed.path)])
            == 0
        )
        return out.read_text()

    first = run()
    saved = json.loads(store.read_text())
    assert any(v for v in saved['checked-superset']['answers'].values()) and 'literal-sets' in saved
    assert run() == first
    # A superset that matches nothing: the credential line is no candidate.
    answers = saved['checked-superset']['answers']
    saved['checked-superset']['answers'] = {k: ('\\x00' if v else v) for k, v in answers.items()}
    store.write_text(json.dumps(saved))
    assert 'hunter2' not in first and run() != first
    # One RE2 refuses (another RE2, a damaged file): every line of the
    # pieces its set matched in is a candidate, and the report is the same.
    saved['checked-superset']['answers'] = {k: ('(' if v else v) for k, v in answers.items()}
    store.write_text(json.dumps(saved))
    assert run() == first
    store.unlink()
    assert run() == first


def test_a_small_change_reads_the_literals_it_remembered(committed: Any) -> None:
    """A hook's change (a few lines, no prefilter): a rule is looked at on
    the lines holding its remembered necessary literals. A doctored answer
    naming a literal no line holds makes the credential line no candidate,
    so the file is read; a removed file gives the first report again."""
    from review_trigger.__main__ import main

    committed.write('src/settings.py', 'password = "hunter2-very-secret"\nx = 1\n')
    committed.add()
    committed.commit('a setting')
    store = committed.path / '.git' / 'review-trigger' / 'rules.json'

    def run() -> str:
        out = committed.path / 'report.json'
        assert main(
            ['--since', 'HEAD~1', '--format', 'json', '--output', str(out), '-C', str(committed.path)]
        ) in (0, 1)
        return out.read_text()

    first = run()
    assert 'credential assignment' in first
    saved = json.loads(store.read_text())
    answers = saved['literal-sets']['answers']
    assert answers and all(isinstance(v, list) for v in answers.values())
    assert run() == first
    # Damaged (not the bytes it stores): computed again.
    saved['literal-sets']['answers'] = {k: [['\u2603'] for _ in v] if v else v for k, v in answers.items()}
    store.write_text(json.dumps(saved))
    assert run() == first
    saved = json.loads(store.read_text())
    saved['literal-sets']['answers'] = {
        k: [['never held'] for _ in v] if v else v for k, v in answers.items()
    }
    store.write_text(json.dumps(saved))
    assert 'credential assignment' not in run()
    store.unlink()
    assert run() == first
