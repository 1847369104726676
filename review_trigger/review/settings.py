"""Which reviewer runs, with which model and limits: the configuration's
``review:`` mapping, overridden by the command line."""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from review_trigger.errors import UserError

Kind = Literal['command', 'anthropic', 'openai']

KEY_ENV: Mapping[str, str] = {'anthropic': 'ANTHROPIC_API_KEY', 'openai': 'OPENAI_API_KEY'}
BASE_URL_ENV: Mapping[str, str] = {'anthropic': 'ANTHROPIC_BASE_URL', 'openai': 'OPENAI_BASE_URL'}
TIMEOUT_S = 600.0
# Past about 9e9 s a timeout no longer fits the clock's integer (OverflowError).
MAX_TIMEOUT_S = 7 * 24 * 3600.0
MAX_OUTPUT_TOKENS = 8192
RETRIES = 3  # further attempts after a 429, a 5xx or a dropped connection
INCLUDE_DIFF_TOKENS = 30_000


class Settings(NamedTuple):
    kind: Kind
    command: tuple[str, ...]  # for kind "command"
    model: str | None  # None: a command that names none
    max_cost_usd: float | None  # None: no cap
    timeout_s: float
    base_url: str | None
    max_output_tokens: int
    retries: int

    @property
    def label(self) -> str:
        """The reviewer, as the ledger and the review name it."""
        if self.kind == 'command':
            return f'command {self.command[0]}'
        return f'{self.kind} API'


def resolve(
    review: Mapping[str, Any],
    *,
    command: str | None = None,
    api: str | None = None,
    model: str | None = None,
    max_cost_usd: float | None = None,
    timeout_s: float | None = None,
    environ: Mapping[str, str] = {},
    api_models: Mapping[str, str] = {},
) -> Settings:
    """The settings in force: the flags, else ``review`` (the configuration's
    ``review:``), else the defaults. ``api_models`` is the model id each API
    is called with by default: the routing table's reason tier's
    (``default_models``)."""
    argv: tuple[str, ...] = ()
    kind: Kind
    # --command and --api are exclusive on the command line (argparse).
    if command is not None:
        try:
            argv = tuple(shlex.split(command))
        except ValueError as e:
            raise UserError(f'--command: {e}')
        if not argv:
            raise UserError('--command is empty')
        kind = 'command'
    elif api is not None:
        kind = _api(api)
    elif review.get('command'):
        argv = tuple(str(a) for a in review['command'])
        kind = 'command'
    elif review.get('api'):
        kind = _api(str(review['api']))
    else:
        raise UserError(
            'no reviewer configured: set review.command or review.api in the '
            'configuration, or pass --command CMD or --api anthropic|openai',
        )
    name = model or review.get('model') or (_model_in(argv) if kind == 'command' else api_models.get(kind))
    if kind != 'command' and not name:
        raise UserError(
            f'no {kind} model for the review: set review.model, or '
            f'routing.tiers.reason.api.{kind} in the configuration'
        )
    base_url = None
    if kind != 'command':
        base_url = environ.get(BASE_URL_ENV[kind]) or review.get('base_url') or None
    cap = max_cost_usd if max_cost_usd is not None else review.get('max_cost_usd')
    cap_name = '--max-cost-usd' if max_cost_usd is not None else 'review.max_cost_usd'
    # nan compares false with everything: it would switch the budget off.
    if cap is not None and not math.isfinite(cap):
        raise UserError(f'{cap_name} must be a number of dollars, not {cap}')
    if cap is not None and cap < 0:
        raise UserError(f'{cap_name} must not be negative')
    timeout = timeout_s if timeout_s is not None else review.get('timeout_s', TIMEOUT_S)
    timeout_name = '--timeout-s' if timeout_s is not None else 'review.timeout_s'
    if not math.isfinite(timeout):
        raise UserError(f'{timeout_name} must be a number of seconds, not {timeout}')
    if timeout <= 0:
        raise UserError(f'{timeout_name} must be positive')
    if timeout > MAX_TIMEOUT_S:
        raise UserError(
            f'{timeout_name} must be at most {MAX_TIMEOUT_S:.0f} seconds (a week), not {timeout:g}'
        )
    return Settings(
        kind,
        argv,
        name,
        None if cap is None else float(cap),
        float(timeout),
        base_url,
        int(review.get('max_output_tokens', MAX_OUTPUT_TOKENS)),
        int(review.get('retries', RETRIES)),
    )


def default_models(config: Any) -> Mapping[str, str]:
    """The model id each API reviews with by default: the highest tier's of
    the routing table in force, so that ``routing:`` changes it too."""
    from review_trigger import routing

    return dict(routing.table_of(config).top.api)


def _api(name: str) -> Kind:
    if name == 'anthropic':
        return 'anthropic'
    if name == 'openai':
        return 'openai'
    raise UserError(f'unknown API {name!r} (expected anthropic or openai)')


def _model_in(argv: Sequence[str]) -> str | None:
    """The model a reviewer command names (``--model X``, ``-m X``,
    ``--model=X``), for its price and the ledger."""
    for i, arg in enumerate(argv):
        if arg in ('--model', '-m') and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith('--model='):
            return arg.split('=', 1)[1]
    return None
