#!/usr/bin/env python3
"""Benchmark review-trigger against the yardsticks of its performance targets.

    python benchmarks/run.py            # the targets, at their sizes (a few minutes)
    python benchmarks/run.py --quick    # smaller repositories, fewer runs
    python benchmarks/run.py --json     # also print the results as JSON

Builds synthetic repositories deterministically in a temporary folder (see
``synth.py``), runs review-trigger and the yardstick command alternately,
and prints medians and ratios:

1. small change (10 staged files, one security-relevant): the wall time of
   ``review-trigger --staged`` against ``detect-secrets-hook`` on the same
   files: at most 0.85x.
2. large change (the last commit adds 20,000 files and modifies 2,000):
   ``review-trigger --since HEAD~1`` against
   ``git diff -M -U0 --raw --numstat -z --no-color HEAD~1 HEAD``: at most
   1.5x the wall time, and under 100 MB peak memory.
   Without RE2 (hidden from the process): at most 3x.
3. 2,000 / 20,000 / 100,000 new files: the time per file stays roughly
   constant (the marginal cost per file between sizes differs by at most
   1.5x) and memory grows with the number of files, not with the size of
   the diff (the same files with 5x the content: the process's peak grows
   by less than a quarter of the extra diff).
4. real content: fastapi ``0.100.0..HEAD`` (thousands of commits, docs in
   many scripts), against the same git command: at most 2x. It needs a
   mirror of fastapi (``--fastapi DIR``, or $REVIEW_TRIGGER_FASTAPI; by
   default where the ``fetch`` tool puts it); without one it is skipped
   with a note. The benchmark clones the mirror into its temporary folder.
5. ``--format json`` on 200,000 new files: the process's peak memory per
   file at most 2 KB.

Install review-trigger with the ``fast`` extra (RE2) first, as the Action
does: ``python -m pip install -e '.[fast]' detect-secrets``. Without it the
results are the same but a large change takes several times longer, and
the script says so.

Commands are started by a minimal launcher (``python -S``) that times them
and reads their peak memory, ``ru_maxrss``, from ``os.wait4``: the largest
resident set of the process and of the git processes it ran. Linux counts
a parent's resident set at fork time in a child's peak, hence the small
launcher: about 8 MB is the floor of every figure. review-trigger's own
process reports its peak itself at exit (a separate, untimed run).
Standard library only, plus detect-secrets for target 1
(``pip install detect-secrets``). Linux or macOS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402

YARDSTICK_DIFF = ['git', 'diff', '-M', '-U0', '--raw', '--numstat', '-z', '--no-color', 'HEAD~1', 'HEAD']
FASTAPI_MIRROR = '/work/.mirror/fastapi+fastapi/repo'
FASTAPI_BASE = '0.100.0'


class Sample(NamedTuple):
    wall: float  # seconds
    maxrss: int  # bytes
    code: int


class Measure(NamedTuple):
    wall: float  # median seconds
    maxrss: int  # median peak bytes
    runs: int


def _tool(name: str) -> str | None:
    """``name`` next to this Python (the same virtual environment), else on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists() and os.access(here, os.X_OK):
        return str(here)
    return shutil.which(name)


# Runs a command and reports its wall time, peak memory and exit code.
# On Linux a child's ru_maxrss starts from its parent's resident set at
# fork time, so commands are started from this minimal Python (python -S,
# about 8 MB) rather than from the benchmark (tens of MB after building
# the repositories). That floor is the smallest peak a command can show.
_LAUNCHER = (
    'import os, sys, time\n'
    'out = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]\n'
    't = time.perf_counter()\n'
    'pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=out)\n'
    '_, status, usage = os.wait4(pid, 0)\n'
    'wall = time.perf_counter() - t\n'
    'print(wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n'
)


