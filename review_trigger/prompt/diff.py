"""The diff appended to the prompt (``--include-diff[=BUDGET]``): the
files the concerns name, most important first, within a token budget.

Each hunk is its own fenced block (``markdown.fence``: longer than any
backtick run in it), every secret span is masked, binary, lock, generated
and vendored files are named with a line instead, and whatever did not fit
is listed with the command that shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from review_trigger import git
from review_trigger.change import FileChange, Range
from review_trigger.git import bundle
from review_trigger.markdown import code, fence
from review_trigger.prices import CHARS_PER_TOKEN, tokens
from review_trigger.redact import Redactor

DEFAULT_BUDGET = 30_000  # tokens
MAX_LEFT_OUT = 50  # files listed as not fitting, each with its command


class Included(NamedTuple):
    text: str
    budget: int
    tokens: int
    files: tuple[str, ...]  # included whole
    partial: tuple[str, ...]  # some hunks included
    omitted: tuple[tuple[str, str], ...]  # (path, why) never included
    left_out: tuple[str, ...]  # did not fit

    def as_json(self) -> dict[str, object]:
        return {
            'budget_tokens': self.budget,
            'tokens': self.tokens,
            'files': list(self.files),
            'partial': list(self.partial),
            'omitted': [{'path': p, 'why': w} for p, w in self.omitted],
            'left_out': list(self.left_out),
        }


# Key material: a private key's body lines can change in a hunk that does
# not show its BEGIN line, so the masking could not tell them from text.
_KEY_EXTENSIONS = frozenset(
    ('key', 'pem', 'p12', 'pfx', 'jks', 'keystore', 'der', 'p8', 'ppk', 'asc', 'gpg', 'pgp')
)
_KEY_NAMES = frozenset(('id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', '.netrc', '.pgpass', 'credentials'))


def _key_material(path: str) -> bool:
    base = path.rpartition('/')[2]
    ext = base.rpartition('.')[2].lower() if '.' in base.lstrip('.') else ''
    return ext in _KEY_EXTENSIONS or base in _KEY_NAMES or base.startswith('.env')


def _why_omitted(f: FileChange) -> str | None:
    if _key_material(f.path):
        return 'key, credential or environment file: read it in the repository'
    if f.submodule:
        return 'submodule'
    if f.binary:
        return 'binary'
    if f.generated:
        return 'lock, generated or vendored file'
    return None


def _hunks(patch: str) -> tuple[str, list[str]]:
    """A file's patch as its header and its hunks."""
    lines = patch.split('\n')
    head: list[str] = []
    hunks: list[list[str]] = []
    for line in lines:
        if line.startswith('@@ '):
            hunks.append([line])
        elif hunks:
            hunks[-1].append(line)
        else:
            head.append(line)
    return '\n'.join(head), ['\n'.join(h).rstrip('\n') for h in hunks]


