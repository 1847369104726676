#!/usr/bin/env python3
"""Precision and recall of each trigger on a labelled set of real commits.

    python benchmarks/quality/measure.py               # the table
    python benchmarks/quality/measure.py --details     # also every mismatch
    python benchmarks/quality/measure.py --json out.json

``labels.jsonl`` holds one commit a line: the repository, the full sha, the
triggers a careful reviewer expects to fire on it (``expect``, possibly
empty) and one line of why. Each commit was labelled from its diff, by the
definitions of the detection issue, before review-trigger ran on it.

The repositories are read from bare mirrors under ``--mirrors``
(``owner+name/repo``, as the ``fetch`` tool leaves them); a repository whose
mirror is absent is skipped with a note on stderr. For each repository a
shared, no-checkout clone is made in a temporary folder (no objects are
copied), and each commit is analysed as a pull request of one commit:
``review-trigger --base SHA~1 --head SHA --format json``, run with this
interpreter from the source tree, so it measures the code as it is.

Only the built-in triggers are measured; the repositories' own
configuration (if any) is read from the base commit, as it would be.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TRIGGERS = ('security', 'sensitive-data', 'document', 'governance', 'architecture', 'new-files')


class Label(NamedTuple):
    repo: str
    sha: str
    expect: frozenset[str]
    why: str


class Result(NamedTuple):
    label: Label
    fired: frozenset[str] | None  # None: the run failed
    error: str = ''


def load(path: str) -> list[Label]:
    out = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            unknown = set(r['expect']) - set(TRIGGERS)
            if unknown or len(r['sha']) != 40:
                sys.exit(f'{path}:{n}: bad label ({sorted(unknown) or r["sha"]})')
            out.append(Label(r['repo'], r['sha'], frozenset(r['expect']), r['why']))
    return out


def mirror_of(mirrors: str, repo: str) -> str:
    return os.path.join(mirrors, repo.replace('/', '+'), 'repo')


def run_one(clone: str, label: Label) -> Result:
    # -S: no site processing, so an editable install elsewhere cannot stand
    # in for this tree; the installed dependencies come from purelib.
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            [ROOT, sysconfig.get_paths()['purelib'], sysconfig.get_paths()['platlib']]
        ),
    )
    env.pop('REVIEW_TRIGGER_SESSION_MODEL', None)
    proc = subprocess.run(
        [
            sys.executable,
            '-S',
            '-m',
            'review_trigger',
            '-C',
            clone,
            '--base',
            label.sha + '~1',
            '--head',
            label.sha,
            '--format',
            'json',
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    if proc.returncode not in (0, 1):
        return Result(
            label,
            None,
            proc.stderr.strip().splitlines()[-1:]
            and proc.stderr.strip().splitlines()[-1]
            or f'exit {proc.returncode}',
        )
    report = json.loads(proc.stdout)
    return Result(label, frozenset(t['id'] for t in report['triggers']))


def run_all(labels: Sequence[Label], mirrors: str, jobs: int) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix='rt-quality-') as tmp:
        clones: dict[str, str] = {}
        for repo in dict.fromkeys(lab.repo for lab in labels):
            src = mirror_of(mirrors, repo)
            if not os.path.isdir(src):
                n = sum(1 for lab in labels if lab.repo == repo)
                print(f'note: no mirror of {repo} at {src}: its {n} commits are skipped', file=sys.stderr)
                continue
            dest = os.path.join(tmp, repo.replace('/', '+'))
            subprocess.run(['git', 'clone', '--quiet', '--shared', '--no-checkout', src, dest], check=True)
            clones[repo] = dest
        todo = [lab for lab in labels if lab.repo in clones]
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(lambda lab: run_one(clones[lab.repo], lab), todo))
    return results


class Score(NamedTuple):
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def score(results: Sequence[Result]) -> dict[str, Score]:
    out = {}
    for t in TRIGGERS:
        tp = fp = fn = 0
        for r in results:
            if r.fired is None:
                continue
            want, got = t in r.label.expect, t in r.fired
            tp += want and got
            fp += got and not want
            fn += want and not got
        out[t] = Score(tp, fp, fn)
    return out


def fmt(x: float | None) -> str:
    return '   -' if x is None else f'{x:.2f}'


def table(scores: dict[str, Score]) -> str:
    lines = [
        f'{"trigger":<15} {"expected":>8} {"fired":>6} {"TP":>4} {"FP":>4} {"FN":>4} '
        f'{"precision":>9} {"recall":>6}'
    ]
    total = Score(0, 0, 0)
    for t, s in scores.items():
        lines.append(
            f'{t:<15} {s.tp + s.fn:>8} {s.tp + s.fp:>6} {s.tp:>4} {s.fp:>4} {s.fn:>4} '
            f'{fmt(s.precision):>9} {fmt(s.recall):>6}'
        )
        total = Score(total.tp + s.tp, total.fp + s.fp, total.fn + s.fn)
    lines.append(
        f'{"all":<15} {total.tp + total.fn:>8} {total.tp + total.fp:>6} {total.tp:>4} '
        f'{total.fp:>4} {total.fn:>4} {fmt(total.precision):>9} {fmt(total.recall):>6}'
    )
    return '\n'.join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--labels', default=os.path.join(HERE, 'labels.jsonl'))
    parser.add_argument('--mirrors', default='/work/.mirror')
    parser.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    parser.add_argument('--details', action='store_true', help='list every mismatch')
    parser.add_argument('--json', metavar='PATH', help='also write the per-commit results')
    args = parser.parse_args(argv)
    labels = load(args.labels)
    results = run_all(labels, args.mirrors, args.jobs)
    failed = [r for r in results if r.fired is None]
    ok = [r for r in results if r.fired is not None]
    quiet = sum(1 for r in ok if not r.label.expect)
    repos = sorted({r.label.repo for r in ok})
    print(
        f'{len(ok)} commits from {len(repos)} repositories '
        f'({quiet} where nothing should fire); {len(labels) - len(results)} skipped, '
        f'{len(failed)} failed'
    )
    print(table(score(ok)))
    for r in failed:
        print(f'failed: {r.label.repo} {r.label.sha}: {r.error}', file=sys.stderr)
    if args.details:
        for r in ok:
            assert r.fired is not None
            missed = sorted(r.label.expect - r.fired)
            extra = sorted(r.fired - r.label.expect)
            if missed or extra:
                print(
                    f'{r.label.repo} {r.label.sha[:10]} missed={",".join(missed) or "-"} '
                    f'extra={",".join(extra) or "-"}  # {r.label.why}'
                )
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump(
                [
                    {
                        'repo': r.label.repo,
                        'sha': r.label.sha,
                        'expect': sorted(r.label.expect),
                        'fired': None if r.fired is None else sorted(r.fired),
                        'error': r.error,
                    }
                    for r in results
                ],
                f,
                indent=1,
            )
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
