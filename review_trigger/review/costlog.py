"""The cost log of section 3 of the design: a markdown table in the
repository (``cost_log: docs/COST_LOG.md``), a row per review, and its sums
by model (``review-trigger cost``)."""

from __future__ import annotations

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
    cost_usd: float


def path_in(root: str, rel: str) -> str:
    """``rel`` (the configuration's ``cost_log``) inside the work tree."""
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm == os.pardir or norm.startswith(os.pardir + os.sep):
        raise UserError(f'cost_log must be a path in the repository, not {rel!r}')
    return os.path.join(root, norm)


def _cell(text: str) -> str:
    # A model name comes from the reviewer: it must not break the table.
    return re.sub(r'[|\r\n`<>\\]', ' ', text).strip()[:80] or '-'


def row_text(row: Row) -> str:
    return (
        f'| {row.date} | {_cell(row.session)} | {_cell(row.model)} | {row.tasks} | '
        f'{row.input_tokens:,} | {row.output_tokens:,} | ${row.cost_usd:.2f} |\n'
    )


def append(path: str, row: Row) -> None:
    """Add ``row`` to the log at ``path`` (its header first, for a new log)."""
    try:
        with open(path, 'rb') as f:
            old = f.read()
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


def _number(cell: str) -> float:
    return float(cell.replace(',', '').replace('$', '').replace('~', '').strip() or 0)


def rows(text: str) -> list[Row]:
    """The log's rows (the header, separators and malformed rows skipped)."""
    found = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) != 7 or not re.match(r'^\d{4}-\d{2}-\d{2}$', cells[0]):
            continue
        try:
            found.append(
                Row(
                    cells[0],
                    cells[1],
                    cells[2],
                    int(_number(cells[3])),
                    int(_number(cells[4])),
                    int(_number(cells[5])),
                    _number(cells[6]),
                )
            )
        except ValueError:
            continue
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
        t = totals.setdefault(r.model, [0, 0, 0, 0.0])
        t[0] += r.tasks
        t[1] += r.input_tokens
        t[2] += r.output_tokens
        t[3] += r.cost_usd
    out = [Row(month or 'all', '', m, int(t[0]), int(t[1]), int(t[2]), t[3]) for m, t in totals.items()]
    out.sort(key=lambda r: (-r.cost_usd, r.model))
    return out


def render_sums(totals: list[Row], month: str | None) -> str:
    lines = [
        '| Model | Tasks | Input Tokens | Output Tokens | Est. Cost |',
        '|-------|-------|--------------|---------------|-----------|',
    ]
    for r in totals:
        lines.append(
            f'| {_cell(r.model)} | {r.tasks} | {r.input_tokens:,} | {r.output_tokens:,} | ${r.cost_usd:.2f} |'
        )
    n = sum(r.tasks for r in totals)
    cost = sum(r.cost_usd for r in totals)
    lines.append(
        f'| **total** | {n} | {sum(r.input_tokens for r in totals):,} | '
        f'{sum(r.output_tokens for r in totals):,} | ${cost:.2f} |'
    )
    title = f'Review cost, {month}' if month else 'Review cost, all months'
    return f'## {title}\n\n' + '\n'.join(lines) + '\n'
