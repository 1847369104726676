"""``review-trigger init --claude-md / --agents-md / --commands``: write the
routing sections and the per-tier slash commands into a repository.

- CLAUDE.md / AGENTS.md: the block between the begin and end markers is
  written (appended when there is none); every byte outside it is kept.
- ``.claude/commands/*.md``: a file is written when it is missing, or when
  it is still what review-trigger last wrote there (its SHA-256 is kept in
  ``<git dir>/review-trigger/generated.json``). A file edited by hand is
  never overwritten: it is named as skipped.

``--dry-run`` prints the unified diff of what would change and writes
nothing.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from review_trigger.errors import UserError
from review_trigger.options import PROG

if TYPE_CHECKING:
    from review_trigger.config import Config

COMMANDS_DIR = '.claude/commands'
STATE = 'generated.json'


class Planned(NamedTuple):
    path: str  # relative to the repository root, with /
    old: str | None  # None: the file does not exist
    new: str
    skipped: bool = False  # edited by hand since review-trigger wrote it


def _read(path: str) -> str | None:
    from review_trigger.files import read_regular
    from review_trigger.output import reason

    try:
        return read_regular(path).decode('utf-8', 'surrogateescape')
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise UserError(f'cannot read {path}: it is a directory')
    except OSError as e:
        raise UserError(f'cannot read {path}: {reason(e, os.path.dirname(path))}')


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode('utf-8', 'surrogateescape')).hexdigest()


def _state_path(git_dir: str) -> str:
    return os.path.join(git_dir, 'review-trigger', STATE)


def _load_state(git_dir: str) -> dict[str, str]:
    text = _read(_state_path(git_dir))
    try:
        data = json.loads(text) if text else {}
    except (ValueError, RecursionError):
        # RecursionError: valid JSON can nest deeper than the parser's
        # recursion allows.
        return {}
    return (
        {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(data, dict)
        else {}
    )


def plan_sections(root: str, name: str, config: Config | None, flag: str) -> Planned:
    from review_trigger.routing import render

    path = os.path.join(root, name)
    old = _read(os.path.realpath(path))
    new = render.replace_block(old or '', render.instructions_block(config, flag), name)
    return Planned(name, old, new)


def plan_commands(root: str, config: Config | None, state: dict[str, str]) -> list[Planned]:
    from review_trigger.routing import render

    out = []
    for filename, content in render.commands(config).items():
        rel = f'{COMMANDS_DIR}/{filename}'
        old = _read(os.path.join(root, rel))
        hand_edited = old is not None and old != content and state.get(rel) != _digest(old)
        out.append(Planned(rel, old, content, hand_edited))
    return out


def _diff(p: Planned) -> str:
    old = [] if p.old is None else p.old.splitlines(keepends=True)
    lines = difflib.unified_diff(
        old,
        p.new.splitlines(keepends=True),
        '/dev/null' if p.old is None else f'a/{p.path}',
        f'b/{p.path}',
    )
    return ''.join(
        line if line.endswith('\n') else line + '\n\\ No newline at end of file\n' for line in lines
    )


def init(
    directory: str | None,
    *,
    claude_md: bool = False,
    agents_md: bool = False,
    commands: bool = False,
    dry_run: bool = False,
    environ: Mapping[str, str] | None = None,
) -> int:
    from review_trigger import git
    from review_trigger.output import emit, write_atomic
    from review_trigger.routing.command import load_config

    repo = git.open_repo(directory, environ)
    config = load_config(repo.root, None, environ)
    state = _load_state(repo.git_dir)
    planned: list[Planned] = []
    if claude_md:
        planned.append(plan_sections(repo.root, 'CLAUDE.md', config, '--claude-md'))
    if agents_md:
        planned.append(plan_sections(repo.root, 'AGENTS.md', config, '--agents-md'))
    if commands:
        planned += plan_commands(repo.root, config, state)
    changed = [p for p in planned if not p.skipped and p.old != p.new]
    skipped = [p for p in planned if p.skipped]
    if dry_run:
        # The report, like any other: all of it, or an error if stdout's
        # encoding cannot hold it.
        emit(''.join(_diff(p) for p in changed), None)
    else:
        for p in changed:
            target = os.path.join(repo.root, p.path)
            write_atomic(os.path.realpath(target) if os.path.islink(target) else target, p.new)
        written = {
            p.path: _digest(p.new) for p in planned if not p.skipped and p.path.startswith(COMMANDS_DIR + '/')
        }
        if written and any(state.get(k) != v for k, v in written.items()):
            write_atomic(
                _state_path(repo.git_dir), json.dumps({**state, **written}, indent=2, sort_keys=True) + '\n'
            )
    verb = 'would write' if dry_run else 'wrote'
    for p in changed:
        print(f'{PROG}: {verb} {p.path}', file=sys.stderr)
    for p in planned:
        if not p.skipped and p.old == p.new:
            print(f'{PROG}: {p.path} is up to date', file=sys.stderr)
    for p in skipped:
        print(
            f'{PROG}: skipped {p.path}: edited by hand since {PROG} wrote it '
            f'(move it away to get the new version)',
            file=sys.stderr,
        )
    return 0


def flags_given(args: object, names: Sequence[str] = ('claude_md', 'agents_md', 'commands')) -> bool:
    return any(getattr(args, n, False) for n in names)
