"""What the review tests share: the ledger's place, its records, and a
repository whose staged change fires."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

LEDGER = Path('.git', 'review-trigger', 'reviews')


@pytest.fixture
def fired(repo):
    """A repository whose staged change fires new-files (six new files)."""
    repo.write('README.md', '# project\n')
    repo.add()
    repo.commit('initial')
    for i in range(6):
        repo.stage(f'm{i}.py', f'x = {i}\n')
    return repo


def records(repo) -> list[dict]:
    """The ledger's records, in name order."""
    folder = repo.path / LEDGER
    if not folder.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(folder.glob('*.json'))]