def run_once(cmd: Sequence[str], cwd: Path, env: dict[str, str], ok: Sequence[int] = (0,)) -> Sample:
    with tempfile.TemporaryFile() as err:
        out = subprocess.run(
            [sys.executable, '-S', '-I', '-c', _LAUNCHER, *cmd],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            check=True,
        ).stdout
        wall, maxrss, code = out.decode().split()
        if int(code) not in ok:
            err.seek(0)
            raise SystemExit(
                f'{" ".join(cmd)} failed (exit {code}) in {cwd}:\n{err.read().decode(errors="replace")}'
            )
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1 if sys.platform == 'darwin' else 1024
    return Sample(float(wall), int(maxrss) * scale, int(code))


def alternate(
    a: tuple[list[str], Sequence[int]],
    b: tuple[list[str], Sequence[int]],
    cwd: Path,
    env: dict[str, str],
    runs: int,
    warmup: int = 1,
) -> tuple[Measure, Measure]:
    """Run ``a`` and ``b`` alternately ``runs`` times each (after a warm-up,
    which also fills the page cache), swapping which goes first each round."""
    for _ in range(warmup):
        run_once(a[0], cwd, env, a[1])
        run_once(b[0], cwd, env, b[1])
    sa: list[Sample] = []
    sb: list[Sample] = []
    for i in range(runs):
        if i % 2:
            sb.append(run_once(b[0], cwd, env, b[1]))
            sa.append(run_once(a[0], cwd, env, a[1]))
        else:
            sa.append(run_once(a[0], cwd, env, a[1]))
            sb.append(run_once(b[0], cwd, env, b[1]))

    def summary(s: list[Sample]) -> Measure:
        return Measure(
            statistics.median(x.wall for x in s), int(statistics.median(x.maxrss for x in s)), len(s)
        )

    return summary(sa), summary(sb)


# review-trigger's main, reporting the process's own peak memory at exit.
_SELF_PEAK = (
    'import resource, sys\n'
    'from review_trigger.__main__ import main\n'
    'code = main(sys.argv[1:])\n'
    'sys.stderr.write("\\nrt-maxrss %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n'
    'sys.exit(code)\n'
)


# review-trigger with RE2 hidden: its import fails, as when it is not installed.
_NO_RE2 = (
    'import sys\n'
    'sys.modules["re2"] = None\n'
    'from review_trigger.__main__ import main\n'
    'sys.exit(main(sys.argv[1:]))\n'
)


