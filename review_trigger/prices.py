"""What a review costs: a dated price table (package data, ``prices.json``)
and the estimate from token counts (section 3 of the design).

A model is priced by the first entry whose ``match`` words all appear, in
order, in its name (as the tier table matches): "claude-opus-4-8" and
"Opus 4.8" are both ``opus``. The configuration's ``prices:`` entries come
first, so they override the shipped ones.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

PRICES_PATH = os.path.join(os.path.dirname(__file__), 'prices.json')
# About four characters a token for English and code: good enough for an
# estimate, and the same rule the providers' own rough guides give.
CHARS_PER_TOKEN = 4


class Price(NamedTuple):
    model: str  # the name shown: "Claude Opus 4.8"
    match: str  # words matched against a model's name
    input: float  # dollars per million input tokens
    output: float  # dollars per million output tokens
    source: str = ''
    checked: str = ''  # the date the price was checked (ISO 8601)


class Estimate(NamedTuple):
    price: Price | None  # None: the model is not in the table
    input_tokens: int
    output_tokens: int

    @property
    def usd(self) -> float | None:
        return None if self.price is None else cost(self.price, self.input_tokens, self.output_tokens)


def cost(price: Price, input_tokens: int, output_tokens: int) -> float:
    return (input_tokens * price.input + output_tokens * price.output) / 1_000_000


def tokens(text: str) -> int:
    """A rough token count of ``text`` (never 0 for a non-empty text)."""
    return -(-len(text) // CHARS_PER_TOKEN)


@functools.cache
def shipped() -> tuple[Price, ...]:
    with open(PRICES_PATH, encoding='utf-8') as f:
        data = json.load(f)
    return tuple(_price(m, data.get('checked', '')) for m in data['models'])


def _price(entry: Mapping[str, Any], checked: str = '') -> Price:
    return Price(
        str(entry['model']),
        str(entry.get('match') or entry['model']),
        float(entry['input']),
        float(entry['output']),
        str(entry.get('source', '')),
        str(entry.get('checked', checked)),
    )


def table(overrides: Iterable[Mapping[str, Any]] = ()) -> tuple[Price, ...]:
    """The configuration's prices, then the shipped ones."""
    return tuple(_price(e) for e in overrides) + shipped()


def price_of(model: str, prices: Sequence[Price]) -> Price | None:
    from review_trigger.words import split_words

    words = split_words(model.replace('.', ' '))
    for p in prices:
        rest = iter(words)
        if all(any(w == want for w in rest) for want in split_words(p.match.replace('.', ' '))):
            return p
    return None


def estimate(model: str, prompt: str, output_tokens: int, prices: Sequence[Price]) -> Estimate:
    return Estimate(price_of(model, prices), tokens(prompt), output_tokens)
