"""The JSON report: every fact the prompt is built from, for machines."""
from __future__ import annotations

import json
from typing import Any

from review_trigger.analyze import Analysis
from review_trigger.prompt import Session

VERSION = 1


def build(analysis: Analysis, session: Session, prompt: str | None) -> dict[str, Any]:
    change = analysis.change
    return {
        'version': VERSION,
        'triggered': bool(analysis.findings),
        'triggers': [
            {
                'id': f.trigger,
                'title': analysis.triggers[f.trigger].title,
                'task_type': analysis.triggers[f.trigger].task_type,
                'reason': f.reason,
                'files': list(f.files),
                'details': [
                    {'path': d.path, 'why': d.why, 'items': list(d.items)}
                    for d in f.details
                ],
            }
            for f in analysis.findings
        ],
        'changes': [
            {
                'path': f.path, 'old_path': f.old_path, 'status': f.status,
                'added_lines': f.added_lines, 'deleted_lines': f.deleted_lines,
                'binary': f.binary, 'submodule': f.submodule,
                'generated': f.generated, 'excluded': f.excluded,
            }
            for f in change.files
        ],
        'range': {
            'mode': change.range.mode, 'base': change.range.base,
            'head': change.range.head, 'label': change.range.label,
            'commits': len(analysis.commits),
        },
        'session_model': None if not session.models else {
            'source': session.source,
            'models': [m._asdict() for m in session.models],
            'commits_without_trailer': session.without_trailer,
        },
        'suppressed': [s._asdict() for s in change.suppressions],
        'notes': list(change.notes),
        'prompt': prompt,
    }


def dumps(report: dict[str, Any]) -> str:
    # ASCII-only: file names that are not valid UTF-8 survive as escapes.
    return json.dumps(report, indent=2, ensure_ascii=True) + '\n'
