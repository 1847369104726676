"""The estimated review cost line (section 3 of the design): the review's
input tokens (the prompt, and the files it asks the reviewer to load, or
the included diff) and a typical verdict's output, priced from the dated
table in ``prices.json`` (or the configuration's ``prices:``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from review_trigger import prices
from review_trigger.markdown import code, text

# A review's answer: the verdict with its specifics. An estimate, like the
# four characters a token.
OUTPUT_TOKENS = 4_000


class Cost(NamedTuple):
    model: str  # the reviewer, as configured
    price: prices.Price | None
    prompt_tokens: int
    files_tokens: int  # files to review and context files to load
    output_tokens: int

    @property
    def input_tokens(self) -> int:
        return self.prompt_tokens + self.files_tokens

    @property
    def usd(self) -> float | None:
        if self.price is None:
            return None
        return prices.cost(self.price, self.input_tokens, self.output_tokens)

    def line(self) -> str:
        k = f'{round(self.input_tokens / 1000):,}k' if self.input_tokens >= 1000 else f'{self.input_tokens:,}'
        if self.price is None or self.usd is None:
            return (
                f'unknown: {text(self.model)} is not in the price table '
                f'({k} input tokens; add it under {code("prices:")} in the configuration)'
            )
        return f'~${self.usd:.2f} with {text(self.price.model)} ({k} input tokens)'

    def as_json(self) -> dict[str, Any]:
        p = self.price
        return {
            'model': self.model,
            'priced_as': None if p is None else p.model,
            'input_tokens': self.input_tokens,
            'prompt_tokens': self.prompt_tokens,
            'files_tokens': self.files_tokens,
            'output_tokens': self.output_tokens,
            'input_usd_per_million': None if p is None else p.input,
            'output_usd_per_million': None if p is None else p.output,
            'usd': None if self.usd is None else round(self.usd, 6),
            'price_checked': None if p is None else p.checked,
            'price_source': None if p is None else p.source,
            'estimate': True,
        }


def estimate(model: str, prompt_chars: int, files_bytes: int, table: Sequence[prices.Price]) -> Cost:
    per = prices.CHARS_PER_TOKEN
    return Cost(
        model, prices.price_of(model, table), -(-prompt_chars // per), -(-files_bytes // per), OUTPUT_TOKENS
    )
