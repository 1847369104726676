"""Talking to the GitHub Actions runner: workflow commands, step outputs and
the job summary.

Nothing here imports PyGithub. Text taken from a pull request (file names)
only ever reaches the log escaped, so it cannot start a workflow command of
its own.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from typing import TextIO
from urllib.parse import urlsplit

from review_trigger.errors import UserError

DEFAULT_API_URL = 'https://api.github.com'

# GitHub keeps at most this much summary per step (1 MiB) and refuses the
# whole summary of a step that wrote more.
MAX_SUMMARY_BYTES = 1024 * 1024

# GitHub shows at most 10 warning annotations per step (and 50 per job);
# the rest are dropped silently.
MAX_WARNINGS = 10


def api_url(environ: Mapping[str, str]) -> str:
    """``GITHUB_API_URL`` (default https://api.github.com), refused unless
    it is an http(s) URL with a host."""
    value = environ.get('GITHUB_API_URL', DEFAULT_API_URL).strip()
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ('http', 'https') and bool(parts.hostname)
    except ValueError:  # an invalid port or IPv6 address
        ok = False
    if not ok:
        raise UserError(f'GITHUB_API_URL must be an http(s) URL such as {DEFAULT_API_URL}, not {value!r}')
    return value.rstrip('/')


def escape_data(text: str) -> str:
    """The message of a workflow command, escaped as @actions/core does.

    A file name that is not UTF-8 (kept as surrogate escapes) is shown with
    U+FFFD in its place rather than failing to print.
    """
    text = text.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')
    return text.replace('%', '%25').replace('\r', '%0D').replace('\n', '%0A')


def escape_property(text: str) -> str:
    """A property value (``file=``, ``title=``) of a workflow command."""
    return escape_data(text).replace(':', '%3A').replace(',', '%2C')


def command(name: str, message: str, properties: Mapping[str, str | int] | None = None) -> str:
    """One workflow command line, e.g. ``::warning file=a%2Cb::text``."""
    props = ','.join(
        f'{key}={escape_property(str(value))}' for key, value in (properties or {}).items() if value != ''
    )
    return f'::{name}{" " + props if props else ""}::{escape_data(message)}'


def annotate(out: TextIO, level: str, message: str, **properties: str | int) -> None:
    """Write a ``::notice::``, ``::warning::`` or ``::error::`` annotation."""
    if level not in ('notice', 'warning', 'error'):
        raise ValueError(f'not an annotation level: {level!r}')
    out.write(command(level, message, properties) + '\n')
    out.flush()


def set_outputs(values: Mapping[str, str], environ: Mapping[str, str]) -> None:
    """Append step outputs to ``$GITHUB_OUTPUT`` (the multi-line form, with
    a random delimiter that a value cannot contain)."""
    path = environ.get('GITHUB_OUTPUT', '')
    if not path:
        return
    chunks = []
    for name, value in values.items():
        while True:
            delimiter = f'ghadelimiter_{secrets.token_hex(16)}'
            if delimiter not in value and delimiter not in name:
                break
        chunks.append(f'{name}<<{delimiter}\n{value}\n{delimiter}\n')
    _append(path, ''.join(chunks))


def summary_budget(environ: Mapping[str, str]) -> int:
    """Bytes this step may still add to its job summary."""
    path = environ.get('GITHUB_STEP_SUMMARY', '')
    if not path:
        return 0
    try:
        used = os.path.getsize(path)
    except OSError:
        used = 0
    return max(0, MAX_SUMMARY_BYTES - used)


def append_summary(text: str, environ: Mapping[str, str]) -> bool:
    """Append markdown to ``$GITHUB_STEP_SUMMARY``; False if there is none.

    The caller keeps ``text`` within ``summary_budget``; anything longer is
    cut here at a line boundary with a note, never sent whole to be refused.
    """
    path = environ.get('GITHUB_STEP_SUMMARY', '')
    if not path:
        return False
    budget = summary_budget(environ)
    if len(text.encode('utf-8', 'surrogateescape')) > budget:
        note = '\n\n*(cut: GitHub keeps at most 1 MiB of job summary per step)*\n'
        text = cut_lines(text, budget - len(note.encode()))[0] + note
    _append(path, text)
    return True


def cut_lines(text: str, max_bytes: int) -> tuple[str, int]:
    """The longest run of whole lines of ``text`` within ``max_bytes`` UTF-8
    bytes, and how many lines that is."""
    if len(text.encode('utf-8', 'surrogateescape')) <= max_bytes:
        return text, text.count('\n') + (not text.endswith('\n'))
    kept: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        n = len(line.encode('utf-8', 'surrogateescape'))
        if size + n > max_bytes:
            break
        kept.append(line)
        size += n
    return ''.join(kept), len(kept)


def run_url(environ: Mapping[str, str]) -> str | None:
    """The web address of this workflow run, when the runner says it."""
    server = environ.get('GITHUB_SERVER_URL', '').rstrip('/')
    repo = environ.get('GITHUB_REPOSITORY', '')
    run_id = environ.get('GITHUB_RUN_ID', '')
    if not (server and repo and run_id.isdigit()):
        return None
    attempt = environ.get('GITHUB_RUN_ATTEMPT', '')
    tail = f'/attempts/{attempt}' if attempt.isdigit() and attempt != '1' else ''
    return f'{server}/{repo}/actions/runs/{run_id}{tail}'


def warn_files(
    out: TextIO,
    files: Sequence[tuple[str, Sequence[str]]],
) -> int:
    """One warning annotation per file naming its triggers (GitHub shows the
    first MAX_WARNINGS); returns how many were written."""
    shown = files[:MAX_WARNINGS]
    for path, triggers in shown:
        ids = ', '.join(triggers)
        annotate(
            out,
            'warning',
            f'review-trigger: {ids} fired on this file; the pull request '
            f"needs the strongest model's review (see the job summary).",
            file=path,
            title=f'review-trigger: {ids}',
        )
    if len(files) > len(shown):
        out.write(
            f'review-trigger: {len(files) - len(shown)} more files fired a '
            f'trigger (GitHub shows {MAX_WARNINGS} warnings a step; all are '
            f'in the job summary and the report)\n',
        )
    return len(shown)


def _append(path: str, text: str) -> None:
    with open(path, 'a', encoding='utf-8', errors='replace', newline='') as f:
        f.write(text)
