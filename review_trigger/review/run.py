"""``review-trigger review``, ``reviews`` and ``cost``: thin commands over
``review_change``, which the GitHub Action calls too."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from review_trigger.errors import Exit, UserError
from review_trigger.options import PROG
from review_trigger.review import ledger
from review_trigger.review.settings import INCLUDE_DIFF_TOKENS, Settings

MAX_PASTED_BYTES = 4 << 20
NO_REVIEW = 'no review needed'


class Reviewed(NamedTuple):
    """What ``review_change`` did."""

    status: str  # "none needed" | "stored" | "new"
    record: ledger.Record | None
    path: str | None  # the record's markdown
    over_budget: str | None = None  # the message, when the real cost broke the cap


def _log(text: str) -> None:
    print(text, file=sys.stderr)


def exclude_of(config: Any) -> tuple[str, ...]:
    """Paths left out of the content key: the cost log, which the review
    itself writes, so that committing it does not ask for a new review."""
    from review_trigger.review.costlog import relative

    path = getattr(config, 'cost_log', None)
    return (relative(path).replace(os.sep, '/'),) if path else ()


def review_change(
    outcome: Any,
    flags: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    force: bool = False,
    log: Callable[[str], None] = _log,
) -> Reviewed:
    """Review the change of ``outcome`` (a pipeline Outcome) unless nothing
    fired or the ledger already holds its review; record a new one."""
    from review_trigger import redact
    from review_trigger.review import reviewers, settings, verdict

    if outcome.prompt is None:
        return Reviewed('none needed', None, None)
    cfg = settings.resolve(
        getattr(outcome.config, 'review', None) or {},
        environ=environ,
        api_models=settings.default_models(outcome.config),
        **flags,
    )
    repo, rng = outcome.repo, outcome.analysis.change.range
    log_path = _cost_log(outcome)
    key = ledger.key_of(repo, rng, outcome.config, exclude_of(outcome.config))
    if key is None:
        raise UserError('the change has no diff to review')
    if not force:
        stored = ledger.find(repo, key)
        if stored is not None and reusable(stored, cfg, outcome.config):
            # Over budget once, over budget on every rerun: the stored review
            # is what it cost, and the same cap still applies.
            return Reviewed('stored', stored, ledger.path_of(repo, key, 'md'), _over_budget(cfg, stored))
    # Before the call, as the cost log is: a paid review is never lost.
    ledger.ready(repo)
    text = verdict.request_text(outcome.prompt)
    price = _priced(cfg, outcome.config, text)
    red = redact.for_config(outcome.config)
    with _masking(red):
        answer = reviewers.ask(cfg, text, environ, repo.root, log)
        found = verdict.parse(answer.text, red.text)
    if answer.model:
        answer = answer._replace(model=red.text(answer.model))
    record = _record(key, found, cfg, answer, text, price, rng.label, outcome.fired, outcome.config)
    from review_trigger.review import render

    if log_path is not None:
        # First: the call is paid for, whatever happens to the record.
        _cost_row(log_path, record)
    path = ledger.store(repo, record, render.markdown(record))
    return Reviewed('new', record, path[: -len('json')] + 'md', _over_budget(cfg, record))


def _over_budget(cfg: Settings, record: ledger.Record) -> str | None:
    """Why ``record`` broke the budget (its real cost), or None."""
    from review_trigger.review.costlog import usd

    if cfg.max_cost_usd is None or record.cost_usd is None or record.cost_usd <= cfg.max_cost_usd:
        return None
    return (
        f'the review cost {usd(record.cost_usd)}, over max_cost_usd '
        f'{usd(cfg.max_cost_usd)} (recorded all the same: it is paid for)'
    )


def _tier(model: str | None, config: Any) -> tuple[str, Any]:
    """The routing tier of ``model`` (``unknown`` when it cannot be told),
    with the table in force."""
    from review_trigger import routing

    table = routing.table_of(config)
    if not model:
        return 'unknown', table
    return routing.tier_of(model, getattr(config, 'models', None) or table.patterns), table


def weaker_tier(record: ledger.Record, config: Any) -> str | None:
    """The tier of the model that wrote ``record`` when the routing table
    places it below the reason tier (a review needs the strongest model:
    the gate does not count it); None when it is the reason tier's or
    cannot be told (a reviewer that named no model, or a name the table
    does not know)."""
    tier, table = _tier(record.model, config)
    return None if tier == table.top.id or table.rank(tier) < 0 else tier


def reusable(stored: ledger.Record, cfg: Settings, config: Any) -> bool:
    """Whether the stored review of this content answers for a review by
    ``cfg``: one by a reason-tier model does, whoever ran it; any other only
    for the same reviewer and the same model, named (a Haiku review does not
    stand in for the Opus review asked for, nor gpt-5-mini's for gpt-5's;
    asked for no model, a fresh review is, since the gate does not count a
    weaker model's)."""
    tier, table = _tier(stored.model, config)
    if tier == table.top.id:
        return True
    if stored.reviewer != cfg.label:
        return False
    if cfg.model is None:
        return weaker_tier(stored, config) is None
    return stored.model is not None and _model_words(stored.model) == _model_words(cfg.model)


# A release date or alias an API puts after the model's name:
# claude-opus-4-8-20261101, gpt-5-2025-08-07, claude-haiku-4-5-latest.
_RELEASE = re.compile(r'(?:[-_ ](?:\d{8}|\d{4}-\d{2}-\d{2}|latest))+$')


def _model_words(name: str) -> tuple[str, ...]:
    """A model's name without its release suffix, as words: the name asked
    for and the dated id that answered are the same model."""
    from review_trigger.words import split_words

    return tuple(split_words(_RELEASE.sub('', name.strip().lower()).replace('.', ' ')))


@contextlib.contextmanager
def _masking(red: Any) -> Iterator[None]:
    """A reviewer's error through the one redaction step (``redact``), as
    its answer is: it may quote the reviewer's stderr or its answer."""
    from review_trigger.review.verdict import ReviewError

    try:
        yield
    except ReviewError as e:
        masked = red.text(str(e))
        if masked == str(e):
            raise
        raise ReviewError(masked) from None


def _priced(cfg: Settings, config: Any, text: str) -> Any:
    """The model's price, after checking the estimate against the budget:
    over it, or not checkable, no call is made."""
    from review_trigger import prices
    from review_trigger.review.costlog import usd

    table = prices.table(getattr(config, 'prices', None) or ())
    price = prices.price_of(cfg.model, table) if cfg.model else None
    if cfg.max_cost_usd is None:
        return price
    if price is None:
        raise UserError(
            f'cannot check max_cost_usd {usd(cfg.max_cost_usd)}: no price for the model '
            f'{cfg.model or "(the command names none)"}; name a priced model '
            f'(review.model or --model) or add it under prices: in the configuration; '
            f'no call was made',
        )
    est = prices.estimate(cfg.model or '', text, cfg.max_output_tokens, table)
    assert est.usd is not None
    if est.usd > cfg.max_cost_usd:
        raise UserError(
            f'over budget: the review would cost up to {usd(est.usd)} ({est.input_tokens:,} '
            f'input + {est.output_tokens:,} output tokens of {price.model}), over '
            f'max_cost_usd {usd(cfg.max_cost_usd)}; no call was made',
        )
    return price


def _record(
    key: ledger.Key,
    found: Any,
    cfg: Settings,
    answer: Any,
    text: str,
    price: Any,
    label: str,
    fired: Sequence[str],
    config: Any = None,
) -> ledger.Record:
    from review_trigger import prices

    overrides = tuple(getattr(config, 'prices', None) or ())
    table = prices.table(overrides)
    model = answer.model or cfg.model
    tokens_in, tokens_out = answer.input_tokens, answer.output_tokens
    source: ledger.CostSource
    if answer.cost_usd is not None:
        cost, source = answer.cost_usd, 'reported'
    else:
        if answer.model and answer.model != cfg.model:
            # The model that answered ("claude-opus-4-8-20261101" for
            # "claude-opus-4-8"), priced by the same table, overrides first.
            price = prices.price_of(answer.model, table) or price
        tokens_in = tokens_in if tokens_in is not None else prices.tokens(text)
        tokens_out = tokens_out if tokens_out is not None else prices.tokens(answer.text)
        if price is None:
            cost, source = None, 'unknown'
        else:
            cost = prices.cost(price, tokens_in, tokens_out)
            # Real token counts at list prices are still an estimate of the bill.
            source = 'configured' if price in table[: len(overrides)] else 'estimated'
    return ledger.Record(
        key, found, cfg.label, model, tokens_in, tokens_out, cost, source, ledger.now(), label, tuple(fired)
    )


def _cost_log(outcome: Any) -> str | None:
    """The cost log's path, checked before the review is paid for."""
    rel = getattr(outcome.config, 'cost_log', None)
    if not rel:
        return None
    from review_trigger.review import costlog

    return costlog.writable(outcome.repo.root, rel)


def _cost_row(path: str, r: ledger.Record) -> None:
    from review_trigger.review import costlog

    costlog.append(
        path,
        costlog.Row(
            r.time[:10],
            r.key.patch_id[:8],
            r.model or r.reviewer,
            1,
            r.input_tokens or 0,
            r.output_tokens or 0,
            r.cost_usd,
        ),
    )


def accept(outcome: Any, path: str, model: str | None) -> tuple[ledger.Record, str]:
    """Record a review done by hand: ``path`` holds the model's answer."""
    from review_trigger.review import render, verdict

    try:
        with open(path, 'rb') as f:
            data = f.read(MAX_PASTED_BYTES + 1)
    except OSError as e:
        raise UserError(f'cannot read {path}: {e.strerror}')
    if len(data) > MAX_PASTED_BYTES:
        raise UserError(f'{path}: larger than {MAX_PASTED_BYTES} bytes')
    from review_trigger import redact

    red = redact.for_config(outcome.config)
    with _masking(red):
        answer, reported = verdict.unwrap(data.decode('utf-8', 'replace'))
        found = verdict.parse(answer, red.text)
    if reported is not None and reported.model:
        reported = reported._replace(model=red.text(reported.model))
    if model:
        model = red.text(model)
    rng = outcome.analysis.change.range
    key = ledger.key_of(outcome.repo, rng, outcome.config, exclude_of(outcome.config))
    if key is None:
        raise UserError('the change has no diff to review')
    record = ledger.Record(
        key,
        found,
        'by hand',
        model or (reported.model if reported else None),
        reported.input_tokens if reported else None,
        reported.output_tokens if reported else None,
        reported.cost_usd if reported else None,
        'reported' if reported and reported.cost_usd is not None else 'unknown',
        ledger.now(),
        rng.label,
        outcome.fired,
    )
    stored = ledger.store(outcome.repo, record, render.markdown(record))
    return record, stored[: -len('json')] + 'md'


# -- the commands ----------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    from review_trigger.options import Parser, add_analysis_options, add_range_options, diff_budget

    p = Parser(
        prog=f'{PROG} review',
        description='When a trigger fires, send the review prompt to the configured '
        'reviewer, print its verdict as markdown and record it in the '
        'ledger (the gate then lets this content through on PASS or '
        'WARN). Exit 0 PASS/WARN, 1 FAIL, 2 usage, configuration or '
        'reviewer error, 3 internal error.',
    )
    # No --worktree: a verdict is kept for committed or staged content.
    add_range_options(p, worktree=False)
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        '--command',
        metavar='CMD',
        help='a reviewer command reading the prompt on stdin, split like a '
        "shell would ('claude -p --model opus'); never run by a shell",
    )
    who.add_argument(
        '--api',
        choices=('anthropic', 'openai'),
        help='the Anthropic API or an OpenAI-compatible API (key from $ANTHROPIC_API_KEY / $OPENAI_API_KEY)',
    )
    who.add_argument(
        '--accept-reviewed',
        metavar='PATH',
        help="record a review done by hand: PATH holds the model's answer "
        '(the JSON verdict, alone or in a fenced json block)',
    )
    p.add_argument(
        '--model', metavar='NAME', help='the reviewing model (default: review.model, else the reason tier)'
    )
    p.add_argument(
        '--max-cost-usd',
        type=float,
        metavar='USD',
        help='the budget of this review (default: review.max_cost_usd)',
    )
    p.add_argument(
        '--timeout-s',
        type=float,
        metavar='S',
        help="the reviewer's timeout (default: review.timeout_s, else 600)",
    )
    p.add_argument(
        '--include-diff',
        type=diff_budget,
        metavar='TOKENS',
        help=f'the diff sent with the prompt, in tokens (default {INCLUDE_DIFF_TOKENS:,})',
    )
    p.add_argument(
        '--force', action='store_true', help='ask again even when the ledger holds a review of this content'
    )
    add_analysis_options(p)
    return p


