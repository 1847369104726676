"""Command-line parsing shared by every entry point: an argparse parser
whose errors are UserErrors (one line, exit 2), the change to analyse and
the analysis options the commands take, and the pipeline request they
make."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from review_trigger.errors import UserError

if TYPE_CHECKING:
    from review_trigger.pipeline import Request

PROG = 'review-trigger'
ENV_SESSION_MODEL = 'REVIEW_TRIGGER_SESSION_MODEL'


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UserError(f'{message} (see {self.prog} --help)')


def add_range_options(p: argparse.ArgumentParser, *, worktree: bool = True) -> None:
    """--staged, --since, --base and --head, --worktree (unless told not
    to), and -C: which change to analyse, and where."""
    what = p.add_mutually_exclusive_group()
    what.add_argument('--staged', action='store_true', help='analyse the index against HEAD (the default)')
    what.add_argument('--since', metavar='REV', help='analyse the commits REV..HEAD')
    what.add_argument(
        '--base', metavar='REV', help='analyse what a pull request from --head into REV would merge'
    )
    if worktree:
        what.add_argument(
            '--worktree',
            metavar='REV',
            nargs='?',
            const='HEAD',
            help='analyse the working tree, untracked files included, '
            'against REV (default HEAD); the index is not touched',
        )
    p.add_argument('--head', metavar='REV', help='with --base: the pull request head (default HEAD)')
    p.add_argument('-C', dest='directory', metavar='DIR', help='run as if started in DIR')


def request(args: argparse.Namespace, environ: Mapping[str, str], **changes: Any) -> Request:
    """The pipeline's request for options parsed with add_range_options
    and add_analysis_options (``changes`` override fields)."""
    from review_trigger.pipeline import Request

    fields: dict[str, Any] = {
        'directory': args.directory,
        'since': args.since,
        'base': args.base,
        'head': args.head,
        'worktree': getattr(args, 'worktree', None),
        'config_path': args.config,
        'session_model': args.session_model,
        'reviewer': args.reviewer,
        'include_diff': getattr(args, 'include_diff', None),
        'environ': environ,
    }
    fields.update(changes)
    return Request(**fields)


def diff_budget(value: str) -> int:
    """``--include-diff``'s budget: a number of tokens, at least 1000
    (``30_000`` and ``30,000`` are read too)."""
    try:
        n = int(value.replace('_', '').replace(',', ''))
    except ValueError:
        n = -1
    if n < 1000:
        raise UserError(f'--include-diff: the budget is a number of tokens, at least 1000, not {value!r}')
    return n


def output_path(value: str) -> str:
    """``--output``'s path: an empty one names no file (joined to the
    directory, it is the directory itself)."""
    if not value:
        raise UserError('--output: the path is empty (- is stdout)')
    return value


def add_analysis_options(p: argparse.ArgumentParser) -> None:
    """--session-model, --config and --reviewer."""
    p.add_argument(
        '--session-model',
        metavar='NAME',
        help=f'the model that wrote the change (default: ${ENV_SESSION_MODEL}, '
        'else read from commit trailers)',
    )
    p.add_argument(
        '--config',
        metavar='PATH',
        help='configuration file (default: .review-trigger.yaml, '
        '.review-trigger.yml or [tool.review-trigger] in pyproject.toml; '
        'for --base, read from the base commit)',
    )
    p.add_argument(
        '--reviewer', metavar='NAME', help='the reviewing model named in the heading (default: Opus)'
    )
