"""Deterministic synthetic git repositories for the benchmarks and tests.

Everything is written with one ``git fast-import`` stream (blobs, trees and
commits without touching the work tree), so a repository whose last commit
adds 100,000 files takes seconds to build. The same arguments always give
the same commits: fixed names, dates and contents, no randomness.

Standard library only.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

# Timestamps fixed so commit ids are reproducible.
_WHEN = '1767268800 +0000'
_AUTHOR = 'Bench <bench@example.com>'

# Lines that new Python files are made of: ordinary code, with the words a
# real code base has (settings, routing, testing, ...) so the scanners'
# prefilters see realistic text. ``{i}`` and ``{j}`` vary per file and line.
_PY_LINES = (
    'import os',
    'import logging',
    'from typing import Any',
    '',
    'log = logging.getLogger(__name__)',
    '',
    'DEFAULT_TIMEOUT_{i} = {j}',
    '',
    'class Handler{i}:',
    '    """Route incoming records to the matching processor."""',
    '',
    '    def __init__(self, settings: dict[str, Any]) -> None:',
    '        self.settings = settings',
    '        self.routing_table = settings.get("routing", {{}})',
    '        self.retries = int(settings.get("retries", {j}))',
    '',
    '    def process(self, record: dict[str, Any]) -> dict[str, Any]:',
    '        key = record.get("key", "default-{j}")',
    '        target = self.routing_table.get(key)',
    '        if target is None:',
    '            log.warning("no route for %s (handler {i})", key)',
    '            return {{"status": "skipped", "key": key}}',
    '        result = target(record)',
    '        return {{"status": "ok", "key": key, "result": result}}',
    '',
    'def build_handler_{i}(path: str = "config/handler_{i}.json") -> Handler{i}:',
    '    with open(os.path.join(os.getcwd(), path)) as f:',
    '        return Handler{i}(settings={{"path": f.name, "line": {j}}})',
)
_MD_LINES = (
    '# Component {i}',
    '',
    'This page describes the component, its settings and its routing.',
    'Testing notes and the meeting outcome are kept at the end of the page.',
    '',
    '- step {j}: read the configuration',
    '- step {j}: start the worker and wait for it',
    '',
)
_YAML_LINES = (
    'name: component-{i}',
    'replicas: {j}',
    'settings:',
    '  routing: default',
    '  timeout: {j}',
)
_MOD_LINES = (
    '    # revision {j}: keep the previous behaviour for old callers',
    '    value_{j} = compute(value, {j})',
    '    if value_{j} is None:',
    '        raise ValueError("no value for setting {j}")',
    '    results.append(value_{j})',
)


def _text(lines: tuple[str, ...], i: int, n: int) -> bytes:
    out = []
    for k in range(n):
        out.append(lines[k % len(lines)].format(i=i, j=k))
    return ('\n'.join(out) + '\n').encode()


def base_file(i: int) -> bytes:
    """An existing module (before the change): 40 lines."""
    return _text(_PY_LINES, i, 40)


def modified_file(i: int) -> bytes:
    """The same module after the change: two hunks of added lines."""
    lines = base_file(i).decode().splitlines()
    first = [ln.format(j=i * 10) for ln in _MOD_LINES]
    second = [ln.format(j=i * 10 + 5) for ln in _MOD_LINES]
    lines[10:10] = first
    lines[30:30] = second
    return ('\n'.join(lines) + '\n').encode()


def new_file(i: int, fat: int = 1) -> tuple[str, bytes]:
    """The i-th added file: mostly Python, some docs and YAML (about 650 bytes,
    ``fat`` times that). One Python file in 25 reads a password from the
    environment (a near miss for the credential rule), one in 100 handles a
    date of birth (a sensitive-data hit)."""
    group = f'g{i // 500:03d}'
    kind = i % 20
    if kind == 0:
        return f'docs/{group}/component_{i}.md', _text(_MD_LINES, i, 16 * fat)
    if kind == 1:
        return f'deploy/{group}/component_{i}.yaml', _text(_YAML_LINES, i, 15 * fat)
    text = _text(_PY_LINES, i, 20 * fat)
    if i % 25 == 3:
        text += b'    db_password = os.environ.get("DB_PASSWORD", "")\n'
    if i % 100 == 7:
        text += b'    date_of_birth = record.get("birth")\n'
    return f'services/{group}/handler_{i}.py', text


# A few files every large change has: one security-relevant, one huge
# generated file that must be listed but not scanned (over the 1 MB cap).
def _extras(huge_bytes: int) -> dict[str, bytes]:
    extras = {
        'services/auth/session_tokens.py': (
            b'import hmac\nimport secrets\n\n'
            b'def sign(key: bytes, payload: bytes) -> str:\n'
            b'    return hmac.new(key, payload, "sha256").hexdigest()\n'
        ),
    }
    if huge_bytes:
        row = b"INSERT INTO fixtures (id, name, value) VALUES (%d, 'row', %d);\n"
        rows, size, k = [], 0, 0
        while size < huge_bytes:
            line = row % (k, k * 7)
            rows.append(line)
            size += len(line)
            k += 1
        extras['fixtures/seed_data.sql'] = b''.join(rows)
    return extras


def _fast_import(repo: Path, stream: Iterator[bytes], env: Mapping[str, str]) -> None:
    proc = subprocess.Popen(
        ['git', 'fast-import', '--quiet', '--done'],
        cwd=repo,
        env=dict(env),
        stdin=subprocess.PIPE,
    )
    assert proc.stdin is not None
    try:
        for chunk in stream:
            proc.stdin.write(chunk)
        proc.stdin.close()
    finally:
        if proc.wait() != 0:
            raise RuntimeError('git fast-import failed')


def _blob(mark: int, data: bytes) -> bytes:
    return b'blob\nmark :%d\ndata %d\n%s\n' % (mark, len(data), data)


def _commit(mark: int, message: str, parent: int | None, files: list[tuple[str, int]]) -> bytes:
    msg = message.encode()
    head = (
        f'commit refs/heads/main\nmark :{mark}\nauthor {_AUTHOR} {_WHEN}\ncommitter {_AUTHOR} {_WHEN}\n'
    ).encode() + b'data %d\n%s\n' % (len(msg), msg)
    if parent is not None:
        head += b'from :%d\n' % parent
    body = b''.join(b'M 100644 :%d %s\n' % (m, p.encode()) for p, m in files)
    return head + body + b'\n'


def isolated_env() -> dict[str, str]:
    """An environment in which the user's git configuration plays no part."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith('GIT_') and k not in ('PRE_COMMIT_FROM_REF', 'PRE_COMMIT_TO_REF')
    }
    env.update(
        {
            'GIT_CONFIG_NOSYSTEM': '1',
            'GIT_CONFIG_GLOBAL': os.devnull,
            'GIT_AUTHOR_NAME': 'Bench',
            'GIT_AUTHOR_EMAIL': 'bench@example.com',
            'GIT_COMMITTER_NAME': 'Bench',
            'GIT_COMMITTER_EMAIL': 'bench@example.com',
        }
    )
    return env


