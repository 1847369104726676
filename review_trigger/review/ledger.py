"""The ledger: every finished review, under
``$(git rev-parse --git-dir)/review-trigger/reviews/``.

A review is keyed by what it read: the patch id of the analysed diff and
the hash of the configuration in force (``<patch id>-<config hash>``), so
the staged change at commit and the same commit at push find it, and an
edit, or a configuration that would ask for a different review, does not.
Each key has a JSON record and the review as markdown beside it. A review
that errored is never written.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from review_trigger import git
from review_trigger.change import Range
from review_trigger.review.verdict import Verdict, from_json, to_json

FOLDER = os.path.join('review-trigger', 'reviews')
# How the cost was known: reported by the reviewer, estimated at the list
# prices of prices.json, or at the configuration's prices (``prices:``).
CostSource = Literal['reported', 'estimated', 'configured', 'unknown']


class Key(NamedTuple):
    patch_id: str
    config_hash: str

    def __str__(self) -> str:
        return f'{self.patch_id}-{self.config_hash}'


class Record(NamedTuple):
    key: Key
    verdict: Verdict
    reviewer: str  # "command claude", "anthropic API", "by hand"
    model: str | None
    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None
    cost_source: CostSource
    time: str  # ISO 8601, UTC
    range: str  # the range's label: "staged changes", "a..b"
    triggers: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether the gate lets this content through."""
        return self.verdict.status in ('PASS', 'WARN')


def config_hash(config: Any) -> str:
    """The hash of the configuration in force (its merged form, so that
    the same settings written differently hash the same). The cost log's
    path is bookkeeping, not what is reviewed, and is left out."""
    from review_trigger.config import effective

    data = {k: v for k, v in effective(config).items() if k != 'cost_log'}
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def key_of(repo: git.Repo, rng: Range, config: Any, exclude: Sequence[str] = ()) -> Key | None:
    """The key of the change ``rng`` names; None when its diff is empty."""
    pid = git.patch_id(repo, git.old_side(rng), git.new_side(rng), exclude)
    return None if pid is None else Key(pid, config_hash(config))


def folder(repo: git.Repo) -> str:
    return os.path.join(repo.git_dir, FOLDER)


def path_of(repo: git.Repo, key: Key, ext: str = 'json') -> str:
    return os.path.join(folder(repo), f'{key}.{ext}')


def now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace('+00:00', 'Z')


def ready(repo: git.Repo) -> None:
    """Make the ledger's folder, or say why a record could not be stored
    there: checked before a review is paid for, so that a paid review is
    never lost to a folder that is a file or may not be written."""
    from review_trigger.errors import UserError
    from review_trigger.output import reason

    where = folder(repo)
    try:
        os.makedirs(where, exist_ok=True)
    except OSError as e:
        raise UserError(f'cannot write the ledger {where}: {reason(e, where)}')
    if not os.access(where, os.W_OK | os.X_OK):
        raise UserError(f'cannot write the ledger {where}: Permission denied')


def store(repo: git.Repo, record: Record, markdown: str) -> str:
    """Write the record (and its markdown, first: a record never points at a
    review that is not there); the record's path."""
    from review_trigger.output import write_atomic

    write_atomic(path_of(repo, record.key, 'md'), markdown)
    path = path_of(repo, record.key)
    write_atomic(path, json.dumps(to_data(record), indent=2, sort_keys=True) + '\n')
    return path


def find(repo: git.Repo, key: Key) -> Record | None:
    """The stored review of ``key``; None if there is none (or it cannot be
    read: a damaged record never counts as a pass)."""
    return _read(path_of(repo, key))


def listing(repo: git.Repo) -> list[tuple[str, Record]]:
    """Every stored review, newest first, with its path."""
    from review_trigger.errors import UserError
    from review_trigger.output import reason

    try:
        names = os.listdir(folder(repo))
    except FileNotFoundError:
        return []
    except OSError as e:  # not a directory, or not ours to read
        raise UserError(f'cannot read the ledger {folder(repo)}: {reason(e, folder(repo))}')
    found = []
    for name in names:
        if name.endswith('.json'):
            path = os.path.join(folder(repo), name)
            record = _read(path)
            if record is not None:
                found.append((path, record))
    found.sort(key=lambda pr: (pr[1].time, str(pr[1].key)), reverse=True)
    return found


def to_data(r: Record) -> dict[str, Any]:
    return {
        'key': str(r.key),
        'patch_id': r.key.patch_id,
        'config_hash': r.key.config_hash,
        **to_json(r.verdict),
        'reviewer': r.reviewer,
        'model': r.model,
        'input_tokens': r.input_tokens,
        'output_tokens': r.output_tokens,
        'cost_usd': r.cost_usd,
        'cost_source': r.cost_source,
        'time': r.time,
        'range': r.range,
        'triggers': list(r.triggers),
    }


def from_data(d: Mapping[str, Any]) -> Record:
    verdict = from_json({k: d[k] for k in ('verdict', 'summary', 'findings')})
    src = d.get('cost_source')
    return Record(
        Key(str(d['patch_id']), str(d['config_hash'])),
        verdict,
        str(d['reviewer']),
        d.get('model'),
        d.get('input_tokens'),
        d.get('output_tokens'),
        d.get('cost_usd'),
        src if src in ('reported', 'estimated', 'configured') else 'unknown',
        str(d['time']),
        str(d.get('range', '')),
        tuple(d.get('triggers') or ()),
    )


def _read(path: str) -> Record | None:
    from review_trigger.errors import UserError
    from review_trigger.files import read_own_json

    data = read_own_json(path)
    if not isinstance(data, dict):
        return None
    try:
        record = from_data(data)
    except (ValueError, KeyError, TypeError, UserError, RecursionError):
        return None
    # The record's name is its key: a copied or renamed file does not pass.
    return record if os.path.basename(path) == f'{record.key}.json' else None
