"""The cost log of section 3 of the design: a markdown table in the
repository (``cost_log: docs/COST_LOG.md``), a row per review, and its sums
by model (``review-trigger cost``)."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable
from typing import NamedTuple

from review_trigger.errors import UserError

HEADER = (
    '| Date | Session | Model | Tasks | Input Tokens | Output Tokens | Est. Cost |\n'
    '|------|---------|-------|-------|--------------|---------------|-----------|\n'
)
_MONTH = re.compile(r'^\d{4}-(0[1-9]|1[0-2])$')


class Row(NamedTuple):
    date: str  # YYYY-MM-DD
    session: str
    model: str
    tasks: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None  # None: unknown (the reviewer named no priced model)
    unknown: int = 0  # in a sum: how many of its rows had no known cost


def relative(rel: str) -> str:
    """``rel`` (the configuration's ``cost_log``), normalised; a UserError
    unless it is a path in the repository."""
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm == os.pardir or norm.startswith(os.pardir + os.sep) or norm == os.curdir:
        raise UserError(f'cost_log must be a path in the repository, not {rel!r}')
    return norm


def path_in(root: str, rel: str) -> str:
    """``rel`` (the configuration's ``cost_log``) inside the work tree."""
    return os.path.join(root, relative(rel))


def writable(root: str, rel: str) -> str:
    """The cost log's path, once it is known a row can be appended there
    (checked before a review is paid for, so that its row is not lost): a
    file or nothing yet, under directories that are directories, writable."""
    path = path_in(root, rel)
    if os.path.lexists(path):
        if not os.path.isfile(path):
            raise UserError(f'cannot write the cost log {rel}: it is not a file')
        if not os.access(path, os.W_OK):
            raise UserError(f'cannot write the cost log {rel}: Permission denied')
        return path
    from review_trigger.output import nearest

    parent = nearest(os.path.dirname(path))
    if not os.path.isdir(parent):
        raise UserError(
            f'cannot write the cost log {rel}: {os.path.relpath(parent, root)} is not a directory'
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f'cannot write the cost log {rel}: Permission denied')
    return path


def _cell(text: str) -> str:
    # A model name comes from the reviewer: it must not break the table.
    return re.sub(r'[|\r\n`<>\\]', ' ', text).strip()[:80] or '-'


def usd(cost: float | None, unknown: int = 0) -> str:
    """A cost as the log shows it: to the cent, with the digits below a
    cent kept (up to a millionth of a dollar), so that the sum of many cheap
    reviews is right; ``unknown`` for a cost nobody knows."""
    if cost is None:
        return 'unknown'
    text = f'{cost:.6f}'.rstrip('0')
    whole, _, cents = text.partition('.')
    shown = f'${whole}.{cents.ljust(2, "0")}'
    return f'{shown} + {unknown} unknown' if unknown else shown


def row_text(row: Row) -> str:
    return (
        f'| {row.date} | {_cell(row.session)} | {_cell(row.model)} | {row.tasks} | '
        f'{row.input_tokens:,} | {row.output_tokens:,} | {usd(row.cost_usd)} |\n'
    )


def append(path: str, row: Row) -> None:
    """Add ``row`` to the log at ``path`` (its header first, for a new log)."""
    from review_trigger.files import read_regular

    try:
        old = read_regular(path)
    except FileNotFoundError:
        old = b''
    except OSError as e:
        raise UserError(f'cannot read the cost log {path}: {e.strerror}')
    text = '' if old else HEADER
    if old and not old.endswith(b'\n'):
        text = '\n'
    try:
        os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
        with open(path, 'a', encoding='utf-8') as f:
            f.write(text + row_text(row))
    except OSError as e:
        raise UserError(f'cannot write the cost log {path}: {e.strerror}')


_COUNT = re.compile(r'^\d{1,3}(,\d{3})*$|^\d+$')
_COST = re.compile(r'^~?\$?(\d+(\.\d*)?|\.\d+)$')
_UNKNOWN = frozenset(('unknown', '-', '?', ''))


def _count(cell: str, what: str, where: str) -> int:
    if not _COUNT.match(cell):
        raise UserError(f'{where}: the {what} {cell!r} is not a whole number')
    return int(cell.replace(',', ''))


def _cost(cell: str, where: str) -> float | None:
    if cell.lower() in _UNKNOWN:
        return None
    m = _COST.match(cell.replace(',', ''))
    if m is None:
        raise UserError(f'{where}: the cost {cell!r} is not a dollar amount')
    return float(m[1])


def rows(text: str, name: str = 'the cost log') -> list[Row]:
    """The log's rows (the header, separators and other lines that are
    not a row skipped); a row that starts with a date but cannot be read is
    a UserError naming its line, never summed as something else."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) != 7 or not re.match(r'^\d{4}-\d{2}-\d{2}$', cells[0]):
            continue
        where = f'{name} line {number}'
        try:
            datetime.date.fromisoformat(cells[0])
        except ValueError:
            raise UserError(f'{where}: the date {cells[0]} is not a date')
        found.append(
            Row(
                cells[0],
                cells[1],
                cells[2],
                _count(cells[3], 'task count', where),
                _count(cells[4], 'input token count', where),
                _count(cells[5], 'output token count', where),
                _cost(cells[6], where),
            )
        )
    return found


def check_month(month: str) -> str:
    if not _MONTH.match(month):
        raise UserError(f'--month {month!r}: expected YYYY-MM')
    return month


def sums(rows_: Iterable[Row], month: str | None = None) -> list[Row]:
    """The rows summed by model (of ``month`` only, when given), the
    costliest first; ``date`` holds the month or ``all``."""
    totals: dict[str, list[float]] = {}
    for r in rows_:
        if month is not None and not r.date.startswith(month + '-'):
            continue
        t = totals.setdefault(r.model, [0, 0, 0, 0.0, 0])
        t[0] += r.tasks
        t[1] += r.input_tokens
        t[2] += r.output_tokens
        if r.cost_usd is None:
            t[4] += 1
        else:
            t[3] += r.cost_usd
    out = [
        Row(month or 'all', '', m, int(t[0]), int(t[1]), int(t[2]), t[3], int(t[4]))
        for m, t in totals.items()
    ]
    out.sort(key=lambda r: (-(r.cost_usd or 0.0), r.model))
    return out


def render_sums(totals: list[Row], month: str | None) -> str:
    lines = [
        '| Model | Tasks | Input Tokens | Output Tokens | Est. Cost |',
        '|-------|-------|--------------|---------------|-----------|',
    ]
    for r in totals:
        lines.append(
            f'| {_cell(r.model)} | {r.tasks} | {r.input_tokens:,} | {r.output_tokens:,} | '
            f'{usd(r.cost_usd, r.unknown)} |'
        )
    n = sum(r.tasks for r in totals)
    cost = sum(r.cost_usd or 0.0 for r in totals)
    lines.append(
        f'| **total** | {n} | {sum(r.input_tokens for r in totals):,} | '
        f'{sum(r.output_tokens for r in totals):,} | {usd(cost, sum(r.unknown for r in totals))} |'
    )
    title = f'Review cost, {month}' if month else 'Review cost, all months'
    return f'## {title}\n\n' + '\n'.join(lines) + '\n'
