"""Command-line parsing shared by every entry point: an argparse parser
whose errors are UserErrors (one line, exit 2), and the analysis options
the command line and the hook both take."""

from __future__ import annotations

import argparse
from typing import NoReturn

from review_trigger.errors import UserError

PROG = 'review-trigger'
ENV_SESSION_MODEL = 'REVIEW_TRIGGER_SESSION_MODEL'


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UserError(f'{message} (see {self.prog} --help)')


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