def build(
    repo: git.Repo,
    rng: Range,
    files: Sequence[tuple[FileChange, FileChange]],
    budget: int,
    red: Redactor,
    tree: str | None = None,
) -> Included:
    """The diff section of ``files``: (as read from git, as shown) pairs,
    most important first."""
    sides = bundle.sides(repo, rng, tree)
    title = (
        f'**The diff** (of the files to review, most important first; at most '
        f'{budget:,} tokens; each hunk is quoted data, secrets are masked):'
    )
    parts: list[str] = [title]
    used = tokens(title) + 1
    included: list[str] = []
    partial: list[str] = []
    omitted: list[tuple[str, str]] = []
    left: list[tuple[FileChange, FileChange]] = []

    def line_cost_of(raw: FileChange, shown: FileChange) -> int:
        return tokens(_left_line(sides, raw, shown)) + 1

    # Room is kept for the list of what may not fit: the files not yet
    # read and those left out (the first MAX_LEFT_OUT of them), its heading
    # and the line for the rest, so that the section never passes ``budget``.
    line_cost = [tokens(_left_line(sides, r, s)) + 1 for r, s in files[: MAX_LEFT_OUT * 2]]
    whole = 40 + tokens(bundle.command(sides))
    left_cost = 0

    def reserve(i: int) -> int:
        n_left = len(left)
        if n_left >= MAX_LEFT_OUT:
            return 60 + whole + left_cost
        ahead = [
            line_cost[j] if j < len(line_cost) else 60
            for j in range(i, min(len(files), i + MAX_LEFT_OUT - n_left))
        ]
        return 60 + whole + left_cost + sum(ahead)

    def leave(raw: FileChange, shown: FileChange) -> None:
        nonlocal left_cost
        if len(left) < MAX_LEFT_OUT:
            left_cost += tokens(_left_line(sides, raw, shown)) + 1
        left.append((raw, shown))

    for i, (raw, shown) in enumerate(files):
        why = _why_omitted(raw)
        if why is not None:
            line = f'- {code(shown.path)}: not included ({why})'
            omitted.append((shown.path, why))
            if used + tokens(line) + 1 + reserve(i + 1) <= budget:
                parts.append(line)
                used += tokens(line) + 1
            continue
        room = budget - used - reserve(i + 1)
        if room <= 0:
            leave(raw, shown)
            continue
        paths = [raw.path] if raw.old_path is None else [raw.old_path, raw.path]
        data, longer = bundle.file_diff(repo, sides, paths, room * CHARS_PER_TOKEN)
        patch = red.text(data.decode('utf-8', 'replace'))
        _, hunks = _hunks(patch)
        header = f'- {code(shown.path)} ({_counts(shown)}):'
        if not hunks:
            line = f'- {code(shown.path)}: no text changes to show ({shown.status})'
            if used + tokens(line) + 1 + reserve(i + 1) > budget:
                leave(raw, shown)
                continue
            parts.append(line)
            used += tokens(line) + 1
            included.append(shown.path)
            continue
        if longer:
            hunks = hunks[:-1]  # the last one read may be cut
        blocks = []
        cost = tokens(header) + 1
        for h in hunks:
            block = fence(h, 'diff')
            # A file cut short is listed as left out too: keep its line's room.
            if used + cost + tokens(block) + 1 + reserve(i + 1) + line_cost_of(raw, shown) > budget:
                longer = True
                break
            blocks.append(block)
            cost += tokens(block) + 1
        if not blocks:
            leave(raw, shown)
            continue
        parts.append(header)
        parts.extend(blocks)
        used += cost
        if longer:
            partial.append(shown.path)
            leave(raw, shown)
        else:
            included.append(shown.path)
    if left:
        parts.append('')
        parts.append(
            f'Not included, for lack of room ({len(left)} file'
            f'{"s" if len(left) != 1 else ""}; the commands show them):'
        )
        parts += [_left_line(sides, r, s) for r, s in left[:MAX_LEFT_OUT]]
        if len(left) > MAX_LEFT_OUT:
            parts.append(
                f'- and {len(left) - MAX_LEFT_OUT} more: the whole change is {code(bundle.command(sides))}'
            )
    out = '\n'.join(parts)
    return Included(
        out,
        budget,
        tokens(out),
        tuple(included),
        tuple(partial),
        tuple(omitted),
        tuple(s.path for _, s in left),
    )


def _counts(f: FileChange) -> str:
    return f'{f.status}, +{f.added_lines} -{f.deleted_lines}'


def _left_line(sides: Sequence[str], raw: FileChange, shown: FileChange) -> str:
    paths = [raw.path] if raw.old_path is None else [raw.old_path, raw.path]
    if (shown.path, shown.old_path) != (raw.path, raw.old_path):
        cmd = bundle.command(sides) + ' (its path holds a masked secret)'
        return f'- {code(shown.path)}: {code(cmd)}'
    return f'- {code(shown.path)}: {code(bundle.command(sides, paths))}'
