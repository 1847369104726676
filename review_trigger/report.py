"""The JSON report: every fact the prompt is built from, for machines."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from review_trigger.analyze import Analysis
from review_trigger.change import Detail, FileChange, Finding, Information
from review_trigger.prompt import Session

VERSION = 1

_SCALARS = (str, int, float, bool, type(None))


class Rows:
    """A list of the report that is made one element at a time as it is
    written: on a change of 200,000 files, a dict per file held at once (and
    the text beside it) is most of the run's memory."""

    __slots__ = ('items', 'row')

    def __init__(self, items: Sequence[Any], row: Callable[[Any], Any]) -> None:
        self.items = items
        self.row = row

    def __iter__(self) -> Iterator[Any]:
        row = self.row
        return (row(x) for x in self.items)

    def __len__(self) -> int:
        return len(self.items)


def _change(f: FileChange) -> dict[str, Any]:
    return {
        'path': f.path,
        'old_path': f.old_path,
        'status': f.status,
        'added_lines': f.added_lines,
        'deleted_lines': f.deleted_lines,
        'binary': f.binary,
        'submodule': f.submodule,
        'generated': f.generated,
        'excluded': f.excluded,
    }


def _detail(d: Detail) -> dict[str, Any]:
    return {'path': d.path, 'why': d.why, 'items': list(d.items)}


def _information(i: Information) -> dict[str, Any]:
    return {'trigger': i.trigger, 'kind': i.kind, 'path': i.path, 'why': i.why, 'items': list(i.items)}


def document(analysis: Analysis, session: Session, prompt: str | None) -> dict[str, Any]:
    """The report, its long lists (changes, a trigger's files and details)
    as :class:`Rows`; :func:`write` streams it, :func:`plain` makes it a
    plain dict."""
    change = analysis.change

    def trigger(f: Finding) -> dict[str, Any]:
        return {
            'id': f.trigger,
            'title': analysis.triggers[f.trigger].title,
            'task_type': analysis.triggers[f.trigger].task_type,
            'reason': f.reason,
            'files': f.files,
            'details': Rows(f.details, _detail),
        }

    data: dict[str, Any] = {
        'version': VERSION,
        'triggered': bool(analysis.findings),
        'triggers': Rows(analysis.findings, trigger),
        'changes': Rows(change.files, _change),
        'range': {
            'mode': change.range.mode,
            'base': change.range.base,
            'head': change.range.head,
            'label': change.range.label,
            'commits': len(analysis.commits),
            # A session's diff from its working tree at the start (only then).
            **({'tree_base': change.range.tree_base} if change.range.tree_base else {}),
        },
        'session_model': None
        if not session.models
        else {
            'source': session.source,
            'models': [m._asdict() for m in session.models],
            'commits_without_trailer': session.without_trailer,
        },
        'suppressed': [s._asdict() for s in change.suppressions],
        'notes': list(change.notes),
        'prompt': prompt,
    }
    if analysis.information:
        # Only when there is some: a report without information stays
        # byte for byte what it was before the key existed.
        data['information'] = [_information(i) for i in analysis.information]
    return data


def plain(o: Any) -> Any:
    """``o`` with every :class:`Rows` made a list (and tuples lists, as JSON
    reads them back)."""
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items()}
    if isinstance(o, (list, tuple, Rows)):
        return [plain(v) for v in o]
    return o


def build(analysis: Analysis, session: Session, prompt: str | None) -> dict[str, Any]:
    return plain(document(analysis, session, prompt))  # type: ignore[no-any-return]


def chunks(report: dict[str, Any]) -> Iterator[str]:
    """The text of ``dumps(report)``, in pieces: exactly
    ``json.dumps(report, indent=2, ensure_ascii=True) + '\\n'`` (for the
    report made plain), without the whole text or every row held at once."""
    # Joined into pieces of about 64 KB: a write per piece of syntax would
    # cost more than the encoding.
    batch: list[str] = []
    size = 0
    for piece in _iter(report, 0):
        batch.append(piece)
        size += len(piece)
        if size >= 1 << 16:
            yield ''.join(batch)
            batch.clear()
            size = 0
    batch.append('\n')
    yield ''.join(batch)


def dumps(report: dict[str, Any]) -> str:
    # ASCII-only: file names that are not valid UTF-8 survive as escapes.
    return ''.join(chunks(report))


def _iter(o: Any, level: int) -> Iterator[str]:
    # CPython's encoder with ``indent`` is pure Python, a generator per
    # level and a list of every piece before the join: several times the
    # text's size. Here containers of scalars are each one call of the C
    # encoder (its item separator carries the newline and indentation),
    # and only the containers above them are walked in Python.
    if isinstance(o, (dict, list, tuple)) and (not o or _flat(o)):
        yield _encode_flat(o, level) if o else _encode(o, level)
    elif isinstance(o, dict):
        if not all(isinstance(k, str) for k in o):
            yield _encode(o, level)
            return
        inner = '\n' + '  ' * (level + 1)
        yield '{'
        first = True
        for k, v in o.items():
            yield (inner if first else ',' + inner) + _key(k)
            first = False
            yield from _iter(v, level + 1)
        yield '\n' + '  ' * level + '}'
    elif isinstance(o, (list, tuple, Rows)):
        inner = '\n' + '  ' * (level + 1)
        sep = inner
        opened = False
        for v in o:
            if not opened:
                yield '['
                opened = True
            yield sep
            sep = ',' + inner
            yield from _iter(v, level + 1)
        yield '\n' + '  ' * level + ']' if opened else '[]'
    else:
        yield _encode(o, level)


def _key(k: str) -> str:
    return json.encoder.encode_basestring_ascii(k) + ': '


def _encode(o: Any, level: int) -> str:
    """``o`` as ``json.dumps(o, indent=2)`` writes it ``level`` deep."""
    if isinstance(o, (dict, list, tuple)) and o:
        if _flat(o):
            return _encode_flat(o, level)
        # Nested or odd (keys that are not strings): the reference encoder,
        # re-indented (a JSON string never holds a raw newline).
        return json.dumps(o, indent=2, ensure_ascii=True).replace('\n', '\n' + '  ' * level)
    if isinstance(o, Rows):
        return ''.join(_iter(o, level))
    return json.dumps(o, ensure_ascii=True)


def _encode_flat(o: dict[str, Any] | list[Any] | tuple[Any, ...], level: int) -> str:
    """A non-empty container of scalars (``_flat``), ``level`` deep."""
    inner = '\n' + '  ' * (level + 1)
    text = _flat_encoder(level)(o)
    return text[0] + inner + text[1:-1] + '\n' + '  ' * level + text[-1]


@functools.cache  # by depth: an encoder is immutable once made
def _flat_encoder(level: int) -> Callable[[Any], str]:
    """The C encoder whose item separator carries the newline and the
    indentation of ``level + 1``: made once a depth, not once a container
    (``json.dumps`` with separators makes a new one each call: half of
    the time of a report's 7,000 containers)."""
    inner = '\n' + '  ' * (level + 1)
    return json.JSONEncoder(separators=(',' + inner, ': '), ensure_ascii=True).encode


def _flat(o: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> bool:
    """Only scalars inside, or empty containers, which ``indent`` writes
    as ``[]`` and ``{}`` too (and, in a dict, string keys)."""
    if isinstance(o, dict):
        return all(isinstance(v, _SCALARS) or (type(v) in _EMPTY and not v) for v in o.values()) and all(
            isinstance(k, str) for k in o
        )
    return all(isinstance(v, _SCALARS) or (type(v) in _EMPTY and not v) for v in o)


_EMPTY = (list, tuple, dict)
