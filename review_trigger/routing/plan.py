"""The upcoming tasks of a plan file, classified against the routing table
(section 6 of the design).

A task is a markdown list item, a checkbox item or a heading under a
"Next" / "Upcoming" / "TODO" section (any heading level; the section ends
at the next heading of the same or a higher level). A plan with no such
section has its unchecked list and checkbox items as tasks. Completed
checkboxes (``- [x]``) are skipped, with the items nested under them;
fenced code is not read.

A task is classified by the words of its text against each task type's
keywords, with the same word-aware matching as the triggers
(``words.find_word``: ``ADR-005`` has the word ``adr``, ``authors`` is not
``auth``). When several task types match, the highest tier wins (under-
routing is the dangerous failure), then the type named first in the
task's text ("ADR-005: auth architecture decision" is an ADR), then the
longest keyword. When none matches, the task is ``unclassified``: it is
never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from review_trigger.config import DEFAULT_PLAN as DEFAULT_PLAN  # routing.plan's default
from review_trigger.errors import UserError
from review_trigger.routing.table import Table, TaskType
from review_trigger.words import WordSet, compile_words, find_word, split_words

MAX_PLAN_BYTES = 1_000_000
MAX_TASKS = 500
MAX_TASK_CHARS = 1000
SECTION_WORDS = frozenset(('next', 'upcoming', 'todo', 'todos'))

_HEADING = re.compile(r'(#{1,6})[ \t]+(.*?)[ \t#]*$')
_ITEM = re.compile(r'([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$')
_CHECKBOX = re.compile(r'\[([ xX])\][ \t]*(.*)$')


class Task(NamedTuple):
    text: str
    line: int


class Routed(NamedTuple):
    task: Task
    task_type: TaskType | None  # None: unclassified
    keyword: str | None  # the keyword that classified it


class Route(NamedTuple):
    table: Table
    tasks: tuple[Routed, ...]
    tier: str | None  # the highest tier present; None: nothing classified


def masked(tasks: Sequence[Task], mask: Callable[[str], str]) -> list[Task]:
    """``tasks`` with their text through ``mask`` (the redaction step): before
    they are shown, since a task's text is cut to a line's length and a cut
    secret no longer has its shape."""
    return [t._replace(text=mask(t.text)) for t in tasks]


def read_tasks(path: str) -> tuple[Task, ...]:
    """The upcoming tasks of the plan at ``path`` (UserError when it is
    missing, too large, or not UTF-8 text)."""
    from review_trigger.files import read_regular

    try:
        data = read_regular(path, MAX_PLAN_BYTES)
    except FileNotFoundError:
        raise UserError(f'no plan file {path} (name one: review-trigger route PLAN.md)')
    except IsADirectoryError:
        raise UserError(f'cannot read plan {path}: it is a directory')
    except OSError as e:
        raise UserError(f'cannot read plan {path}: {e.strerror}')
    if len(data) > MAX_PLAN_BYTES:
        raise UserError(f'plan {path}: larger than {MAX_PLAN_BYTES} bytes')
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError:
        raise UserError(f'cannot read plan {path}: not UTF-8 text')
    return tasks_in(text)


def _is_section(title: str) -> bool:
    words = split_words(title)
    return not SECTION_WORDS.isdisjoint(words) or 'to do' in ' '.join(words)


def tasks_in(text: str) -> tuple[Task, ...]:
    from review_trigger.markdown import fenced_blocks

    lines = text.splitlines()
    # Fenced code (fences and all, as CommonMark reads them) is not read:
    # not for a section's heading, nor for a task.
    fenced: set[int] = set()
    for block in fenced_blocks(lines):
        fenced.update(range(block.start, block.end + 1))
    has_section = any(
        i not in fenced and (m := _HEADING.match(line)) and _is_section(m[2]) for i, line in enumerate(lines)
    )
    tasks: list[Task] = []
    section: int | None = None  # the level of the section we are in
    done_indent: int | None = None  # items nested deeper than this are done
    for number, line in enumerate(lines, 1):
        if number - 1 in fenced:
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading[1])
            done_indent = None
            if section is not None and level <= section:
                section = None
            if section is None and _is_section(heading[2]):
                section = level
            elif section is not None:
                tasks.append(Task(heading[2], number))
            continue
        if has_section and section is None:
            continue
        item = _ITEM.match(line)
        if not item:
            continue
        indent = len(item[1].expandtabs(4))
        if done_indent is not None:
            if indent > done_indent:
                continue
            done_indent = None
        body = item[2]
        box = _CHECKBOX.match(body)
        if box:
            if box[1] in 'xX':
                done_indent = indent
                continue
            body = box[2]
        if body.strip():
            tasks.append(Task(body.strip(), number))
    return tuple(Task(t.text[:MAX_TASK_CHARS], t.line) for t in tasks[:MAX_TASKS])


def _wordsets(table: Table) -> list[WordSet]:
    return [compile_words([*t.keywords, *(n.replace('_', ' ') for n in t.names)]) for t in table.task_types]


def classify(
    text: str, table: Table, wordsets: Sequence[WordSet] | None = None
) -> tuple[TaskType | None, str | None]:
    """The task type ``text`` is (and the keyword that says so)."""
    words = split_words(text)
    sets = wordsets if wordsets is not None else _wordsets(table)
    best: tuple[int, int, int, int] | None = None
    found: tuple[TaskType | None, str | None] = (None, None)
    for order, (task_type, wordset) in enumerate(zip(table.task_types, sets, strict=True)):
        keyword = find_word(words, wordset)
        if keyword is None:
            continue
        # The highest tier; then the type named first ("ADR-005: auth
        # architecture decision" is an ADR); then the longest keyword.
        score = (table.rank(task_type.tier), -_position(words, keyword), len(keyword.split()), -order)
        if best is None or score > best:
            best, found = score, (task_type, keyword)
    return found


def _position(words: Sequence[str], keyword: str) -> int:
    first = keyword.split()[0]
    for i, w in enumerate(words):
        if w == first or w == first + 's':
            return i
    return len(words)


def route(tasks: Sequence[Task], table: Table) -> Route:
    sets = _wordsets(table)
    routed = tuple(Routed(t, *classify(t.text, table, sets)) for t in tasks)
    tiers = [r.task_type.tier for r in routed if r.task_type is not None]
    top = max(tiers, key=table.rank) if tiers else None
    return Route(table, routed, top)
