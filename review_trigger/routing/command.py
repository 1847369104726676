"""``review-trigger route``: the next session's recommendation from a plan
file (section 6), or with ``--announce`` the session-start announcement
(section 4)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence

from review_trigger.errors import UserError
from review_trigger.options import ENV_SESSION_MODEL, PROG, Parser


def _parser() -> Parser:
    p = Parser(
        prog=f'{PROG} route',
        description='Classify the upcoming tasks of a plan file against the routing '
        'table and recommend the model for the next session (the highest '
        'tier present). With --announce, print the session-start '
        'announcement for --session-model instead.',
    )
    p.add_argument(
        'plan',
        nargs='?',
        metavar='PLAN.md',
        help='the plan file (default: routing.plan of the configuration, else PROJECT_PLAN.md)',
    )
    p.add_argument('--plan', dest='plan_option', metavar='PATH', help='the plan file')
    p.add_argument('--format', choices=('text', 'json'), default='text')
    p.add_argument(
        '--session-model',
        metavar='NAME',
        help=f"the current session's model: flag the tasks above its tier (default: ${ENV_SESSION_MODEL})",
    )
    p.add_argument(
        '--announce', action='store_true', help='print the session-start announcement for --session-model'
    )
    p.add_argument('-C', dest='directory', metavar='DIR', help='run as if started in DIR')
    p.add_argument(
        '--config', metavar='PATH', help="configuration file (default: the repository's, else the defaults)"
    )
    return p


def load_config(  # type: ignore[no-untyped-def]
    directory: str | None, path: str | None, environ: Mapping[str, str] | None = None
):
    """The configuration: ``path``, else the repository's file; the
    defaults outside a repository. ``environ``: the run's environment."""
    from review_trigger import config

    if path is not None:
        return config.load(config.read_file(os.path.join(directory or '.', path)))
    from review_trigger import git

    try:
        repo = git.open_repo(directory, environ)
    except UserError:
        if directory is not None and not os.path.isdir(directory):
            raise
        return config.default_config()
    return config.load(config.find_source(repo.root))


def plan_path(
    directory: str | None,
    given: str | None,
    environ: Mapping[str, str] | None = None,
    default: str | None = None,
) -> str:
    """The plan file: ``given``, else ``default`` (routing.plan, else
    PROJECT_PLAN.md) here, else at the repository root."""
    from review_trigger.routing.plan import DEFAULT_PLAN

    name = default or DEFAULT_PLAN
    if given is not None:
        return os.path.join(directory, given) if directory else given
    here = os.path.join(directory, name) if directory else name
    if os.path.lexists(here):
        return here
    from review_trigger import git

    try:
        root = git.open_repo(directory, environ).root
    except UserError:
        return here
    at_root = os.path.join(root, name)
    return at_root if os.path.lexists(at_root) else here


def main(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    args = _parser().parse_args(argv)
    if args.plan and args.plan_option and args.plan != args.plan_option:
        raise UserError(f'two plan files given: {args.plan} and {args.plan_option}')
    session = args.session_model or environ.get(ENV_SESSION_MODEL, '').strip() or None
    cfg = load_config(args.directory, args.config, environ)
    from review_trigger import redact
    from review_trigger.output import emit
    from review_trigger.routing import plan, render

    # The configuration's names and the plan's tasks are shown masked.
    red = redact.for_config(cfg)

    if args.announce:
        if session is None:
            raise UserError(f'--announce needs --session-model NAME (or ${ENV_SESSION_MODEL})')
        text = render.announcement(session, cfg)
        if args.format == 'json':
            from review_trigger.routing.models import named

            model = named(session, cfg.models)
            data = {'model': model.name, 'tier': model.tier, 'announcement': text}
            text = json.dumps(redact.value(red, data), indent=2) + '\n'
        else:
            text = red.text(text)
        emit(text, None)
        return 0
    path = plan_path(args.directory, args.plan or args.plan_option, environ, cfg.plan)
    tasks = plan.read_tasks(path)
    if not tasks:
        raise UserError(
            f'plan {path} lists no upcoming task (a list item, checkbox or heading '
            f'under a Next, Upcoming or TODO section)',
        )
    route = plan.route(plan.masked(tasks, red.text), cfg.routing)
    if args.format == 'json':
        data = redact.value(red, render.route_data(route, session, cfg.models))
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=True) + '\n')
    else:
        emit(red.text(render.route_text(route, session, cfg.models)), None)
    return 0