def self_peak(args: list[str], cwd: Path, env: dict[str, str]) -> int:
    """review-trigger's own peak resident set (bytes), without its git children."""
    out = subprocess.run(
        [sys.executable, '-S', '-I', '-c', _LAUNCHER, sys.executable, '-c', _SELF_PEAK, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith('rt-maxrss ')]
    if out.returncode != 0 or not lines:
        raise SystemExit(f'review-trigger {" ".join(args)} failed in {cwd}:\n{out.stderr}')
    scale = 1 if sys.platform == 'darwin' else 1024
    return int(lines[-1].split()[1]) * scale


def diff_bytes(repo: Path, env: dict[str, str], cmd: Sequence[str] = YARDSTICK_DIFF) -> int:
    proc = subprocess.Popen(cmd, cwd=repo, env=env, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    n = 0
    while chunk := proc.stdout.read(1 << 20):
        n += len(chunk)
    proc.wait()
    return n


def mb(n: float) -> str:
    return f'{n / 1e6:.1f} MB'


def secs(t: float) -> str:
    return f'{t * 1000:.0f} ms' if t < 10 else f'{t:.1f} s'


class Row(NamedTuple):
    target: str
    what: str
    ours: str
    yardstick: str
    ratio: str
    limit: str
    met: bool | None


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument(
        '--quick', action='store_true', help="smaller repositories and fewer runs (not the targets' sizes)"
    )
    ap.add_argument('--json', action='store_true', help='also print the results as JSON')
    ap.add_argument('--runs', type=int, help='timed runs of each command (default 15, quick 5)')
    ap.add_argument(
        '--targets',
        metavar='N',
        type=int,
        nargs='+',
        choices=(1, 2, 3, 4, 5),
        default=(1, 2, 3, 4, 5),
        help='measure only these targets',
    )
    ap.add_argument(
        '--fastapi',
        metavar='DIR',
        default=os.environ.get('REVIEW_TRIGGER_FASTAPI', FASTAPI_MIRROR),
        help='a clone or mirror of fastapi/fastapi, for target 4',
    )
    ap.add_argument('--keep', metavar='DIR', help='build the repositories in DIR and keep them')
    args = ap.parse_args(argv)

    quick = args.quick
    runs = args.runs or (5 if quick else 15)
    scale_runs = max(3, runs // 3)
    large_new, large_mod = (5_000, 500) if quick else (20_000, 2_000)
    sizes = (1_000, 5_000, 20_000) if quick else (2_000, 20_000, 100_000)

    rt = _tool('review-trigger')
    rt_cmd = [rt] if rt else [sys.executable, '-m', 'review_trigger']
    json_files = 20_000 if quick else 200_000
    try:
        subprocess.run([*rt_cmd, '--version'], check=True, capture_output=True)
        subprocess.run([sys.executable, '-c', 'import review_trigger.cli'], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        print(
            'review-trigger is not installed in this Python: run '
            "`python -m pip install -e '.[fast]'` from the repository first, and run "
            'this script with that Python.',
            file=sys.stderr,
        )
        return 2
    fast = subprocess.run([sys.executable, '-c', 'import re2'], capture_output=True).returncode == 0
    if not fast:
        print(
            'RE2 is not installed (the fast extra): large changes are analysed with '
            "Python's re alone, several times slower. Install it with "
            "`python -m pip install -e '.[fast]'`.",
            file=sys.stderr,
        )
    ds = _tool('detect-secrets-hook')
    if ds is None:
        print(
            'detect-secrets-hook was not found: target 1 compares against it. '
            'Install it with `pip install detect-secrets` (target 1 is skipped).',
            file=sys.stderr,
        )

    git_version = subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.strip()
    info = {
        'python': platform.python_version(),
        'git': git_version,
        'cpus': os.cpu_count(),
        'platform': platform.platform(),
        'review_trigger': ' '.join(rt_cmd),
        'runs': runs,
        'quick': quick,
        're2': fast,
    }
    print(
        f'review-trigger benchmark: Python {info["python"]}, {git_version}, '
        f'{info["cpus"]} CPUs, RE2 {"installed" if fast else "not installed"}, '
        f'{runs} alternating runs'
        f'{" (quick: smaller than the targets)" if quick else ""}',
        file=sys.stderr,
    )

    rows: list[Row] = []
    results: dict[str, Any] = {'info': info}
    tmp_ctx = tempfile.TemporaryDirectory(prefix='rt-bench-') if not args.keep else None
    root = Path(args.keep or tmp_ctx.name)  # type: ignore[union-attr]
    root.mkdir(parents=True, exist_ok=True)
    env = synth.isolated_env()
    # Both tools run as installed, with their modules' bytecode cached: pip
    # compiles a regular install's modules when it installs them, and an
    # editable install writes them on its first run (the warm-up). With
    # PYTHONDONTWRITEBYTECODE (set on some CI machines) an editable install
    # would compile every module from source on every run.
    env.pop('PYTHONDONTWRITEBYTECODE', None)
    bench = Bench(root, env, rt_cmd, runs, quick, rows, results)
    try:
        if 1 in args.targets and ds is not None:
            bench.small_change(ds)
        if 2 in args.targets:
            bench.large_change(large_new, large_mod)
        if 3 in args.targets:
            bench.scaling(sizes, scale_runs)
        if 4 in args.targets:
            if os.path.isdir(args.fastapi):
                bench.real_change(Path(args.fastapi), scale_runs)
            else:
                log(
                    f'target 4 skipped: no fastapi mirror at {args.fastapi} (bring one '
                    f'with `git clone --mirror https://github.com/fastapi/fastapi` and '
                    f'pass --fastapi DIR)'
                )
        if 5 in args.targets:
            bench.json_memory(json_files)
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()

    print_table(rows)
    met = [r.met for r in rows if r.met is not None]
    results['rows'] = [r._asdict() for r in rows]
    results['all_met'] = (
        bool(met) and all(met) and not quick and ds is not None and set(args.targets) == {1, 2, 3, 4, 5}
    )
    if args.json:
        print(json.dumps(results, indent=2))
    if quick:
        print(
            '(--quick: smaller repositories than the targets name; run without --quick for the verdict)',
            file=sys.stderr,
        )
    return 0 if results['all_met'] else 1


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Bench(NamedTuple):
    root: Path
    env: dict[str, str]
    rt_cmd: list[str]
    runs: int
    quick: bool
    rows: list[Row]
    results: dict[str, Any]

    def small_change(self, ds: str) -> None:
        """Target 1: a hook-sized change against detect-secrets-hook."""
        small = self.root / 'small'
        t0 = time.perf_counter()
        if not small.exists():
            files = synth.build_small(small, self.env)
        else:
            files = synth.small_paths()
        log(f'small repository built in {time.perf_counter() - t0:.1f} s')
        ours, theirs = alternate(
            ([*self.rt_cmd, '--staged'], (0,)),
            ([ds, *files], (0, 1)),
            small,
            self.env,
            self.runs,
        )
        ratio = ours.wall / theirs.wall
        self.rows.append(
            Row(
                '1',
                f'small change ({len(files)} staged files), median wall',
                secs(ours.wall),
                f'{secs(theirs.wall)} detect-secrets-hook',
                f'{ratio:.2f}x',
                '<= 0.85x',
                ratio <= 0.85,
            )
        )
        self.results['small'] = {
            'files': len(files),
            'review_trigger_s': ours.wall,
            'detect_secrets_s': theirs.wall,
            'ratio': ratio,
            'review_trigger_maxrss': ours.maxrss,
            'detect_secrets_maxrss': theirs.maxrss,
        }

    def large_change(self, new: int, modified: int) -> None:
        """Target 2: a huge last commit against the git command that
        yields the same information."""
        large = self.root / f'large-{new}'
        fast = subprocess.run([sys.executable, '-c', 'import re2'], capture_output=True).returncode == 0
        t0 = time.perf_counter()
        if not large.exists():
            synth.build_large(large, self.env, new_files=new, modified=modified)
        size = diff_bytes(large, self.env)
        log(
            f'large repository ({new:,} new, {modified:,} modified files, '
            f'{mb(size)} of diff) built in {time.perf_counter() - t0:.1f} s'
        )
        ours, theirs = alternate(
            ([*self.rt_cmd, '--since', 'HEAD~1'], (0,)),
            (YARDSTICK_DIFF, (0,)),
            large,
            self.env,
            self.runs,
        )
        ratio = ours.wall / theirs.wall
        own = self_peak(['--since', 'HEAD~1'], large, self.env)
        what = f'large change (+{new:,} ~{modified:,} files, {mb(size)} diff)'
        official = not self.quick
        self.rows.append(
            Row(
                '2',
                f'{what}, median wall',
                secs(ours.wall),
                f'{secs(theirs.wall)} git diff',
                f'{ratio:.2f}x',
                '<= 1.50x',
                ratio <= 1.5 if official else None,
            )
        )
        peak = max(own, ours.maxrss)
        self.rows.append(
            Row(
                '2',
                f'{what}, peak memory (process; with its git)',
                f'{mb(own)}; {mb(ours.maxrss)}',
                f'{mb(theirs.maxrss)} git diff',
                '',
                '< 100 MB',
                peak < 100e6 if official else None,
            )
        )
        if fast:
            bare, _ = alternate(
                ([sys.executable, '-c', _NO_RE2, '--since', 'HEAD~1'], (0,)),
                (YARDSTICK_DIFF, (0,)),
                large,
                self.env,
                max(3, self.runs // 3),
                warmup=0,
            )
            no_re2 = bare.wall / theirs.wall
            self.rows.append(
                Row(
                    '2',
                    f'{what}, without RE2, median wall',
                    secs(bare.wall),
                    f'{secs(theirs.wall)} git diff',
                    f'{no_re2:.2f}x',
                    '<= 3.00x',
                    no_re2 <= 3 if official else None,
                )
            )
        self.results['large'] = {
            'new_files': new,
            'modified_files': modified,
            'diff_bytes': size,
            'review_trigger_s': ours.wall,
            'git_diff_s': theirs.wall,
            'ratio': ratio,
            'review_trigger_maxrss': own,
            'review_trigger_with_git_maxrss': ours.maxrss,
            'git_diff_maxrss': theirs.maxrss,
        }

    def scaling(self, sizes: Sequence[int], runs: int) -> None:
        """Target 3: cost per file constant; memory bound by the number of
        files, not by the size of the diff."""
        points = []
        for n in sizes:
            repo = self.root / f'scale-{n}'
            t0 = time.perf_counter()
            if not repo.exists():
                synth.build_large(repo, self.env, new_files=n, modified=0, huge_bytes=0)
            size = diff_bytes(repo, self.env)
            log(f'{n:,} new files ({mb(size)} of diff) built in {time.perf_counter() - t0:.1f} s')
            ours, theirs = alternate(
                ([*self.rt_cmd, '--since', 'HEAD~1'], (0,)),
                (YARDSTICK_DIFF, (0,)),
                repo,
                self.env,
                runs,
            )
            own = self_peak(['--since', 'HEAD~1'], repo, self.env)
            points.append((n, size, ours._replace(maxrss=own), theirs))
        fat_n = sizes[1]
        fat = self.root / f'scale-{fat_n}-fat'
        if not fat.exists():
            synth.build_large(fat, self.env, new_files=fat_n, modified=0, huge_bytes=0, fat=5)
        fat_size = diff_bytes(fat, self.env)
        log(f'{fat_n:,} new files, 5x larger ({mb(fat_size)} of diff)')
        fat_peak = self_peak(['--since', 'HEAD~1'], fat, self.env)

        scale: list[dict[str, Any]] = []
        for n, size, ours, theirs in points:
            self.rows.append(
                Row(
                    '3',
                    f'{n:,} new files ({mb(size)} diff): wall, process peak memory',
                    f'{secs(ours.wall)}, {mb(ours.maxrss)}',
                    f'{secs(theirs.wall)}, {mb(theirs.maxrss)} git diff',
                    f'{ours.wall / theirs.wall:.2f}x',
                    '',
                    None,
                )
            )
            scale.append(
                {
                    'new_files': n,
                    'diff_bytes': size,
                    'review_trigger_s': ours.wall,
                    'git_diff_s': theirs.wall,
                    'review_trigger_maxrss': ours.maxrss,
                    'git_diff_maxrss': theirs.maxrss,
                }
            )
        pairs = list(zip(points, points[1:], strict=False))
        slopes = [(o2.wall - o1.wall) / (n2 - n1) for (n1, _, o1, _), (n2, _, o2, _) in pairs]
        spread = max(slopes) / min(slopes) if min(slopes) > 0 else float('inf')
        self.rows.append(
            Row(
                '3',
                'marginal time per file, between those sizes',
                ', '.join(f'{s * 1e6:.1f} us' for s in slopes),
                '',
                f'{spread:.2f}x apart',
                '<= 1.50x',
                spread <= 1.5,
            )
        )
        mem = [(o2.maxrss - o1.maxrss) / (n2 - n1) for (n1, _, o1, _), (n2, _, o2, _) in pairs]
        per_file = points[-1][1] / points[-1][0]
        self.rows.append(
            Row(
                '3',
                'marginal peak memory per file, between those sizes',
                ', '.join(f'{m:.0f} B' for m in mem),
                f'{per_file:.0f} B of diff per file',
                '',
                '',
                None,
            )
        )
        _, base_size, base, _ = next(p for p in points if p[0] == fat_n)
        grow = fat_peak - base.maxrss
        share = grow / (fat_size - base_size)
        self.rows.append(
            Row(
                '3',
                f'{fat_n:,} files with 5x the content ({mb(fat_size)} diff): process peak',
                mb(fat_peak),
                f'{mb(base.maxrss)} at 1x',
                f'{grow / 1e6:+.1f} MB for {(fat_size - base_size) / 1e6:+.1f} MB of diff',
                '< 25% of it',
                share < 0.25,
            )
        )
        self.results['scaling'] = {
            'points': scale,
            'marginal_s_per_file': slopes,
            'spread': spread,
            'marginal_bytes_per_file': mem,
            'fat': {
                'new_files': fat_n,
                'diff_bytes': fat_size,
                'review_trigger_maxrss': fat_peak,
                'growth_share_of_extra_diff': share,
            },
        }

    def real_change(self, mirror: Path, runs: int) -> None:
        """Target 4: a real range, fastapi 0.100.0..HEAD, against git."""
        repo = self.root / 'fastapi'
        if not repo.exists():
            subprocess.run(
                ['git', 'clone', '-q', '--shared', '--no-checkout', str(mirror), str(repo)],
                check=True,
                env=self.env,
            )
        yardstick = [*YARDSTICK_DIFF[:-2], FASTAPI_BASE, 'HEAD']
        size = diff_bytes(repo, self.env, yardstick)
        ours, theirs = alternate(
            ([*self.rt_cmd, '--since', FASTAPI_BASE], (0,)),
            (yardstick, (0,)),
            repo,
            self.env,
            runs,
        )
        ratio = ours.wall / theirs.wall
        self.rows.append(
            Row(
                '4',
                f'real range: fastapi {FASTAPI_BASE}..HEAD ({mb(size)} diff), median wall',
                secs(ours.wall),
                f'{secs(theirs.wall)} git diff',
                f'{ratio:.2f}x',
                '<= 2.00x',
                ratio <= 2,
            )
        )
        self.results['real'] = {
            'diff_bytes': size,
            'review_trigger_s': ours.wall,
            'git_diff_s': theirs.wall,
            'ratio': ratio,
        }

    def json_memory(self, files: int) -> None:
        """Target 5: --format json on many files, peak memory per file."""
        repo = self.root / f'scale-{files}'
        if not repo.exists():
            synth.build_large(repo, self.env, new_files=files, modified=0, huge_bytes=0)
        peak = self_peak(['--since', 'HEAD~1', '--format', 'json'], repo, self.env)
        per_file = peak / files
        self.rows.append(
            Row(
                '5',
                f'--format json on {files:,} new files: process peak per file',
                f'{per_file / 1000:.2f} KB',
                f'{mb(peak)} in all',
                '',
                '<= 2 KB',
                per_file <= 2000 if not self.quick else None,
            )
        )
        self.results['json_memory'] = {
            'files': files,
            'review_trigger_maxrss': peak,
            'bytes_per_file': per_file,
        }


def print_table(rows: list[Row]) -> None:
    head = Row('target', 'measure', 'review-trigger', 'yardstick', 'ratio', 'limit', None)
    cells = [[*r[:6], '' if r.met is None else ('met' if r.met else 'NOT MET')] for r in rows]
    cells.insert(0, [*head[:6], 'result'])
    widths = [max(len(c[i]) for c in cells) for i in range(7)]
    for k, c in enumerate(cells):
        print(' | '.join(x.ljust(w) for x, w in zip(c, widths, strict=True)).rstrip())
        if k == 0:
            print('-+-'.join('-' * w for w in widths))


if __name__ == '__main__':
    sys.exit(main())
