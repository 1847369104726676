"""The command line: ``main(argv) -> int`` over the pure pieces."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import NoReturn

from review_trigger import __version__
from review_trigger.errors import Exit, guarded
from review_trigger.options import (
    PROG,
    Parser,
    add_analysis_options,
    add_range_options,
    diff_budget,
    output_path,
    request,
)


def _run_parser() -> Parser:
    p = Parser(
        prog=PROG,
        description='Check a git change against significance triggers and, '
        'when one fires, write the review prompt for the '
        'strongest model. Other commands: init, config, schema '
        '(configuration), route (model routing), review, reviews, cost '
        '(running the review, its ledger and costs), hook (pre-commit), '
        "github (the GitHub Action), agent-hook (coding agents' "
        f'session hooks); see `{PROG} COMMAND --help`.',
    )
    p.add_argument('--version', action='version', version=f'%(prog)s {__version__}')
    add_range_options(p)
    p.add_argument(
        '--format',
        choices=('markdown', 'json'),
        default='markdown',
        help='markdown: the prompt, only when a trigger fires (default); json: always a report',
    )
    p.add_argument(
        '--output',
        metavar='PATH',
        type=output_path,
        help='write the report to PATH (atomically) instead of stdout (- is stdout)',
    )
    p.add_argument('--fail-on-trigger', action='store_true', help='exit 1 when a trigger fires')
    p.add_argument(
        '--include-diff',
        nargs='?',
        const=30_000,
        type=diff_budget,
        metavar='BUDGET',
        help='append the diff of the files to review, most important '
        'first, within BUDGET tokens (default 30000); secrets masked',
    )
    add_analysis_options(p)
    return p


def run(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    args = _run_parser().parse_args(argv)
    from review_trigger import output, pipeline

    try:
        outcome = pipeline.run(request(args, environ))
        text: str | Iterator[str]
        if args.format == 'json':
            # In pieces: the report of a large change is not held whole.
            text = pipeline.report_chunks(outcome)
        else:
            text = outcome.prompt or ''
        output.emit(text, args.output, args.directory)
    except BaseException:
        # An earlier run's --output must not pass for this run's.
        if args.output not in (None, '-'):
            _remove_quietly(os.path.join(args.directory or '.', args.output))
        raise
    print(pipeline.summary(outcome.analysis), file=sys.stderr)
    if outcome.analysis.change.range.mode == 'staged':
        from review_trigger import git

        left = git.unstaged_count(outcome.repo)
        if left:
            print(
                f'{PROG}: {left} unstaged or untracked file{"s" if left != 1 else ""} '
                f'not analysed (use --worktree)',
                file=sys.stderr,
            )
    failed = outcome.analysis.findings and args.fail_on_trigger
    return Exit.TRIGGERED if failed else Exit.OK


def _remove_quietly(path: str) -> None:
    import contextlib
    import stat

    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.stat(path).st_mode):
            os.remove(path)


# Subcommands, imported only when used so the hook path stays light:
# name -> "module:function", the function taking argv and the environment
# and returning a code.
COMMANDS: dict[str, str] = {
    'init': 'review_trigger.config_cli:init',
    'config': 'review_trigger.config_cli:show',
    'schema': 'review_trigger.config_cli:schema',
    'route': 'review_trigger.routing.command:main',
    'hook': 'review_trigger.hook:main',
    'github': 'review_trigger.github.action:main',
    'agent-hook': 'review_trigger.agents.hook:main',
    'review': 'review_trigger.review.run:review',
    'reviews': 'review_trigger.review.run:reviews',
    'cost': 'review_trigger.review.run:cost',
}


Command = Callable[[Sequence[str], Mapping[str, str]], int]


def _command(name: str) -> Command:
    import importlib

    module, func = COMMANDS[name].split(':')
    fn: Command = getattr(importlib.import_module(module), func)
    return fn


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """The command line: ``argv`` (default: the process's arguments) in
    ``environ`` (default: the process's environment, read here once).
    Everything the run does, git included, sees ``environ`` alone."""
    args = list(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ) if environ is None else environ
    # A run is short and makes few reference cycles, while a large change
    # means hundreds of thousands of live records that every pass of the
    # cyclic collector would walk again (30 ms on a 20,000-file change).
    # Reference counting frees what the run drops; the collector runs again
    # after it, for a caller that goes on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if args and args[0] in COMMANDS:
            name = args[0]
            return guarded(lambda: _command(name)(args[1:], env), PROG, environ=env)
        return guarded(lambda: run(args, env), PROG, environ=env)
    finally:
        if collecting:
            gc.enable()


def console() -> NoReturn:
    """The ``review-trigger`` command: ``main()``, then exit at once.

    Tearing the interpreter down frees every record of the run one by
    one, which for a large change took longer than reading its diff
    (35 ms of 400 on a 20,000-file change). Everything is written and
    flushed by then, so the process ends without it.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)
