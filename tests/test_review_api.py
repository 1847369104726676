"""The API reviewers against fake Anthropic Messages and OpenAI Chat
Completions servers on 127.0.0.1: usage, 429 with retry-after, 500, a
truncated body, a missing key. No test calls a real model."""

from __future__ import annotations

import json

import pytest
from fake_models import Reply
from fake_models import models as models  # noqa: F401 (a fixture)
from review_support import LEDGER, records
from review_support import fired as fired  # noqa: F401 (a fixture)

from review_trigger.__main__ import main

KEY = 'sk-test-not-a-real-key-0123456789'
WARN = json.dumps(
    {
        'verdict': 'WARN',
        'summary': 'api summary',
        'findings': [{'file': 'm1.py', 'line': 1, 'severity': 'low', 'text': 't'}],
    }
)


@pytest.fixture(params=['anthropic', 'openai'])
def api(request, models, monkeypatch):  # noqa: F811
    name = request.param
    for var in (
        'ANTHROPIC_API_KEY',
        'OPENAI_API_KEY',
        'ANTHROPIC_BASE_URL',
        'OPENAI_BASE_URL',
        'ANTHROPIC_AUTH_TOKEN',
    ):
        monkeypatch.delenv(var, raising=False)
    if name == 'anthropic':
        monkeypatch.setenv('ANTHROPIC_API_KEY', KEY)
        monkeypatch.setenv('ANTHROPIC_BASE_URL', models.url)
    else:
        monkeypatch.setenv('OPENAI_API_KEY', KEY)
        monkeypatch.setenv('OPENAI_BASE_URL', models.url + '/v1')
    return name


def test_api_review_records_usage_and_cost(fired, api, models, capsys):
    models.queue(Reply(text=f'Here it is.\n```json\n{WARN}\n```', input_tokens=1234, output_tokens=567))
    assert main(['review', '--api', api]) == 0
    out, err = capsys.readouterr()
    assert out.startswith('## Review verdict: WARN\n')
    [seen] = models.seen
    model = 'claude-opus-4-8' if api == 'anthropic' else 'gpt-5'
    assert seen.path == ('/v1/messages' if api == 'anthropic' else '/v1/chat/completions')
    assert seen.body['model'] == model
    text = json.dumps(seen.body)
    assert 'Answer format (required)' in text and '## Opus Review: staged changes' in text
    [rec] = records(fired)
    assert (rec['input_tokens'], rec['output_tokens'], rec['model']) == (1234, 567, model)
    price = (5.0, 25.0) if api == 'anthropic' else (1.25, 10.0)
    assert rec['cost_usd'] == pytest.approx((1234 * price[0] + 567 * price[1]) / 1e6)
    assert rec['cost_source'] == 'estimated' and rec['reviewer'] == f'{api} API'
    # The key went in a header, never into the request body, the output or the ledger.
    assert KEY not in text and KEY not in out + err
    assert KEY not in (fired.path / LEDGER).joinpath(rec['key'] + '.json').read_text()


def test_model_override(fired, api, models):
    assert main(['review', '--api', api, '--model', 'claude-haiku-4-5']) == 0
    assert models.seen[0].body['model'] == 'claude-haiku-4-5'


def test_429_with_retry_after_is_retried(fired, api, models, capsys):
    models.queue(Reply(status=429, headers=(('retry-after', '0'),)), Reply(text=WARN))
    assert main(['review', '--api', api]) == 0
    err = capsys.readouterr().err
    assert len(models.seen) == 2
    assert 'HTTP 429 from the' in err and 'retrying in 0 s (1 of 3)' in err
    assert [r['verdict'] for r in records(fired)] == ['WARN']


def test_retry_after_longer_than_the_timeout_gives_up_at_once(fired, api, models, capsys):
    models.queue(Reply(status=429, headers=(('retry-after', '120'),)))
    assert main(['review', '--api', api, '--timeout-s', '5']) == 2
    assert 'failed after 1 attempt: HTTP 429' in capsys.readouterr().err
    assert len(models.seen) == 1 and records(fired) == []


