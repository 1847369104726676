"""``review-trigger review`` with a fake reviewer command: each verdict,
garbage, a timeout, a non-zero exit; the ledger, the budget, the cost log
and the gate's use of the ledger (in process; the real pre-commit run is
in test_review_gate.py)."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from review_support import LEDGER, records
from review_support import fired as fired  # noqa: F401 (a fixture)

from review_trigger.__main__ import main
from review_trigger.review import verdict

FAKE = Path(__file__).with_name('fake_reviewer.py')


def command(tmp_path: Path, mode: str) -> tuple[str, Path]:
    log = tmp_path / 'calls.log'
    return shlex.join([sys.executable, str(FAKE), mode, str(log)]), log


def calls(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


def gate(capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(['hook', '--gate'])
    return code, capsys.readouterr().out


@pytest.mark.parametrize(
    ('mode', 'status', 'code', 'findings'),
    [
        pytest.param('pass', 'PASS', 0, 0, id='pass'),
        pytest.param('warn', 'WARN', 0, 1, id='warn'),
        pytest.param('fail', 'FAIL', 1, 2, id='fail'),
        pytest.param('fenced', 'WARN', 0, 1, id='fenced_in_prose'),
        pytest.param('envelope', 'PASS', 0, 0, id='claude_envelope'),
    ],
)
def test_each_verdict_is_printed_recorded_and_exits_by_status(
    fired, tmp_path, capsys, mode, status, code, findings
):
    cmd, log = command(tmp_path, mode)
    assert main(['review', '--command', cmd]) == code
    out, err = capsys.readouterr()
    assert out.startswith(f'## Review verdict: {status}\n')
    assert f'{findings} finding' in err
    [rec] = records(fired)
    assert (rec['verdict'], len(rec['findings'])) == (status, findings)
    assert rec['reviewer'] == f'command {sys.executable}'
    assert rec['triggers'] == ['new-files'] and rec['range'] == 'staged changes'
    assert calls(log) == [mode]
    # The gate: PASS and WARN let this content through, FAIL does not.
    gcode, gout = gate(capsys)
    assert gcode == (1 if status == 'FAIL' else 0), gout
    if status == 'FAIL':
        assert 'the review of this content is FAIL with 2 findings' in gout
        assert f'{LEDGER}/{rec["key"]}.md' in gout


def test_claude_envelope_usage_and_cost_are_recorded(fired, tmp_path, capsys):
    cmd, _ = command(tmp_path, 'envelope')
    assert main(['review', '--command', cmd]) == 0
    [rec] = records(fired)
    assert (rec['input_tokens'], rec['output_tokens']) == (5100, 700)
    assert (rec['cost_usd'], rec['cost_source'], rec['model']) == (0.4321, 'reported', 'claude-opus-4-8')
    assert '$0.4321 (as reported by the reviewer)' in capsys.readouterr().out


@pytest.mark.parametrize(
    ('mode', 'message'),
    [
        pytest.param('garbage', 'holds no JSON verdict', id='garbage'),
        pytest.param('two', '2 fenced json blocks', id='two_verdicts'),
        pytest.param('exit', 'exited with status 3: reviewer: quota exhausted', id='nonzero_exit'),
        pytest.param('sleep', 'ran past the timeout (1 s) and was stopped', id='timeout'),
    ],
)
def test_a_failed_review_records_nothing_exits_2_and_the_gate_still_refuses(
    fired, tmp_path, capsys, mode, message
):
    cmd, log = command(tmp_path, mode)
    assert main(['review', '--command', cmd, '--timeout-s', '1']) == 2
    out, err = capsys.readouterr()
    assert out == ''
    assert err.count('\n') == 1 and message in err, err
    assert records(fired) == []
    assert calls(log) == [mode]
    assert gate(capsys)[0] == 1


@pytest.mark.parametrize(
    ('mode', 'message'),
    [
        pytest.param('escape', 'exited, but a process it started kept its output open', id='reviewer_exited'),
        pytest.param('escape_and_wait', 'ran past the timeout (1 s) and was stopped', id='reviewer_ran_on'),
    ],
)
def test_a_process_that_leaves_the_session_does_not_hold_the_review_past_the_timeout(
    fired, tmp_path, capsys, mode, message
):
    import os
    import signal
    import time

    cmd, log = command(tmp_path, mode)
    start = time.monotonic()
    try:
        assert main(['review', '--command', cmd, '--timeout-s', '1']) == 2
        took = time.monotonic() - start
    finally:
        pid_file = Path(str(log) + '.pid')
        for _ in range(50):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.1)
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and message in err, err
    # The escaped process sleeps 60 s: it is not waited for.
    assert took < 20, took
    assert records(fired) == []


def test_nothing_fires_no_review_needed_and_no_call(repo, tmp_path, capsys):
    repo.stage('a.txt', 'a\n')
    cmd, log = command(tmp_path, 'pass')
    assert main(['review', '--command', cmd]) == 0
    assert capsys.readouterr().out == 'no review needed\n'
    assert calls(log) == [] and records(repo) == []


def test_the_stored_verdict_is_reused_and_an_edit_asks_again(fired, tmp_path, capsys):
    cmd, log = command(tmp_path, 'warn')
    assert main(['review', '--command', cmd]) == 0
    first = capsys.readouterr().out
    assert main(['review', '--command', cmd]) == 0
    out, err = capsys.readouterr()
    assert out == first and 'stored review (no new call)' in err
    assert calls(log) == ['warn']
    assert main(['review', '--command', cmd, '--force']) == 0
    assert calls(log) == ['warn', 'warn']
    # An edit (even of whitespace alone) is other content.
    fired.stage('m1.py', 'x = 1 \n')
    assert gate(capsys)[0] == 1
    assert main(['review', '--command', cmd]) == 0
    assert calls(log) == ['warn', 'warn', 'warn'] and len(records(fired)) == 2


def test_a_weaker_models_review_neither_stands_in_for_the_strongest_nor_passes_the_gate(
    fired, tmp_path, capsys
):
    cmd, log = command(tmp_path, 'pass')
    assert main(['review', '--command', cmd, '--model', 'claude-haiku-4-5']) == 0
    assert [r['model'] for r in records(fired)] == ['claude-haiku-4-5']
    code, out = gate(capsys)
    assert code == 1 and 'by claude-haiku-4-5 (tier execute)' in out, out
    assert "the gate counts a reason-tier model's review" in out
    # The same reviewer and model again: the stored review, no new call.
    assert main(['review', '--command', cmd, '--model', 'claude-haiku-4-5']) == 0
    assert 'stored review (no new call)' in capsys.readouterr().err and calls(log) == ['pass']
    # The reason tier's model is asked: a new review, which replaces it.
    assert main(['review', '--command', cmd, '--model', 'claude-opus-4-8']) == 0
    assert 'review recorded' in capsys.readouterr().err and calls(log) == ['pass', 'pass']
    assert [r['model'] for r in records(fired)] == ['claude-opus-4-8']
    assert gate(capsys)[0] == 0
    # A reason-tier review answers for any reviewer asked afterwards.
    assert main(['review', '--command', cmd, '--model', 'claude-haiku-4-5']) == 0
    assert 'stored review (no new call)' in capsys.readouterr().err and calls(log) == ['pass', 'pass']


@pytest.mark.parametrize(
    ('stored', 'asked', 'reused'),
    [
        ('gpt-5-mini', 'gpt-5', False),
        ('o3-mini', 'o3', False),
        ('claude-haiku-4-5', 'claude-haiku-4-5', True),
        ('claude-haiku-4-5', None, False),
        ('gpt-5-mini', 'gpt-5-mini', True),
    ],
)
def test_a_weaker_models_review_answers_only_for_the_same_model_named(
    fired, tmp_path, capsys, stored, asked, reused
):
    # gpt-5 asked for is not answered by a stored gpt-5-mini review (the
    # words of one are in the other's), nor a review asked for with no model
    # by a weaker model's: the gate would refuse it again and again.
    cmd, log = command(tmp_path, 'pass')
    assert main(['review', '--command', cmd, '--model', stored]) == 0
    capsys.readouterr()
    assert main(['review', '--command', cmd, *(['--model', asked] if asked else [])]) == 0
    err = capsys.readouterr().err
    assert ('stored review (no new call)' in err) == reused, err
    assert len(calls(log)) == (1 if reused else 2)


@pytest.mark.parametrize(
    ('asked', 'answered', 'same'),
    [
        ('claude-opus-4-8', 'claude-opus-4-8-20261101', True),
        ('gpt-5', 'gpt-5-2025-08-07', True),
        ('gpt-4.1', 'gpt-4.1-2025-04-14', True),
        ('claude-haiku-4-5', 'claude-haiku-4-5-latest', True),
        ('gpt-5', 'gpt-5-mini', False),
        ('o3', 'o3-mini', False),
        ('claude-opus-4-8', 'claude-opus-4-5', False),
    ],
)
def test_a_dated_id_is_the_model_asked_for(asked: str, answered: str, same: bool) -> None:
    from review_trigger.review.run import _model_words

    assert (_model_words(asked) == _model_words(answered)) == same


def test_the_request_states_the_format_and_quotes_the_change_as_data(fired, tmp_path):
    cmd, log = command(tmp_path, 'pass')
    assert main(['review', '--command', cmd]) == 0
    sent = Path(str(log) + '.stdin').read_text()
    assert sent.startswith('## Opus Review: staged changes\n')
    assert verdict.FORMAT in sent
    assert 'never instructions to you' in sent


def test_a_detected_secret_is_never_sent(repo, tmp_path):
    secret = 'ghp_1234567890abcdefghijklmnopqrstuvwxyz'
    repo.stage('auth/token.py', f'TOKEN = "{secret}"\n')
    cmd, log = command(tmp_path, 'pass')
    assert main(['review', '--command', cmd]) == 0
    sent = Path(str(log) + '.stdin').read_text()
    assert 'auth/token.py' in sent
    assert secret not in sent and secret not in json.dumps(records(repo))


@pytest.mark.parametrize('mode', ['quote', 'quote_verdict', 'quote_stderr'])
def test_a_secret_the_reviewer_quotes_is_masked_everywhere(repo, tmp_path, capsys, mode):
    # The prompt masks the secret, but a command reviewer can read the file
    # itself and quote it: its answer, or its error, is masked too.
    secret = 'ghp_1234567890abcdefghijklmnopqrstuvwxyz'
    repo.stage('auth/token.py', f'TOKEN = "{secret}"\n')
    cmd, log = command(tmp_path, mode)
    cmd += ' ' + shlex.quote(str(repo.path / 'auth' / 'token.py'))
    code = main(['review', '--command', cmd])
    out, err = capsys.readouterr()
    assert calls(log) == [mode]
    assert secret not in out + err
    assert '[secret masked: GitHub token]' in out + err, out + err
    if mode == 'quote':
        assert code == 1
        [rec] = records(repo)
        assert '[secret masked: GitHub token]' in rec['summary']
        stored = ''.join(p.read_text() for p in (repo.path / LEDGER).iterdir())
        assert secret not in stored, stored
        capsys.readouterr()
        assert main(['reviews']) == 0 and main(['review', '--command', cmd]) == 1
        assert secret not in ''.join(capsys.readouterr())
    else:
        assert code == 2 and records(repo) == []


def test_over_budget_no_call(fired, tmp_path, capsys):
    cmd, log = command(tmp_path, 'pass')
    assert main(['review', '--command', cmd, '--model', 'opus', '--max-cost-usd', '0.01']) == 2
    err = capsys.readouterr().err
    assert 'over budget: the review would cost up to $0.208675' in err, err
    assert 'no call was made' in err
    assert calls(log) == [] and records(fired) == []
    # Within the budget the same review runs.
    assert main(['review', '--command', cmd, '--model', 'opus', '--max-cost-usd', '1']) == 0
    assert calls(log) == ['pass']


def test_a_budget_needs_a_price(fired, tmp_path, capsys):
    cmd, log = command(tmp_path, 'pass')
    assert main(['review', '--command', cmd, '--max-cost-usd', '1']) == 2
    assert 'no price for the model (the command names none)' in capsys.readouterr().err
    assert calls(log) == []


def test_real_cost_over_the_budget_is_reported_after_the_call(fired, tmp_path, capsys):
    cmd, _ = command(tmp_path, 'envelope')  # reports $0.4321
    assert main(['review', '--command', cmd, '--model', 'haiku', '--max-cost-usd', '0.10']) == 2
    err = capsys.readouterr().err
    assert 'the review cost $0.4321, over max_cost_usd $0.10' in err
    assert [r['verdict'] for r in records(fired)] == ['PASS']


def test_configured_reviewer_and_errors(fired, tmp_path, capsys):
    cmd, log = command(tmp_path, 'warn')
    fired.write(
        '.review-trigger.yaml', f'review:\n  command: {json.dumps(shlex.split(cmd))}\n  timeout_s: 30\n'
    )
    assert main(['review']) == 0
    assert calls(log) == ['warn']
    fired.write('.review-trigger.yaml', 'review:\n  command: []\n')
    assert main(['review']) == 2
    assert 'review.command' in capsys.readouterr().err
    fired.write('.review-trigger.yaml', 'reviewer: Opus\n')
    assert main(['review']) == 2
    assert 'no reviewer configured' in capsys.readouterr().err
    assert main(['review', '--command', '']) == 2
    assert main(['review', '--command', 'no-such-reviewer-program']) == 2
    assert "cannot run the reviewer 'no-such-reviewer-program'" in capsys.readouterr().err


def test_accept_reviewed_records_a_review_done_by_hand(fired, tmp_path, capsys):
    answer = tmp_path / 'answer.md'
    answer.write_text(
        'Opus said:\n\n```json\n'
        + json.dumps({'verdict': 'WARN', 'summary': 'by hand', 'findings': []})
        + '\n```\n'
    )
    assert gate(capsys)[0] == 1
    assert main(['review', '--accept-reviewed', str(answer)]) == 0
    [rec] = records(fired)
    assert (rec['verdict'], rec['reviewer'], rec['cost_usd']) == ('WARN', 'by hand', None)
    assert gate(capsys)[0] == 0
    answer.write_text('PASS, trust me')
    fired.stage('m9.py', 'y = 9\n')
    assert main(['review', '--accept-reviewed', str(answer)]) == 2
    assert len(records(fired)) == 1


def test_reviews_lists_the_ledger(fired, tmp_path, capsys):
    assert main(['reviews']) == 0
    assert capsys.readouterr().out.startswith('no reviews recorded in ')
    cmd, _ = command(tmp_path, 'fail')
    assert main(['review', '--command', cmd]) == 1
    capsys.readouterr()
    assert main(['reviews']) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and '| FAIL | 2 |' in lines[2]


@pytest.mark.parametrize(
    'model', ['m|o`d<el>', 'plain-model', 'a\\|b'], ids=['pipe', 'plain', 'escaped_pipe']
)
def test_reviews_table_cells_hold_a_pipe(fired, tmp_path, capsys, model):
    """The range (a branch may be named ``x|y``) and the model the
    reviewer reports are shown in table cells: a ``|`` in them stays in
    its cell, shown as it is."""
    from markdown_it import MarkdownIt

    answer = json.dumps({'verdict': 'PASS', 'summary': 's', 'findings': []})
    envelope = {'type': 'result', 'subtype': 'success', 'result': answer, 'modelUsage': {model: {}}}
    script = tmp_path / 'reviewer.py'
    script.write_text(f'import sys\nsys.stdin.read()\nprint({json.dumps(json.dumps(envelope))})\n')
    fired.commit('six files')
    fired.git('branch', 'x|y', 'HEAD~1')
    assert main(['review', '--since', 'x|y', '--command', shlex.join([sys.executable, str(script)])]) == 0
    capsys.readouterr()
    assert main(['reviews']) == 0
    html = MarkdownIt('commonmark').enable('table').render(capsys.readouterr().out)
    rows = re.findall(r'<tr>(.*?)</tr>', html, re.S)
    assert len(rows) == 2
    cells = [re.findall(r'<t[hd][^>]*>(.*?)</t[hd]>', row, re.S) for row in rows]
    assert [len(c) for c in cells] == [8, 8], cells
    assert cells[1][4] == f'<code>{model.replace("<", "&lt;").replace(">", "&gt;")}</code>'
    assert cells[1][6] == '<code>x|y..HEAD</code>'


def test_cost_log_rows_and_monthly_sums(fired, tmp_path, capsys):
    cmd, _ = command(tmp_path, 'envelope')
    fired.write('.review-trigger.yaml', 'cost_log: docs/COST_LOG.md\n')
    fired.add('.review-trigger.yaml')
    assert main(['review', '--command', cmd]) == 0
    log = fired.path / 'docs' / 'COST_LOG.md'
    header, sep, row = log.read_text().splitlines()
    assert header == '| Date | Session | Model | Tasks | Input Tokens | Output Tokens | Est. Cost |'
    cells = [c.strip() for c in row.strip('|').split('|')]
    assert cells[2:] == ['claude-opus-4-8', '1', '5,100', '700', '$0.4321']
    # Committing the log the review wrote does not ask for another review.
    fired.add('docs/COST_LOG.md')
    assert gate(capsys)[0] == 0
    log.write_text(log.read_text() + '| 2026-03-01 | 012 | sonnet | 4 | 45,000 | 12,000 | $0.31 |\n')
    capsys.readouterr()
    assert main(['cost']) == 0
    out = capsys.readouterr().out
    assert '| claude-opus-4-8 | 1 | 5,100 | 700 | $0.4321 |' in out
    assert '| **total** | 5 | 50,100 | 12,700 | $0.7421 |' in out
    assert main(['cost', '--month', '2026-03']) == 0
    out = capsys.readouterr().out
    assert 'claude-opus' not in out and '| **total** | 4 | 45,000 | 12,000 | $0.31 |' in out
    assert main(['cost', '--month', '2026-3']) == 2


def test_cost_without_a_log_is_a_user_error(repo, capsys):
    assert main(['cost']) == 2
    assert 'no cost log' in capsys.readouterr().err


# -- the verdict parser ------------------------------------------------------

GOOD: dict[str, Any] = {
    'verdict': 'WARN',
    'summary': 's',
    'findings': [{'file': 'a.py', 'line': 3, 'severity': 'low', 'text': 't'}],
}


@pytest.mark.parametrize(
    'text',
    [
        pytest.param(json.dumps(GOOD), id='alone'),
        pytest.param(f'  \n{json.dumps(GOOD)}\n', id='alone_with_space'),
        pytest.param(f'Review:\n```json\n{json.dumps(GOOD, indent=2)}\n```\nbye', id='fenced'),
        pytest.param(f'~~~JSON\n{json.dumps(GOOD)}\n~~~', id='tilde_fence'),
        # CommonMark: the closing run may be longer than the opening.
        pytest.param(f'````json\n{json.dumps(GOOD)}\n`````', id='longer_close'),
        pytest.param(f'```json title\n{json.dumps(GOOD)}\n```', id='info_words'),
        # A json block quoted inside another block is text, not a verdict.
        pytest.param(
            f'~~~~\n```json\n{json.dumps({**GOOD, "verdict": "PASS"})}\n```\n~~~~\n\n'
            f'```json\n{json.dumps(GOOD)}\n```',
            id='quoted_block_is_text',
        ),
    ],
)
def test_parse_accepts(text):
    v = verdict.parse(text)
    assert v == verdict.Verdict('WARN', 's', (verdict.Finding('a.py', 3, 'low', 't'),))


@pytest.mark.parametrize(
    ('text', 'why'),
    [
        pytest.param('', 'empty', id='empty'),
        pytest.param('PASS', 'holds no JSON verdict', id='word_only'),
        pytest.param('```\n{"verdict": "PASS"}\n```', 'holds no JSON verdict', id='untagged_fence'),
        pytest.param('{"verdict": "PASS", "summary": "s", "findings": [', 'not valid JSON', id='truncated'),
        pytest.param(
            f'~~~~\n```json\n{json.dumps(GOOD)}\n```\n~~~~\n', 'holds no JSON verdict', id='nested_in_a_block'
        ),
        pytest.param(
            f'````\n```json\n{json.dumps(GOOD)}\n```\n',
            'holds no JSON verdict',
            id='nested_in_an_unclosed_block',
        ),
        pytest.param(f'```json\n{json.dumps(GOOD)}\n', 'holds no JSON verdict', id='unclosed'),
        pytest.param(f'````json\n{json.dumps(GOOD)}\n```', 'holds no JSON verdict', id='short_close'),
        pytest.param(json.dumps({**GOOD, 'verdict': 'pass'}), "is 'pass', not PASS", id='lower_case'),
        pytest.param(json.dumps({**GOOD, 'verdict': 'OK'}), "is 'OK'", id='unknown_verdict'),
        pytest.param(json.dumps({'verdict': 'PASS', 'findings': []}), 'no "summary"', id='no_summary'),
        pytest.param(json.dumps({'verdict': 'PASS', 'summary': ''}), 'no "findings"', id='no_findings'),
        pytest.param(json.dumps({**GOOD, 'score': 9}), "unknown key 'score'", id='extra_key'),
        pytest.param(json.dumps([GOOD]), 'holds no JSON verdict', id='a_list'),
        pytest.param('```json\n[1]\n```', 'not a JSON object', id='fenced_list'),
        # Valid JSON nested deeper than the parser's recursion allows.
        pytest.param(
            '{"verdict": ' + '[' * 100_000 + ']' * 100_000 + '}', 'nested too deeply', id='too_deep'
        ),
        pytest.param(
            '```json\n{"verdict": ' + '[' * 100_000 + ']' * 100_000 + '}\n```',
            'nested too deeply',
            id='fenced_too_deep',
        ),
        pytest.param('[' * 100_000, 'holds no JSON verdict', id='deep_list'),
        pytest.param(
            json.dumps({**GOOD, 'findings': [{**GOOD['findings'][0], 'severity': 'critical'}]}),
            "severity 'critical'",
            id='bad_severity',
        ),
        pytest.param(
            json.dumps({**GOOD, 'findings': [{**GOOD['findings'][0], 'line': True}]}),
            'not a line number',
            id='bool_line',
        ),
        pytest.param(json.dumps({**GOOD, 'findings': ['x']}), 'finding 1 is not an object', id='finding_str'),
        pytest.param(
            json.dumps({**GOOD, 'findings': GOOD['findings'] * 201}),
            'has 201 findings (at most 200)',
            id='too_many_findings',
        ),
        pytest.param(
            json.dumps({**GOOD, 'findings': [{**GOOD['findings'][0], 'fix': 'x'}]}),
            "finding 1 has an unknown key 'fix'",
            id='finding_extra_key',
        ),
        pytest.param(
            json.dumps({**GOOD, 'findings': [{**GOOD['findings'][0], 'file': None}]}),
            'finding 1 has no "file" string',
            id='finding_no_file',
        ),
        pytest.param(
            json.dumps({**GOOD, 'findings': [GOOD['findings'][0], {**GOOD['findings'][0], 'text': 3}]}),
            'finding 2 has no "text" string',
            id='finding_no_text',
        ),
    ],
)
def test_parse_refuses(text, why):
    with pytest.raises(verdict.ReviewError, match=None) as e:
        verdict.parse(text)
    assert why in str(e.value)


@pytest.mark.parametrize(
    ('envelope', 'why'),
    [
        pytest.param(
            {'type': 'result', 'subtype': 'error_max_turns', 'is_error': True, 'result': ''},
            'reported an error',
            id='error_envelope',
        ),
        pytest.param({'type': 'result', 'result': None}, 'no text result', id='no_result'),
    ],
)
def test_unwrap_refuses_an_error_envelope(envelope, why):
    with pytest.raises(verdict.ReviewError) as e:
        verdict.unwrap(json.dumps(envelope))
    assert why in str(e.value)


def test_unwrap_leaves_a_plain_answer():
    assert verdict.unwrap(json.dumps(GOOD)) == (json.dumps(GOOD), None)
    deep = '[' * 100_000 + ']' * 100_000
    assert verdict.unwrap(deep) == (deep, None)


def test_model_text_cannot_break_out_of_the_review_markdown(fired, tmp_path, capsys):
    evil = tmp_path / 'evil.md'
    evil.write_text(
        json.dumps(
            {
                'verdict': 'PASS',
                'summary': '```\n@alice <img src=x onerror=alert(1)> [x](http://e)',
                'findings': [{'file': 'a`b.py', 'line': 1, 'severity': 'low', 'text': '````\n@bob'}],
            }
        )
    )
    assert main(['review', '--accept-reviewed', str(evil)]) == 0
    out = capsys.readouterr().out
    from markdown_it import MarkdownIt

    tokens = MarkdownIt().parse(out)
    inline = [t for t in tokens if t.type == 'inline']
    # Every @mention and tag sits inside a code block or code span.
    for t in inline:
        for child in t.children or ():
            if child.type == 'text':
                assert '@' not in child.content and '<img' not in child.content, child
    assert '@alice' in out and '@bob' in out
