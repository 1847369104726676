"""The command line: ``main(argv) -> int`` over the pure pieces."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from review_trigger import __version__

if TYPE_CHECKING:
    from review_trigger.analyze import Analysis
    from review_trigger.change import Range
    from review_trigger.config import Config
    from review_trigger.git import PendingFiles, Repo
    from review_trigger.prompt import Session

PROG = 'review-trigger'
ENV_SESSION_MODEL = 'REVIEW_TRIGGER_SESSION_MODEL'


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        from review_trigger.errors import UserError
        raise UserError(f'{message} (see {self.prog} --help)')


def _run_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=PROG,
        description='Check a git change against significance triggers and, '
                    'when one fires, write the review prompt for the '
                    'strongest model. Other commands: init, config, schema '
                    '(configuration), hook (pre-commit), github (the GitHub '
                    f'Action); see `{PROG} COMMAND --help`.',
    )
    p.add_argument('--version', action='version', version=f'%(prog)s {__version__}')
    what = p.add_mutually_exclusive_group()
    what.add_argument('--staged', action='store_true',
                      help='analyse the index against HEAD (the default)')
    what.add_argument('--since', metavar='REV',
                      help='analyse the commits REV..HEAD')
    what.add_argument('--base', metavar='REV',
                      help='analyse what a pull request from --head into REV would merge')
    p.add_argument('--head', metavar='REV',
                   help='with --base: the pull request head (default HEAD)')
    p.add_argument('-C', dest='directory', metavar='DIR',
                   help='run as if started in DIR')
    p.add_argument('--format', choices=('markdown', 'json'), default='markdown',
                   help='markdown: the prompt, only when a trigger fires '
                        '(default); json: always a report')
    p.add_argument('--output', metavar='PATH',
                   help='write the report to PATH (atomically) instead of stdout')
    p.add_argument('--fail-on-trigger', action='store_true',
                   help='exit 1 when a trigger fires')
    add_analysis_options(p)
    return p


def add_analysis_options(p: argparse.ArgumentParser) -> None:
    """--session-model, --config and --reviewer: shared with the hook."""
    p.add_argument('--session-model', metavar='NAME',
                   help=f'the model that wrote the change (default: ${ENV_SESSION_MODEL}, '
                        'else read from commit trailers)')
    p.add_argument('--config', metavar='PATH',
                   help='configuration file (default: .review-trigger.yaml, '
                        '.review-trigger.yml or [tool.review-trigger] in pyproject.toml; '
                        'for --base, read from the base commit)')
    p.add_argument('--reviewer', metavar='NAME',
                   help='the reviewing model named in the heading (default: Opus)')


def _summary(analysis: Analysis) -> str:
    n = len(analysis.change.files)
    files = f'{n} file{"s" if n != 1 else ""}'
    if not analysis.findings:
        return f'{PROG}: no trigger fired ({files} changed)'
    ids = ', '.join(f.trigger for f in analysis.findings)
    k = len(analysis.findings)
    return f'{PROG}: {k} trigger{"s" if k != 1 else ""} fired ({ids}) on {files}'


def run(argv: Sequence[str]) -> int:
    args = _run_parser().parse_args(argv)
    from review_trigger import git

    repo = git.open_repo(args.directory)
    rng = git.resolve_range(repo, since=args.since, base=args.base, head=args.head)
    # git computes the diff (and lists the files, for the context files)
    # while the configuration, the triggers and the prompt's code load.
    diff = git.Diff(repo, rng.base, git.new_side(rng))
    listing = git.PendingFiles(repo, git.new_side(rng))
    try:
        config = config_for(repo, rng, args.config, args.directory)
        from review_trigger import prompt as _prompt  # noqa: F401
        from review_trigger import routing as _routing  # noqa: F401
        from review_trigger.analyze import analyze
        analysis = analyze(repo, rng, config, diff)
        session = session_of(args.session_model, analysis, config)
        prompt = prompt_for(repo, analysis, session, config, args.reviewer, listing)
    finally:
        diff.close()
        listing.close()
    if args.format == 'json':
        from review_trigger import report
        text = report.dumps(report.build(analysis, session, prompt))
    else:
        text = prompt or ''
    emit(text, args.output, args.directory)
    print(_summary(analysis), file=sys.stderr)
    return 1 if analysis.findings and args.fail_on_trigger else 0


def config_for(repo: Repo, rng: Range, path: str | None, directory: str | None) -> Config:
    """The configuration in force: --config, else the repository's file
    (for a pull request, the base commit's, so it cannot disable its own
    review), else the defaults."""
    from review_trigger import config, git
    if path is not None:
        return config.load(config.read_file(os.path.join(directory or '.', path)))
    if rng.mode == 'pr':
        assert rng.base is not None
        base = rng.base
        return config.load(config.find_source(
            repo.root, read=lambda rel: git.read_path(repo, base, rel),
        ))
    return config.load(
        config.find_source(repo.root),
        cache_dir=os.path.join(repo.git_dir, 'review-trigger'),
    )


def prompt_for(repo: Repo, analysis: Analysis, session: Session, config: Config,
               reviewer: str | None = None,
               listing: PendingFiles | None = None) -> str | None:
    """The review prompt, or None when nothing fired (or the configuration
    skips changes written wholly by a reason-tier model)."""
    if not analysis.findings:
        return None
    if config.skip_if_reason_tier and session.source == 'trailers' and \
            not session.without_trailer and \
            all(m.tier == 'reason' for m in session.models):
        return None
    from review_trigger import git
    from review_trigger import prompt as prompt_mod
    rng = analysis.change.range
    if listing is None:
        listing = git.PendingFiles(repo, git.new_side(rng))
    context = prompt_mod.context_files(
        analysis, listing.result(),
        config.context_files, config.triggers['document']['adr_dirs'],
    )
    return prompt_mod.render(
        analysis, session=session, reviewer=reviewer or config.reviewer,
        context=context,
    )


def session_of(flag: str | None, analysis: Analysis, config: Config) -> Session:
    """The session model: --session-model, else $REVIEW_TRIGGER_SESSION_MODEL,
    else the AI trailers of the analysed commits."""
    from review_trigger import routing
    from review_trigger.prompt import Session
    table = config.models
    name = flag or os.environ.get(ENV_SESSION_MODEL, '').strip()
    if name:
        return Session((routing.named(name, table),), 0,
                       'flag' if flag else 'environment')
    models, without = routing.detect(analysis.commits, table)
    return Session(models, without if models else len(analysis.commits),
                   'trailers' if models else 'none')


def emit(text: str, output: str | None, directory: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from review_trigger.output import write_atomic
    write_atomic(os.path.join(directory or '.', output), text)


# Subcommands, imported only when used so the hook path stays light:
# name -> "module:function", the function taking argv and returning a code.
COMMANDS: dict[str, str] = {
    'init': 'review_trigger.config_cli:init',
    'config': 'review_trigger.config_cli:show',
    'schema': 'review_trigger.config_cli:schema',
    'hook': 'review_trigger.hook:main',
    'github': 'review_trigger.github.action:main',
}


def _command(name: str) -> Callable[[Sequence[str]], int]:
    import importlib
    module, func = COMMANDS[name].split(':')
    fn: Callable[[Sequence[str]], int] = getattr(importlib.import_module(module), func)
    return fn


def main(argv: Sequence[str] | None = None) -> int:
    from review_trigger.errors import UserError
    args = list(sys.argv[1:] if argv is None else argv)
    # A run is short and makes few reference cycles, while a large change
    # means hundreds of thousands of live records that every pass of the
    # cyclic collector would walk again (30 ms on a 20,000-file change).
    # Reference counting frees what the run drops; the collector runs again
    # after it, for a caller that goes on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if args and args[0] in COMMANDS:
            return _command(args[0])(args[1:])
        return run(args)
    except UserError as e:
        print(f'{PROG}: error: {e}', file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f'{PROG}: interrupted', file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
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