def test_500_after_every_retry_records_nothing(fired, api, models, capsys):
    fired.write('.review-trigger.yaml', 'review:\n  retries: 2\n')
    models.queue(*[Reply(status=500, headers=(('retry-after', '0'),))] * 3)
    assert main(['review', '--api', api]) == 2
    err = capsys.readouterr().err
    assert 'failed after 3 attempts: HTTP 500' in err
    assert len(models.seen) == 3 and records(fired) == []


def test_truncated_body_is_an_error(fired, api, models, capsys):
    fired.write('.review-trigger.yaml', 'review:\n  retries: 0\n')
    models.queue(Reply(text=WARN, truncated=True))
    assert main(['review', '--api', api]) == 2
    assert 'no complete answer from the' in capsys.readouterr().err
    assert records(fired) == []


def test_truncated_then_whole_is_retried(fired, api, models):
    models.queue(Reply(text=WARN, truncated=True), Reply(text=WARN))
    assert main(['review', '--api', api]) == 0
    assert len(models.seen) == 2 and len(records(fired)) == 1


def test_garbage_answer_is_an_error(fired, api, models, capsys):
    models.queue(Reply(text='LGTM, PASS'))
    assert main(['review', '--api', api]) == 2
    assert 'holds no JSON verdict' in capsys.readouterr().err
    assert records(fired) == []


def test_refused_key_is_not_retried(fired, api, models, capsys):
    models.queue(Reply(status=401))
    assert main(['review', '--api', api]) == 2
    assert 'HTTP 401' in capsys.readouterr().err and len(models.seen) == 1


def test_missing_key_makes_no_request(fired, api, models, monkeypatch, capsys):
    monkeypatch.delenv('ANTHROPIC_API_KEY', raising=False)
    monkeypatch.delenv('OPENAI_API_KEY', raising=False)
    assert main(['review', '--api', api]) == 2
    assert '_API_KEY is not set' in capsys.readouterr().err
    assert models.seen == []


def test_over_budget_makes_no_request(fired, api, models, capsys):
    assert main(['review', '--api', api, '--max-cost-usd', '0.001']) == 2
    assert 'over budget' in capsys.readouterr().err
    assert models.seen == []


def test_base_url_from_the_configuration(fired, models, monkeypatch):
    monkeypatch.setenv('ANTHROPIC_API_KEY', KEY)
    monkeypatch.delenv('ANTHROPIC_BASE_URL', raising=False)
    fired.write(
        '.review-trigger.yaml',
        f'review:\n  api: anthropic\n  base_url: {models.url}\n  model: claude-sonnet-4-6\n',
    )
    assert main(['review']) == 0
    assert models.seen[0].body['model'] == 'claude-sonnet-4-6'


def test_routing_changes_the_default_reviewer(fired, api, models):
    """The default review model is the routing table's reason tier's, so the
    configuration's ``routing:`` changes it (and the prompt's heading)."""
    fired.write(
        '.review-trigger.yaml',
        (
            'routing:\n  tiers:\n    reason:\n      model: Deep Thought\n'
            '      extra_api:\n        anthropic: claude-opus-9\n        openai: o9\n'
        ),
    )
    models.queue(Reply(text=WARN))
    assert main(['review', '--api', api]) == 0
    [seen] = models.seen
    assert seen.body['model'] == ('claude-opus-9' if api == 'anthropic' else 'o9')
    assert '## Deep Thought Review: staged changes' in json.dumps(seen.body)


def test_a_table_without_an_api_model_asks_for_one(fired, api, models, capsys):
    fired.write('.review-trigger.yaml', 'routing:\n  tiers:\n    reason:\n      api: {}\n')
    assert main(['review', '--api', api]) == 2
    assert f'routing.tiers.reason.api.{api}' in capsys.readouterr().err
    assert models.seen == []


