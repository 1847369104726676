"""What a run works out from the rules alone, remembered between runs.

Before it scans, a run turns every content rule's regex into an RE2
superset and finds its necessary literals (``prefilter.superset``,
``scan._regex_literals``). Both read the regex's parse tree with Python's
own parser; for the default rules that took about a sixth of the scanning
of fastapi's 0.100.0..HEAD range, on every run, for rules that rarely
change. So each answer is kept in a file in the git directory, next to the
glob translations, and read back by the next run: for the same Python,
and the same file of the function that gave it (its size and time), so
that an upgrade of either is never read an old answer.

A run that cannot read or write the file only loses the time.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from review_trigger.files import read_own_json

_T = TypeVar('_T')
_FILE = 'rules.json'


class Memo:
    """One run's remembered answers, by kind (the function that gives
    them) and key (its input): read from ``directory`` when first asked,
    written back by ``save`` if the run added some."""

    def __init__(self, directory: str | None = None) -> None:
        self._path = os.path.join(directory, _FILE) if directory is not None else None
        self._kinds: dict[str, dict[str, Any]] | None = None
        self._stamps: dict[str, str] = {}
        self._files: dict[str, str] = {}  # each source file's stamp, read once a run
        self._new = False

    def get(
        self, kind: str, key: str, compute: Callable[[], _T], source: str, valid: Callable[[Any], bool]
    ) -> _T:
        """``compute()``'s answer for ``key``, remembered under ``kind``.

        ``source`` is the file of the function that computes it: an answer
        is read back only while that file is the same, and only if
        ``valid`` accepts it (else it is computed again). The answer must
        be what JSON gives back as it was given (None, strings, lists)."""
        kinds = self._load()
        stamp = self._files.get(source)
        if stamp is None:
            stamp = self._files[source] = _stamp(source)
        if self._stamps.get(kind) != stamp:
            self._stamps[kind] = stamp
            kinds[kind] = {}
        known = kinds[kind]
        if key in known and valid(known[key]):
            return known[key]  # type: ignore[no-any-return]
        found = known[key] = compute()
        self._new = True
        return found

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._kinds is not None:
            return self._kinds
        self._kinds = {}
        if self._path is None:
            return self._kinds
        data = read_own_json(self._path)  # None: worked out anew
        if not isinstance(data, dict):
            return self._kinds
        for kind, entry in data.items():
            if (
                isinstance(entry, dict)
                and isinstance(entry.get('stamp'), str)
                and isinstance(entry.get('answers'), dict)
            ):
                self._kinds[kind] = entry['answers']
                self._stamps[kind] = entry['stamp']
        return self._kinds

    def save(self) -> None:
        """Write the answers if the run added some (a read-only git
        directory only costs speed)."""
        if not (self._new and self._path is not None and self._kinds is not None):
            return
        from review_trigger.errors import UserError
        from review_trigger.output import write_atomic

        data = {
            kind: {'stamp': self._stamps[kind], 'answers': answers} for kind, answers in self._kinds.items()
        }
        try:
            write_atomic(self._path, json.dumps(data))
        except UserError:
            return
        self._new = False


def _stamp(source: str) -> str:
    # The file itself, whatever way leads to it (a virtual environment
    # reached through a link is the same install).
    source = os.path.realpath(source)
    try:
        st = os.stat(source)
    except OSError:
        return f'{sys.version}:{source}'
    return f'{sys.version}:{source}:{st.st_size}:{st.st_mtime_ns}'
