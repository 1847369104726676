"""``review-trigger agent-hook --agent NAME``: one hook event on stdin, the
agent's answer on stdout.

It fails open: a bad event, a repository it cannot read or a bug never
blocks the agent, and never passes for a checked change. It says so in one
line on stderr (and, where the agent shows hooks' messages to the user, in
one), and exits 0. Exit 2, which Claude Code and Gemini CLI read as "block",
is never used.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Mapping, Sequence

from review_trigger.agents import AGENTS
from review_trigger.agents._core import Agent, Answer, Options, handle, load_event
from review_trigger.errors import UserError
from review_trigger.options import PROG


def _parser() -> argparse.ArgumentParser:
    from review_trigger.options import Parser, add_analysis_options

    p = Parser(
        prog=f'{PROG} agent-hook',
        description="Answer a coding agent's session-start or stop hook: the event "
        "JSON on stdin, the answer in the agent's format on stdout. "
        f'Installed by `{PROG} init --agent NAME`.',
    )
    p.add_argument('--agent', required=True, choices=AGENTS)
    p.add_argument(
        '-C',
        dest='directory',
        metavar='DIR',
        help="the repository (default: the event's cwd, else the current directory)",
    )
    add_analysis_options(p)
    return p


def agent(name: str) -> Agent:
    module = importlib.import_module(f'review_trigger.agents.{name}')
    found: Agent = module.AGENT
    return found


def main(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except UserError as e:
        from review_trigger.errors import shown

        print(f'{PROG} agent-hook: error: {shown(str(e))}', file=sys.stderr)
        return 0
    adapter = agent(args.agent)
    data: bytes = b''
    answer = Answer('none')
    try:
        if sys.stdin is None or sys.stdin.isatty():
            raise UserError('expects the hook event JSON on stdin')
        data = sys.stdin.buffer.read()
        answer = run(adapter, data, args.directory, Options(args.session_model, args.config, environ))
    except KeyboardInterrupt:
        raise
    except Exception as e:  # fail open, whatever went wrong
        answer = Answer('error', _event_name(data), _failure(e, environ))
    if answer.kind in ('note', 'error'):
        print(answer.text, file=sys.stderr)
    if answer.note:
        print(answer.note, file=sys.stderr)
    sys.stdout.write(adapter.render(answer))
    sys.stdout.flush()
    return 0


def run(adapter: Agent, data: bytes, directory: str | None, options: Options) -> Answer:
    from review_trigger import git

    event = adapter.parse(load_event(data))
    if event.kind == 'other':
        return Answer('none', event.name)
    where = directory or (event.cwd if event.cwd and os.path.isdir(event.cwd) else None)
    repo = git.open_repo(where, options.environ)
    return handle(adapter.name, event, repo, options)


def _event_name(data: bytes) -> str:
    """The event's name, if the input says it, so that the answer keeps
    that event's shape (Cursor's beforeSubmitPrompt must say continue)."""
    try:
        parsed: Mapping[str, object] = load_event(data)
    except UserError:
        return ''
    name = parsed.get('hook_event_name')
    return name if isinstance(name, str) else ''


def _failure(exc: Exception, environ: Mapping[str, str]) -> str:
    if isinstance(exc, UserError):
        from review_trigger.errors import shown

        return f"{PROG}: the session's change was not checked: {shown(str(exc))}"
    from review_trigger.errors import write_crash_log

    log = write_crash_log(exc, environ)
    where = f'the traceback is in {log}' if log else 'no log could be written'
    return (
        f"{PROG}: the session's change was not checked: internal error "
        f'({type(exc).__name__}), please report it: {where}'
    )
