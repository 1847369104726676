#!/usr/bin/env python3
"""Benchmark the agent hooks: how long an agent waits for review-trigger.

    python benchmarks/agent_hook.py            # 15 runs of each
    python benchmarks/agent_hook.py --runs 40 --json

Builds a small repository in a temporary folder (50 committed files; the
session then adds 10 files, one security-relevant, and changes 2, nothing
staged), and times, as separate processes started the way an agent starts
a hook (``review-trigger agent-hook --agent claude``, the event JSON on
stdin):

1. the session-start hook (records the session, answers the context);
2. the stop hook on that change, a trigger firing (the prompt written, the
   stop blocked): the target is under 300 ms, like the pre-commit hook;
3. the stop hook once the change was reported (the common stop);
4. the stop hook with nothing changed;
5. ``review-trigger --worktree`` on the same change, for comparison.

Prints the median and the slowest run of each. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

TARGET_MS = 300.0
CHECKOUT = Path(__file__).resolve().parents[1]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(('git', *args), cwd=cwd, check=True, capture_output=True)


def _repo(root: Path) -> Path:
    repo = root / 'repo'
    repo.mkdir()
    _git(repo, 'init', '-q')
    for i in range(50):
        p = repo / 'src' / 'app' / f'm{i}.py'
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f'def f{i}(x):\n    return x + {i}\n')
    (repo / 'README.md').write_text('# project\n')
    _git(repo, 'add', '-A')
    _git(repo, '-c', 'user.name=b', '-c', 'user.email=b@example.com', 'commit', '-qm', 'initial')
    return repo


def _change(repo: Path) -> None:
    for i in range(9):
        (repo / 'src' / 'app' / f'new{i}.py').write_text(f'def g{i}():\n    return {i}\n')
    auth = repo / 'src' / 'auth' / 'session.py'
    auth.parent.mkdir(parents=True)
    auth.write_text('def login(user, password):\n    return check(user, password)\n')
    for i in range(2):
        (repo / 'src' / 'app' / f'm{i}.py').write_text(f'def f{i}(x):\n    return x * {i}\n')


def _time(
    cmd: Sequence[str], cwd: Path, stdin: bytes, env: dict[str, str], check: Callable[[bytes], bool]
) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode != 0 or not check(proc.stdout):
        sys.exit(
            f'unexpected result from {" ".join(cmd)}: {proc.returncode} '
            f'{proc.stdout[:300]!r} {proc.stderr[:300]!r}'
        )
    return elapsed


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--runs', type=int, default=15)
    p.add_argument('--json', action='store_true')
    args = p.parse_args(argv)
    exe = shutil.which('review-trigger')
    base = [exe] if exe else [sys.executable, '-m', 'review_trigger']
    hook = [*base, 'agent-hook', '--agent', 'claude']
    env = {**os.environ, 'PYTHONPATH': str(CHECKOUT)}
    env.pop('REVIEW_TRIGGER_SESSION_MODEL', None)
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix='rt-agent-bench-') as tmp:
        repo = _repo(Path(tmp))
        _change(repo)

        def event(name: str, sid: str, **extra: object) -> bytes:
            return json.dumps(
                {
                    'session_id': sid,
                    'cwd': str(repo),
                    'transcript_path': '/tmp/t.jsonl',
                    'hook_event_name': name,
                    **extra,
                }
            ).encode()

        def blocks(out: bytes) -> bool:
            return json.loads(out).get('decision') == 'block'

        for run in range(args.runs):
            sid = f'bench-{run}'
            start = event('SessionStart', sid, source='startup', model='claude-sonnet-4-5-20250929')
            # The session starts before the change: record it on a clean tree.
            _git(repo, 'stash', '-u', '-q')
            results.setdefault('session start', []).append(
                _time(hook, repo, start, env, lambda out: b'additionalContext' in out)
            )
            results.setdefault('stop, nothing changed', []).append(
                _time(hook, repo, event('Stop', sid, stop_hook_active=False), env, lambda out: out == b'')
            )
            _git(repo, 'stash', 'pop', '-q')
            stop = event('Stop', sid, stop_hook_active=False)
            results.setdefault('stop, trigger fires (blocks)', []).append(
                _time(hook, repo, stop, env, blocks)
            )
            results.setdefault('stop, already reported', []).append(
                _time(hook, repo, stop, env, lambda out: out == b'')
            )
            results.setdefault('review-trigger --worktree', []).append(
                _time([*base, '--worktree'], repo, b'', env, lambda out: out.startswith(b'## '))
            )
    rows = {
        name: {'median_ms': round(statistics.median(v), 1), 'max_ms': round(max(v), 1), 'runs': len(v)}
        for name, v in results.items()
    }
    print(
        f'agent hooks, small change (10 new files, 2 changed), {args.runs} runs each, '
        f'python {sys.version.split()[0]}'
    )
    for name, row in rows.items():
        print(f'  {name:32} median {row["median_ms"]:7.1f} ms   max {row["max_ms"]:7.1f} ms')
    blocked = rows['stop, trigger fires (blocks)']['median_ms']
    verdict = 'met' if blocked < TARGET_MS else 'NOT met'
    print(f'target: the blocking stop under {TARGET_MS:.0f} ms: {verdict} ({blocked:.1f} ms)')
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
