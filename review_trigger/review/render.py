"""A review as markdown. The summary and findings are the model's words:
they go into code formatting (``markdown.code`` / ``fence``), so they can
neither render HTML or links, nor @mention anyone, nor close the block."""

from __future__ import annotations

from collections.abc import Callable

from review_trigger.markdown import code, fence
from review_trigger.review.costlog import usd
from review_trigger.review.ledger import Record

ICONS = {'PASS': 'PASS', 'WARN': 'WARN', 'FAIL': 'FAIL'}


def usage_line(r: Record) -> str:
    parts = []
    if r.input_tokens is not None or r.output_tokens is not None:
        parts.append(f'{r.input_tokens or 0:,} input / {r.output_tokens or 0:,} output tokens')
    if r.cost_usd is not None:
        how = {
            'reported': 'as reported by the reviewer',
            'estimated': 'estimated at list prices',
            'configured': "estimated at the configuration's prices",
        }.get(r.cost_source, r.cost_source)
        parts.append(f'{usd(r.cost_usd)} ({how})')
    return ' · '.join(parts) or 'not reported'


def markdown(r: Record, heading: str = '##', max_findings: int | None = None, cut: str = '') -> str:
    """The review; with ``max_findings``, only the first findings, and a line
    saying where the rest are (``cut``: why they were left out)."""
    v = r.verdict
    model = f' (model {code(r.model)})' if r.model else ''
    out = [
        f'{heading} Review verdict: {ICONS[v.status]}',
        '',
        f'**Reviewer:** {code(r.reviewer)}{model} · **Reviewed:** {code(r.range)} '
        f'(patch {code(r.key.patch_id[:12])}) · {r.time}',
        f'**Usage:** {usage_line(r)}',
        '',
        "**Summary** (the reviewer's words):",
        fence(v.summary or '(none)'),
        '',
    ]
    if v.findings:
        out.append(f'**Findings ({len(v.findings)}):**')
        shown = v.findings if max_findings is None else v.findings[:max_findings]
        for i, f in enumerate(shown, 1):
            where = code(f.file) + (f' line {f.line}' if f.line is not None else '')
            out += [f'{i}. **{f.severity}** {where}', '', fence(f.text), '']
        rest = len(v.findings) - len(shown)
        if rest and cut:
            out += [
                f'**The review is cut short here:** {cut}, so {rest:,} more '
                f'finding{"s are" if rest != 1 else " is"} left out. All {len(v.findings):,} '
                f"are in the ledger's record ({code(str(r.key))}).",
                '',
            ]
        elif rest:
            out += [
                f"and {rest} more findings in the ledger's record ({code(str(r.key))}).",
                '',
            ]
    else:
        out += ['**Findings:** none', '']
    return '\n'.join(out)


def markdown_within(
    r: Record,
    budget: int,
    measure: Callable[[str], int],
    *,
    cut: str,
    heading: str = '##',
    max_findings: int | None = None,
) -> str:
    """:func:`markdown` if it fits ``budget`` (as ``measure`` counts), else
    with as many findings as fit and a note saying ``cut`` (why, and where
    the whole review is). Findings are left out whole: each is a code block,
    and a block cut in the middle would swallow what follows it."""
    text = markdown(r, heading, max_findings)
    if measure(text) <= budget:
        return text
    n = len(r.verdict.findings)
    top = n if max_findings is None else min(n, max_findings)
    for k in range(top - 1, -1, -1):
        text = markdown(r, heading, k, cut=cut)
        if measure(text) <= budget:
            return text
    # Not even the summary fits (the model's words escaped at length).
    short = (
        f'{heading} Review verdict: {ICONS[r.verdict.status]}\n\n'
        f'**The review is too long to show here:** {cut}.\n'
    )
    return short if measure(short) <= budget else ''
