"""A review as markdown. The summary and findings are the model's words:
they go into code formatting (``markdown.code`` / ``fence``), so they can
neither render HTML or links, nor @mention anyone, nor close the block."""

from __future__ import annotations

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


def markdown(r: Record, heading: str = '##', max_findings: int | None = None) -> str:
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
        if len(shown) < len(v.findings):
            out += [
                f"and {len(v.findings) - len(shown)} more findings in the ledger's "
                f'record ({code(str(r.key))}).',
                '',
            ]
    else:
        out += ['**Findings:** none', '']
    return '\n'.join(out)
