"""Which model wrote the change, and which tier of the routing table it is.

The model is read from commit trailers AI coding tools add
(``Co-authored-by: Claude Sonnet 4.6 <noreply@anthropic.com>``,
``Claude-Generated-By: Claude Code (cli/claude-opus-4-5=100%)``, ...).
A name the tier table does not know is reported by name, tier ``unknown``.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from review_trigger.change import Commit
from review_trigger.words import split_words

_TRAILER = re.compile(
    r'^(co-authored-by|claude-generated-by|generated-by|assisted-by|ai-model|'
    r'x-ai-model|model)[ \t]*:[ \t]*(.+?)[ \t]*$',
    re.I | re.M,
)
_EMAIL = re.compile(r'\s*<[^>]*>\s*$')
_MODEL_ID = re.compile(
    r'\b(claude-(?:[a-z0-9]+-)*?(?:haiku|sonnet|opus)[a-z0-9.-]*|gpt-[a-z0-9.-]+|'
    r'o[134](?:-mini)?|gemini-[a-z0-9.-]+|(?:mistral|codestral|devstral|ministral)-[a-z0-9.-]+)',
    re.I,
)
# Names of AI tools that co-author commits without naming a model.
_AGENTS = (
    'claude', 'copilot', 'cursor agent', 'cursor', 'aider', 'codex', 'gemini',
    'windsurf', 'cline', 'amazon q', 'codeium', 'tabnine', 'openhands', 'gpt',
    'chatgpt', 'mistral',
)
# Agents whose names are also people's names count only as a bot account.
_BOT_WORDS = frozenset(('ai', 'devin', 'jules', 'sweep', 'agent', *_AGENTS))
_AI_EMAILS = ('@anthropic.com', '@openai.com', '@cursor.com', '@aider.chat')


class SessionModel(NamedTuple):
    name: str
    tier: str           # execute | generate | reason | unknown
    commits: int


def tier_of(name: str, table: Sequence[tuple[str, str]]) -> str:
    words = split_words(name.replace('.', ' '))
    for pattern, tier in table:
        # Every word of the pattern, in order, not necessarily adjacent:
        # "gemini pro" matches "Gemini 2.5 Pro".
        rest = iter(words)
        if all(any(w == want for w in rest) for want in split_words(pattern.replace('.', ' '))):
            return tier
    return 'unknown'


def _pretty(model_id: str) -> str:
    m = re.match(
        r'claude-(?:(\d+(?:-\d)?)-)?(haiku|sonnet|opus)(?:-(\d{1,2})(?:-(\d))?)?\b',
        model_id, re.I,
    )
    if m:
        version = m[3] and (m[3] + (f'.{m[4]}' if m[4] else ''))
        version = version or (m[1] or '').replace('-', '.')
        return f'{m[2].title()} {version}'.strip()
    return model_id


def model_from_trailer(value: str) -> str | None:
    """The model a trailer's value names, or None if it is not an AI's."""
    name = _EMAIL.sub('', value).strip()
    email = value[len(name):].lower()
    m = _MODEL_ID.search(name)
    if m:
        return _pretty(m[1])
    words = split_words(name)
    joined = f' {" ".join(words)} '
    is_ai = any(f' {a} ' in joined for a in _AGENTS) or \
        any(e in email for e in _AI_EMAILS) or \
        (name.endswith('[bot]') and not _BOT_WORDS.isdisjoint(words))
    if not is_ai:
        return None
    name = re.sub(r'\s*\([^)]*\)\s*$', '', name).strip()   # "(1M context)"
    if name.lower().startswith('claude ') and len(name) > 7:
        name = name[7:]
    return name


def models_in(commit: Commit) -> list[str]:
    found = []
    for _key, value in _TRAILER.findall(commit.message):
        model = model_from_trailer(value)
        if model and model not in found:
            found.append(model)
    return found


def detect(
        commits: Iterable[Commit], table: Sequence[tuple[str, str]],
) -> tuple[tuple[SessionModel, ...], int]:
    """Models that wrote ``commits`` (most commits first), and how many
    commits carry no AI trailer."""
    counts: Counter[str] = Counter()
    without = 0
    for c in commits:
        models = models_in(c)
        if not models:
            without += 1
        counts.update(models)
    return tuple(
        SessionModel(name, tier_of(name, table), n)
        for name, n in counts.most_common()
    ), without


def named(name: str, table: Sequence[tuple[str, str]]) -> SessionModel:
    """A model given by flag or environment."""
    return SessionModel(name, tier_of(name, table), 0)
