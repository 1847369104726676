"""The price table and the cost arithmetic."""

from __future__ import annotations

import pytest

from review_trigger import prices


@pytest.mark.parametrize(
    ('model', 'expected'),
    [
        pytest.param('claude-opus-4-8', 'Claude Opus 4.8', id='model-id'),
        pytest.param('Opus 4.8', 'Claude Opus 4.8', id='short-name'),
        pytest.param('GPT-4o mini', 'GPT-4o mini', id='specific-before-general'),
        pytest.param('gpt-4o', 'GPT-4o', id='general'),
        pytest.param('acme-coder', None, id='unknown'),
    ],
)
def test_models_are_priced_by_their_words(model, expected):
    found = prices.price_of(model, prices.table())
    assert (found.model if found else None) == expected


def test_cost_is_tokens_times_the_price_per_million():
    p = prices.Price('M', 'm', input=5.0, output=25.0)
    assert prices.cost(p, 61_000, 4_000) == pytest.approx(0.305 + 0.1)


def test_configured_prices_come_first():
    table = prices.table([{'model': 'Opus (negotiated)', 'match': 'opus', 'input': 1, 'output': 2}])
    assert prices.price_of('claude-opus-4-8', table).input == 1.0


def test_every_shipped_price_is_dated_and_sourced():
    for p in prices.shipped():
        assert p.checked and p.source.startswith('https://'), p
        assert p.input > 0 and p.output >= p.input, p


def test_tokens_round_up():
    assert prices.tokens('') == 0
    assert prices.tokens('abcde') == 2
