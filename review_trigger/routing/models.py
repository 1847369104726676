"""Which model wrote the change, and which tier of the routing table it is.

The model is read from commit trailers AI coding tools add
(``Co-authored-by: Claude Sonnet 4.6 <noreply@anthropic.com>``,
``Claude-Generated-By: Claude Code (cli/claude-opus-4-5=100%)``, ...).
The name is kept as the trailer writes it, and marked ``claimed``: anyone
can write a trailer. A name the tier table does not know is reported by
name, tier ``unknown``.

Parsing is linear in the message and bounded: only the last
``MAX_MESSAGE`` characters are read (trailers end a message), a line
longer than ``MAX_LINE`` is not a trailer, and every regex below runs on
one short line with no nested or adjacent unbounded quantifiers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from review_trigger.change import Commit
from review_trigger.words import split_words

MAX_MESSAGE = 64 * 1024  # characters of a message read, from its end
MAX_LINE = 500  # characters of one trailer line
MAX_TRAILERS = 50  # AI trailers read from one commit

_KEYS = frozenset(
    (
        'co-authored-by',
        'claude-generated-by',
        'generated-by',
        'assisted-by',
        'ai-model',
        'x-ai-model',
        'model',
    )
)
_KEY = re.compile(r'[A-Za-z-]{1,32}')
_EMAIL = re.compile(r'<[^<>]*>$')
_MODEL_ID = re.compile(
    r'\b(claude-(?:[a-z0-9]+-){0,6}(?:haiku|sonnet|opus)[a-z0-9.-]{0,40}|gpt-[a-z0-9.-]{1,40}|'
    r'o[134](?:-mini)?|gemini-[a-z0-9.-]{1,40}|(?:mistral|codestral|devstral|ministral)-[a-z0-9.-]{1,40})',
    re.I,
)
# Names of AI tools that co-author commits, found anywhere in the name.
_AGENTS = (
    'copilot',
    'cursor agent',
    'cursor',
    'aider',
    'codex',
    'gemini',
    'windsurf',
    'cline',
    'amazon q',
    'codeium',
    'tabnine',
    'openhands',
    'gpt',
    'chatgpt',
    'mistral',
)
# Tools whose names are also people's names: they count only first in the
# name and with an AI's address or a model after them ("Claude Sonnet 4.6",
# "Claude <noreply@anthropic.com>"), never for "Claude Monet".
_PERSON_LIKE = ('claude',)
_MODEL_WORDS = frozenset(('haiku', 'sonnet', 'opus', 'code', 'agent', 'ai', 'bot'))
# Agents whose names are also people's names count only as a bot account.
_BOT_WORDS = frozenset(('ai', 'devin', 'jules', 'sweep', 'agent', 'claude', *_AGENTS))
# The no-reply addresses tools sign with; a person at the same company is
# not a model.
_AI_EMAILS = (
    'noreply@anthropic.com',
    'no-reply@anthropic.com',
    'noreply@openai.com',
    'cursoragent@cursor.com',
    'noreply@aider.chat',
)
UNNAMED = '(model not named)'


class SessionModel(NamedTuple):
    name: str
    tier: str  # execute | generate | reason | unknown
    commits: int
    claimed: bool = False  # read from a trailer: what the commit says, unverified


def tier_of(name: str, table: Sequence[tuple[str, str]]) -> str:
    words = split_words(name.replace('.', ' '))
    for pattern, tier in table:
        # Every word of the pattern, in order, not necessarily adjacent:
        # "gemini pro" matches "Gemini 2.5 Pro".
        rest = iter(words)
        if all(any(w == want for w in rest) for want in split_words(pattern.replace('.', ' '))):
            return tier
    return 'unknown'


def model_from_trailer(value: str) -> str | None:
    """The model a trailer's value names (as written), or None if it is
    not an AI's."""
    value = value[:MAX_LINE].strip()
    m = _EMAIL.search(value)
    email = m[0][1:-1].strip().lower() if m else ''
    name = value[: m.start()].strip() if m else value
    found = _MODEL_ID.search(name)
    if found:
        return found[1]
    if '(' in name:  # "Claude Opus 4.6 (1M context)"
        name = name[: name.index('(')].strip()
    words = split_words(name)
    joined = f' {" ".join(words)} '
    ai_email = email in _AI_EMAILS
    if words and words[0] in _PERSON_LIKE:
        rest = words[1:]
        if ai_email or any(w.isdigit() or w in _MODEL_WORDS for w in rest):
            return name if rest else f'{name} {UNNAMED}'
    if (
        any(f' {a} ' in joined for a in _AGENTS)
        or (name.endswith('[bot]') and not _BOT_WORDS.isdisjoint(words))
        or (ai_email and words)
    ):
        return name
    return None


def pretty(model_id: str) -> str:
    """A model id as people write it: ``claude-haiku-4-5`` -> ``Haiku 4.5``
    (for names an agent reports itself, not for trailers, which are kept as
    written). Anything else is returned unchanged."""
    m = re.match(
        r'claude-(?:(\d+(?:-\d)?)-)?(haiku|sonnet|opus)(?:-(\d{1,2})(?:-(\d))?)?\b',
        model_id[:MAX_LINE],
        re.I,
    )
    if m:
        version = m[3] and (m[3] + (f'.{m[4]}' if m[4] else ''))
        version = version or (m[1] or '').replace('-', '.')
        return f'{m[2].title()} {version}'.strip()
    return model_id


def _trailer_lines(message: str) -> Iterable[str]:
    """Values of the AI trailer lines of ``message`` (bounded, linear)."""
    text = message[-MAX_MESSAGE:]
    for line in text.split('\n'):
        if len(line) > MAX_LINE or ':' not in line:
            continue
        key, _, value = line.partition(':')
        key = key.rstrip(' \t')
        if _KEY.fullmatch(key) and key.lower() in _KEYS:
            yield value.strip()


def models_in(commit: Commit, seen: dict[str, str | None] | None = None) -> list[str]:
    """The models a commit's AI trailers name; ``seen``: what each trailer
    value named in the run's other commits (the same few people and agents
    sign most of a range's commits)."""
    found: list[str] = []
    for value in _trailer_lines(commit.message):
        if seen is None:
            model = model_from_trailer(value)
        elif value in seen:
            model = seen[value]
        else:
            model = seen[value] = model_from_trailer(value)
        if model and model not in found:
            found.append(model)
            if len(found) >= MAX_TRAILERS:
                break
    return found


def detect(
    commits: Iterable[Commit],
    table: Sequence[tuple[str, str]],
) -> tuple[tuple[SessionModel, ...], int]:
    """Models that wrote ``commits`` (most commits first), and how many
    commits carry no AI trailer. The names are claimed, not verified."""
    counts: Counter[str] = Counter()
    without = 0
    seen: dict[str, str | None] = {}
    for c in commits:
        models = models_in(c, seen)
        if not models:
            without += 1
        counts.update(models)
    return tuple(
        SessionModel(name, tier_of(name, table), n, True) for name, n in counts.most_common()
    ), without


def named(name: str, table: Sequence[tuple[str, str]]) -> SessionModel:
    """A model given by flag or environment."""
    return SessionModel(name, tier_of(name, table), 0)
