"""The error policy every entry point shares: one error type for what the
user can fix, exit codes as an enum, and one handler at the top."""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable, Mapping


class UserError(Exception):
    """Something the user can fix: a bad revision, option or configuration.

    Carries a one-line message. ``guarded`` prints it to stderr; exit 2.
    """


class Exit(enum.IntEnum):
    OK = 0  # analysed, whether or not a trigger fired
    TRIGGERED = 1  # a trigger fired and the caller asked to fail on it
    USER_ERROR = 2  # usage, configuration or git error: one line on stderr
    INTERNAL_ERROR = 3  # a bug: one line, and a log with the traceback
    INTERRUPTED = 130


LOG_NAME = 'review-trigger.log'


def crash_log_path(environ: Mapping[str, str] | None = None) -> str:
    """Where an internal error's traceback is kept (like pre-commit's log):
    the user's cache folder, which is never the work tree. ``environ``: the
    run's environment (None: the process's, as it is now)."""
    env = os.environ if environ is None else environ
    home = env.get('HOME') or os.path.expanduser('~')
    cache = env.get('XDG_CACHE_HOME') or os.path.join(home, '.cache')
    return os.path.join(cache, 'review-trigger', LOG_NAME)


def write_crash_log(exc: BaseException, environ: Mapping[str, str] | None = None) -> str | None:
    """Write the version, platform and traceback of ``exc``; its path, or
    None if it could not be written."""
    import platform
    import traceback

    from review_trigger import __version__
    from review_trigger.git.run import version

    git_version = version(environ)
    text = (
        f'### version information\n\n'
        f'review-trigger {__version__}\n{git_version}\n'
        f'python {sys.version.split()[0]} ({sys.executable})\n'
        f'platform {platform.platform()}\n\n'
        f'### traceback\n\n' + ''.join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    )
    path = crash_log_path(environ)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8', errors='replace') as f:
            f.write(text)
    except OSError:
        return None
    return path


def shown(message: str) -> str:
    """An error message as it is printed: on one line (control characters,
    a newline in a path among them, escaped) and with every secret shape
    masked, since it may quote a value from the configuration or the
    command line. The built-in shapes: the configuration may be what
    failed to load."""
    try:
        from review_trigger import redact
        from review_trigger.config import default_config
        from review_trigger.markdown import visible_line

        return visible_line(redact.for_config(default_config()).text(message))
    except Exception:  # pragma: no cover  (a bug in masking must not show the value)
        return '(the message could not be masked)'


def guarded(
    fn: Callable[[], int],
    prog: str = 'review-trigger',
    note: str = '',
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run ``fn`` with the one error policy: a UserError is one line on
    stderr and exit 2; ^C exits 130; a closed stdout is not our failure;
    anything else is a bug: one line naming the log that holds the
    traceback, and exit 3 (never 1, which means a trigger fired).
    ``note`` ends both messages (the informational hook's "not blocking");
    ``environ`` is the run's environment, for the log's place."""
    try:
        return fn()
    except UserError as e:
        print(f'{prog}: error: {shown(str(e))}{note}', file=sys.stderr)
        return Exit.USER_ERROR
    except KeyboardInterrupt:
        print(f'{prog}: interrupted', file=sys.stderr)
        return Exit.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): not an error of ours.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return Exit.OK
    except Exception as e:
        log = write_crash_log(e, environ)
        where = f'the traceback is in {log}' if log else 'no log could be written'
        print(
            f'{prog}: internal error ({type(e).__name__}), please report it: {where}{note}', file=sys.stderr
        )
        return Exit.INTERNAL_ERROR
