"""The sticky note: one review-trigger note per pull (merge) request, kept
up to date, whatever the host.

A note is ours when it holds the marker *and* its author is our identity:
anybody may quote the marker, and such notes are never edited or deleted.
Runs for the same pull request can race (two pushes in quick succession),
and a create that timed out on our side may have landed all the same; every
run reads all the notes (again after creating one), and ``plan`` keeps the
oldest and deletes the others, so the result is one note whatever the timing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, NamedTuple

MARKER = '<!-- review-trigger:sticky-comment -->'

# The cap on any one wait before a retry, whatever the host asks for.
MAX_RETRY_WAIT_ENV = 'REVIEW_TRIGGER_MAX_RETRY_WAIT'
DEFAULT_MAX_RETRY_WAIT = 60.0

Action = Literal['created', 'updated', 'deleted', 'unchanged', 'skipped', 'failed']
Mode = Literal['update', 'delete']
MODES: tuple[Mode, ...] = ('update', 'delete')


class Identity(NamedTuple):
    """Who our notes are written by. ``login`` is known when the token can
    say who it is; an integration token cannot (GitHub's ``GET /user`` is
    403 for an Actions token or an App installation token), and then
    ``bots`` names the bot accounts that may be ours, and ``app`` says that
    a note made through an app by its own ``<slug>[bot]`` is ours."""

    login: str | None
    bots: tuple[str, ...] = ()
    app: bool = False


class Note(NamedTuple):
    """A note on the pull request, as the host lists it (oldest first)."""

    id: int
    body: str
    author: str | None
    url: str | None
    app_slug: str | None = None  # the app it was made through, if any


class Outcome(NamedTuple):
    """What a sync did. ``status`` is the host's HTTP status of a failure
    (None for a network error or success); ``rate_limited`` says whether
    the failure was a rate limit, which is not a permission problem."""

    action: Action
    comment_id: int | None
    url: str | None  # the note's web address; None if none is left
    message: str  # one line for humans (annotations, job summary)
    status: int | None = None
    rate_limited: bool = False


class Plan(NamedTuple):
    """What to do: ``action`` on ``keep`` (None: create one), and the
    duplicates to delete."""

    action: Action
    keep: Note | None
    duplicates: tuple[Note, ...]


def compose(marker: str, body: str, limit: int) -> str:
    """The posted text: the marker on a line of its own, then ``body``."""
    text = f'{marker}\n{body}'
    if len(text) > limit:
        raise ValueError(
            f'comment body is {len(text)} characters with the marker; '
            f'the host takes at most {limit}: truncate it first',
        )
    return text


def is_ours(note: Note, *, marker: str, me: Identity) -> bool:
    """Ours by author, sticky by marker."""
    if marker not in note.body or note.author is None:
        return False
    author = note.author.casefold()  # logins are case-insensitive
    if me.login is not None:
        return author == me.login.casefold()
    if author in (b.casefold() for b in me.bots):
        return True
    # An App installation token: the app writes as "<slug>[bot]", and the
    # host records which app a note was made through.
    return me.app and note.app_slug is not None and author == f'{note.app_slug}[bot]'.casefold()


def ours(notes: Iterable[Note], *, marker: str, me: Identity) -> list[Note]:
    return [n for n in notes if is_ours(n, marker=marker, me=me)]


def plan(mine: Sequence[Note], wanted: str | None) -> Plan:
    """What to do with our notes ``mine`` (oldest first) to leave exactly
    one holding ``wanted`` (None: none at all)."""
    if not mine:
        return Plan('skipped' if wanted is None else 'created', None, ())
    keep, duplicates = mine[0], tuple(mine[1:])
    if wanted is None:
        return Plan('deleted', None, tuple(mine))
    if keep.body == wanted:
        return Plan('unchanged', keep, duplicates)
    return Plan('updated', keep, duplicates)


def max_wait_of(env: Mapping[str, str]) -> float:
    """The cap on a retry wait that ``REVIEW_TRIGGER_MAX_RETRY_WAIT`` sets
    (seconds), else 60. Raises ValueError, naming the variable, for anything
    but a finite number >= 0."""
    raw = env.get(MAX_RETRY_WAIT_ENV, '').strip()
    if not raw:
        return DEFAULT_MAX_RETRY_WAIT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not is_wait(value):
        raise ValueError(f'{MAX_RETRY_WAIT_ENV} must be a number of seconds >= 0, not {raw!r}')
    return value


def is_wait(seconds: float) -> bool:
    """Whether ``seconds`` can cap a wait: finite and >= 0 (NaN is not)."""
    return seconds >= 0 and not math.isinf(seconds)