@pytest.mark.parametrize(
    ('stop', 'refusal', 'message'),
    [
        pytest.param(
            {'anthropic': 'max_tokens', 'openai': 'length'}, None, 'was cut at the token limit', id='cut'
        ),
        pytest.param(
            {'anthropic': 'refusal', 'openai': 'content_filter'}, None, 'refused to review', id='refused'
        ),
        pytest.param(
            {'anthropic': 'pause_turn', 'openai': 'tool_calls'}, None, 'stopped before answering', id='other'
        ),
    ],
)
def test_an_answer_cut_short_or_refused_is_no_verdict(fired, api, models, capsys, stop, refusal, message):
    # The answer holds a whole PASS, but the model did not finish it: it is
    # not recorded, and not asked again (it would be cut or refused again).
    models.queue(Reply(text=WARN, stop=stop[api]))
    assert main(['review', '--api', api]) == 2
    out, err = capsys.readouterr()
    assert out == '' and err.count('\n') == 1 and message in err, err
    assert len(models.seen) == 1 and records(fired) == []


def test_an_openai_refusal_is_no_verdict(fired, models, monkeypatch, capsys):
    monkeypatch.setenv('OPENAI_API_KEY', KEY)
    monkeypatch.setenv('OPENAI_BASE_URL', models.url + '/v1')
    models.queue(Reply(text=WARN, refusal='I cannot help with that'))
    assert main(['review', '--api', 'openai']) == 2
    assert 'refused to review' in capsys.readouterr().err
    assert records(fired) == []


@pytest.mark.parametrize(
    ('raw', 'content_type'),
    [
        pytest.param(b'{"id": "x", not json', 'application/json', id='not_json'),
        pytest.param(b'<html>oops</html>', 'text/html', id='html'),
        pytest.param(b'[1, 2]', 'application/json', id='a_list'),
        pytest.param(b'{"content": 3, "choices": 3, "usage": 3}', 'application/json', id='wrong_types'),
    ],
)
def test_a_malformed_answer_is_unreadable_not_a_bug(fired, api, models, capsys, raw, content_type):
    fired.write('.review-trigger.yaml', 'review:\n  retries: 0\n')
    models.queue(Reply(raw=raw, content_type=content_type))
    assert main(['review', '--api', api]) == 2
    out, err = capsys.readouterr()
    assert out == '' and err.count('\n') == 1 and 'unreadable answer from the' in err, err
    assert records(fired) == []


def test_the_configurations_prices_price_the_model_that_answered(fired, models, monkeypatch, capsys):
    """The API answers with a dated id: it is priced by the same table as
    the model asked for, the configuration's prices first, and the usage
    line says which prices they are."""
    monkeypatch.setenv('ANTHROPIC_API_KEY', KEY)
    monkeypatch.setenv('ANTHROPIC_BASE_URL', models.url)
    fired.write(
        '.review-trigger.yaml',
        'prices:\n  - {model: Opus (our rate), match: claude opus 4 8, input: 1.0, output: 2.0}\n',
    )
    models.queue(Reply(text=WARN, model='claude-opus-4-8-20261101'))
    assert main(['review', '--api', 'anthropic']) == 0
    out = capsys.readouterr().out
    [rec] = records(fired)
    assert rec['model'] == 'claude-opus-4-8-20261101'
    assert rec['cost_usd'] == pytest.approx((1200 * 1.0 + 300 * 2.0) / 1e6)
    assert rec['cost_source'] == 'configured'
    assert "(estimated at the configuration's prices)" in out


def test_the_real_cost_at_the_configurations_prices_is_checked_against_the_budget(
    fired, models, monkeypatch, capsys
):
    monkeypatch.setenv('ANTHROPIC_API_KEY', KEY)
    monkeypatch.setenv('ANTHROPIC_BASE_URL', models.url)
    # The model asked for is within the budget at list prices; the dated
    # model that answered costs $1.50 at the configuration's.
    fired.write(
        '.review-trigger.yaml',
        'prices:\n  - {model: Dated Opus, match: "20261101", input: 1000, output: 1000}\n',
    )
    models.queue(Reply(text=WARN, model='claude-opus-4-8-20261101'))
    assert main(['review', '--api', 'anthropic', '--max-cost-usd', '1']) == 2
    assert 'the review cost $1.50, over max_cost_usd $1.00' in capsys.readouterr().err
    assert [r['cost_source'] for r in records(fired)] == ['configured']