def _init(repo: Path, env: Mapping[str, str]) -> None:
    repo.mkdir(parents=True)
    subprocess.run(['git', 'init', '-q', '-b', 'main', str(repo)], env=dict(env), check=True)


def build_large(
    repo: Path,
    env: Mapping[str, str],
    *,
    new_files: int,
    modified: int,
    huge_bytes: int = 1_500_000,
    fat: int = 1,
    extra: Mapping[str, bytes] | None = None,
) -> None:
    """A repository of two commits; the last adds ``new_files`` files
    (plus a security-relevant one, a ``huge_bytes`` generated file and
    ``extra``) and modifies ``modified`` existing ones.

    No work tree is checked out: ``--since`` only reads commits.
    """
    _init(repo, env)

    def stream() -> Iterator[bytes]:
        mark = 0
        base: list[tuple[str, int]] = []
        for name, data in (
            ('README.md', b'# synthetic\n'),
            ('pyproject.toml', b'[project]\nname = "synthetic"\n'),
        ):
            mark += 1
            yield _blob(mark, data)
            base.append((name, mark))
        for i in range(modified):
            mark += 1
            yield _blob(mark, base_file(i))
            base.append((f'src/pkg{i // 100:02d}/mod_{i}.py', mark))
        mark += 1
        first = mark
        yield _commit(first, 'base', None, base)
        head: list[tuple[str, int]] = []
        for i in range(modified):
            mark += 1
            yield _blob(mark, modified_file(i))
            head.append((f'src/pkg{i // 100:02d}/mod_{i}.py', mark))
        for i in range(new_files):
            path, data = new_file(i, fat)
            mark += 1
            yield _blob(mark, data)
            head.append((path, mark))
        for path, data in {**_extras(huge_bytes), **(extra or {})}.items():
            mark += 1
            yield _blob(mark, data)
            head.append((path, mark))
        mark += 1
        yield _commit(mark, f'add {new_files} files, change {modified}', first, head)
        yield b'done\n'

    _fast_import(repo, stream(), env)


SMALL_BASE_FILES = 300


def build_small(
    repo: Path, env: Mapping[str, str], *, base_files: int = SMALL_BASE_FILES, changed: int = 10
) -> list[str]:
    """A checked-out repository with ``changed`` staged files: ``changed - 1``
    modified modules and one new security-relevant file. Returns their paths.
    """
    build_large(repo, env, new_files=0, modified=base_files, huge_bytes=0)
    # Keep only the base commit, check it out, then stage the change.
    run = dict(cwd=repo, env=dict(env), check=True)
    subprocess.run(['git', 'reset', '-q', '--hard', 'HEAD~1'], **run)  # type: ignore[call-overload]
    paths = small_paths(changed)
    for i, path in enumerate(paths[:-1]):
        (repo / path).write_bytes(modified_file(i))
    secure = paths[-1]
    (repo / 'src/auth').mkdir(parents=True, exist_ok=True)
    (repo / secure).write_bytes(
        b'import hmac\n\n'
        b'def sign(key: bytes, payload: bytes) -> str:\n'
        b'    return hmac.new(key, payload, "sha256").hexdigest()\n',
    )
    subprocess.run(['git', 'add', '--', *paths], **run)  # type: ignore[call-overload]
    return paths


def small_paths(changed: int = 10) -> list[str]:
    """The files ``build_small`` stages."""
    return [f'src/pkg{i // 100:02d}/mod_{i}.py' for i in range(changed - 1)] + ['src/auth/session_tokens.py']