def _outcome(args: argparse.Namespace, environ: Mapping[str, str]) -> Any:
    from review_trigger import pipeline
    from review_trigger.options import request

    return pipeline.run(
        request(
            args,
            environ,
            include_diff=INCLUDE_DIFF_TOKENS if args.include_diff is None else args.include_diff,
        )
    )


def _exit(record: ledger.Record) -> int:
    return Exit.TRIGGERED if record.verdict.status == 'FAIL' else Exit.OK


# What only a reviewer that is called uses: a review done by hand
# (--accept-reviewed) is recorded as it is, so these would be ignored.
_CALL_ONLY = (
    ('max_cost_usd', '--max-cost-usd'),
    ('timeout_s', '--timeout-s'),
    ('include_diff', '--include-diff'),
    ('force', '--force'),
)


def review(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    args = _parser().parse_args(argv)
    if args.accept_reviewed:
        given = [flag for name, flag in _CALL_ONLY if getattr(args, name) not in (None, False)]
        if given:
            raise UserError(
                f'{", ".join(given)} cannot go with --accept-reviewed: a review done by hand '
                f'calls no reviewer and is recorded as it is',
            )
    outcome = _outcome(args, environ)
    if args.accept_reviewed:
        if outcome.prompt is None:
            raise UserError('no trigger fires on this change: there is nothing to accept')
        record, path = accept(outcome, args.accept_reviewed, args.model)
        _show(path)
        _log(f'{PROG}: review by hand recorded: {record.verdict.status}, {_count(record)} ({_shown(path)})')
        return _exit(record)
    flags = {
        'command': args.command,
        'api': args.api,
        'model': args.model,
        'max_cost_usd': args.max_cost_usd,
        'timeout_s': args.timeout_s,
    }
    done = review_change(outcome, flags, environ, force=args.force)
    if done.status == 'none needed' or done.record is None or done.path is None:
        sys.stdout.write(f'{NO_REVIEW}\n')
        _log(pipeline_summary(outcome))
        return Exit.OK
    _show(done.path)
    how = 'stored review (no new call)' if done.status == 'stored' else 'review recorded'
    _log(f'{PROG}: {how}: {done.record.verdict.status}, {_count(done.record)} ({_shown(done.path)})')
    if done.over_budget:
        _log(f'{PROG}: error: {done.over_budget}')
        return Exit.USER_ERROR
    return _exit(done.record)


def pipeline_summary(outcome: Any) -> str:
    from review_trigger import pipeline

    return pipeline.summary(outcome.analysis)


def _count(r: ledger.Record) -> str:
    n = len(r.verdict.findings)
    return f'{n} finding{"s" if n != 1 else ""}'


def _show(md_path: str) -> None:
    from review_trigger.output import emit

    with open(md_path, encoding='utf-8') as f:
        emit(f.read(), None)


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith(os.pardir) else rel


def reviews(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    from review_trigger import git
    from review_trigger.markdown import cell
    from review_trigger.options import Parser
    from review_trigger.review import costlog

    p = Parser(prog=f'{PROG} reviews', description='List the ledger: the stored reviews, newest first.')
    p.add_argument('-C', dest='directory', metavar='DIR', help='run as if started in DIR')
    args = p.parse_args(argv)
    repo = git.open_repo(args.directory, environ)
    from review_trigger.output import emit

    found = ledger.listing(repo)
    if not found:
        # Through emit as the listing is: the path may hold what stdout's
        # encoding cannot.
        emit(f'no reviews recorded in {_shown(ledger.folder(repo))}\n', None)
        return Exit.OK
    lines = [
        '| Time | Verdict | Findings | Reviewer | Model | Cost | Reviewed | Record |',
        '|------|---------|----------|----------|-------|------|----------|--------|',
    ]
    for path, r in found:
        cost = costlog.usd(r.cost_usd) if r.cost_usd is not None else '-'
        lines.append(
            f'| {r.time} | {r.verdict.status} | {len(r.verdict.findings)} | {cell(r.reviewer)} '
            f'| {cell(r.model) if r.model else "-"} | {cost} | {cell(r.range)} '
            f'| {cell(_shown(path[: -len("json")] + "md"))} |'
        )
    emit('\n'.join(lines) + '\n', None)
    return Exit.OK


def cost(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    from review_trigger import config as config_mod
    from review_trigger import git
    from review_trigger.options import Parser
    from review_trigger.review import costlog

    p = Parser(prog=f'{PROG} cost', description='Sum the cost log (cost_log: in the configuration) by model.')
    p.add_argument('--month', metavar='YYYY-MM', help='only this month')
    p.add_argument('--config', metavar='PATH', help='configuration file')
    p.add_argument('-C', dest='directory', metavar='DIR', help='run as if started in DIR')
    args = p.parse_args(argv)
    month = costlog.check_month(args.month) if args.month else None
    repo = git.open_repo(args.directory, environ)
    source = (
        config_mod.read_file(os.path.join(args.directory or '.', args.config))
        if args.config
        else config_mod.find_source(repo.root)
    )
    cfg = config_mod.load(source)
    rel = getattr(cfg, 'cost_log', None)
    if not rel:
        raise UserError('no cost log: set cost_log: (e.g. docs/COST_LOG.md) in the configuration')
    path = costlog.path_in(repo.root, rel)
    from review_trigger.files import read_regular

    try:
        # Read as open(..., errors='replace') reads text: universal newlines.
        text = read_regular(path).decode('utf-8', 'replace').replace('\r\n', '\n').replace('\r', '\n')
    except FileNotFoundError:
        text = ''
    except OSError as e:
        raise UserError(f'cannot read the cost log {rel}: {e.strerror}')
    from review_trigger.output import emit

    emit(costlog.render_sums(costlog.sums(costlog.rows(text, rel), month), month), None)
    return Exit.OK
