"""Performance guards that do not time anything.

- The streamed diff parsers (file by file, and a block at a time) and the
  content scanner (with and without RE2) give exactly what plain
  line-by-line versions give (those are kept here as the reference),
  whatever the chunking, line lengths or bytes; and so does matching many
  paths at once.
- Reading a large change holds at most about one file's capped content at
  a time: peak memory, measured with tracemalloc on a synthetic repository
  whose diff is several times the bound, stays bounded. Materialising the
  diff (or one huge file's patch) again would fail this.
- The hook path does not import the GitHub client, the schema validator or
  the YAML parser, and pathspec only until its translations are remembered.

The benchmark itself (timings, ratios) is ``python benchmarks/run.py``.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review_trigger import git, prefilter, scan
from review_trigger.analyze import analyze, enabled_triggers
from review_trigger.change import FileChange, Hit, Range, Suppression
from review_trigger.config import default_config
from review_trigger.git import diff as git_diff
from review_trigger.paths import Globs
from review_trigger.regex import regex
from review_trigger.scan import LineRule, scan_file, scan_files, word_rule
from review_trigger.words import compile_words, find_word, split_words

ROOT = Path(__file__).resolve().parent.parent


def _synth() -> Any:
    spec = importlib.util.spec_from_file_location(
        'review_trigger_bench_synth', ROOT / 'benchmarks' / 'synth.py'
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the reference: the line-by-line parser the streaming one replaced --------

_REF_HUNK = re.compile(rb'@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@')


def _ref_lines(stream: io.BytesIO, leftover: bytes) -> Iterator[bytes]:
    buf = leftover
    while True:
        *lines, buf = buf.split(b'\n')
        yield from lines
        chunk = stream.read(65536)
        if not chunk:
            if buf:
                yield buf
            return
        buf += chunk


def _ref_patches(
    files: list[FileChange],
    lines: Iterator[bytes],
    want_content: Callable[[FileChange], bool],
    max_bytes: int,
) -> Iterator[tuple[FileChange, list[tuple[int, str]], bool]]:
    index = -1
    header_line = b''
    current: FileChange | None = None
    keep = False
    added: list[tuple[int, str]] = []
    size = 0
    skipped = False
    in_hunk = False
    lineno = 0
    counts = [0, 0, False]  # added, deleted, binary

    def done(change: FileChange) -> FileChange:
        return change._replace(added_lines=counts[0], deleted_lines=counts[1], binary=bool(counts[2]))

    for line in lines:
        if line.startswith(b'diff --git '):
            if not (current is not None and current.status == 'type-changed' and line == header_line):
                if current is not None:
                    yield done(current), added, skipped
                index += 1
                current = files[index]
                keep = want_content(current)
                added, size, skipped = [], 0, False
                counts = [0, 0, False]
            header_line = line
            in_hunk = False
            continue
        if not in_hunk and line.startswith(b'Binary files '):
            counts[2] = True
        if in_hunk:
            first = line[:1]
            if first == b'+':
                if keep:
                    size += len(line)
                    if size > max_bytes:
                        keep, skipped, added = False, True, []
                    else:
                        added.append((lineno, line[1:].decode('utf-8', 'replace')))
                lineno += 1
                continue
            if first == b' ':
                lineno += 1
                continue
            if first in (b'-', b'\\'):
                continue
        m = _REF_HUNK.match(line)
        if m:
            in_hunk = True
            lineno = int(m[2])
            counts[0] += 1 if m[3] is None else int(m[3])
            counts[1] += 1 if m[1] is None else int(m[1])
    if current is not None:
        yield done(current), added, skipped
    for rest in files[index + 1 :]:
        yield rest, [], False


def _change(path: str, status: str = 'added') -> FileChange:
    return FileChange(path, None, status, 0, 0, False, None, None)


def _parse_both(
    patch: bytes,
    files: list[FileChange],
    max_bytes: int,
    chunk: int,
    want: Callable[[FileChange], bool],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[list[Any], list[Any]]:
    monkeypatch.setattr(git_diff, '_BLOCK', chunk)
    ref = list(_ref_patches(files, _ref_lines(io.BytesIO(patch[7:]), patch[:7]), want, max_bytes))
    # A line longer than this is cut; '+' lines that long are over the cap.
    long_line = max(max_bytes + 1, 80)
    blocks = git_diff._blocks(io.BytesIO(patch[7:]), patch[:7], long_line)
    new = [
        (fd.change, list(fd.added), fd.skipped)
        for fd in git_diff._read(files, blocks, [want(f) for f in files], max_bytes)
        if isinstance(fd, git.FileDiff)
    ]
    return ref, new


_TEXT = st.text(alphabet='ab +-@\\\r\t\u00e9\u4e2d{}"=', max_size=12)
_LINE = st.one_of(
    _TEXT.map(lambda t: b'+' + t.encode()),
    _TEXT.map(lambda t: b'-' + t.encode()),
    _TEXT.map(lambda t: b' ' + t.encode()),
    st.just(b'\\ No newline at end of file'),
    st.just(b''),
    st.just(b'+diff --git a/x b/x'),
    st.just(b'@@ -bogus'),
    st.binary(max_size=6).map(lambda b: b'+' + b.replace(b'\n', b'')),
    st.integers(1, 200).map(lambda n: b'+' + b'x' * n),
)
_HUNK_HEAD = st.tuples(st.integers(0, 9), st.integers(0, 99), st.booleans()).map(
    lambda t: f'@@ -{t[0]},{t[0]} +{t[1]}{",3" if t[2] else ""} @@ def f():'.encode()
)
_BLOCK = st.tuples(
    st.sampled_from(
        [
            b'',
            b'new file mode 100644\nindex 0000000..abc\n--- /dev/null\n+++ b/f\n',
            b'--- a/f\n+++ b/f\n',
            b'Binary files a/f and b/f differ\n',
        ]
    ),
    st.lists(st.tuples(_HUNK_HEAD, st.lists(_LINE, max_size=8)), max_size=3),
    st.booleans(),  # a type change: the block comes twice
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    blocks=st.lists(_BLOCK, max_size=6),
    extra=st.integers(0, 2),
    max_bytes=st.sampled_from([0, 5, 40, 10_000]),
    chunk=st.integers(1, 40),
    final_newline=st.booleans(),
    keep=st.sampled_from(['all', 'none', 'odd']),
)
def test_streaming_parser_matches_line_by_line(
    monkeypatch: pytest.MonkeyPatch,
    blocks: list[Any],
    extra: int,
    max_bytes: int,
    chunk: int,
    final_newline: bool,
    keep: str,
) -> None:
    out: list[bytes] = []
    files = []
    for i, (head, hunks, twice) in enumerate(blocks):
        files.append(_change(f'f{i}', 'type-changed' if twice else 'added'))
        for _ in range(2 if twice else 1):
            out.append(f'diff --git a/f{i} b/f{i}'.encode())
            if head:
                out.extend(head.rstrip(b'\n').split(b'\n'))
            for hunk_head, lines in hunks:
                out.append(hunk_head)
                out.extend(lines)
    files += [_change(f'extra{i}') for i in range(extra)]
    patch = b'\n'.join(out) + (b'\n' if final_newline and out else b'')

    def want(f: FileChange) -> bool:
        return keep == 'all' or (keep == 'odd' and int(f.path.lstrip('fextra')) % 2 == 1)

    ref, new = _parse_both(patch, files, max_bytes, chunk, want, monkeypatch)
    assert new == ref


def test_streaming_parser_cuts_a_huge_line(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [_change('a'), _change('b'), _change('c')]
    patch = (
        b'diff --git a/a b/a\n@@ -0,0 +1,2 @@\n+' + b'x' * 5000 + b'\n+y\n'
        b'diff --git a/b b/b\n@@ -1,1 +1,1 @@\n-' + b'z' * 5000 + b'\n+ok\n'
        b'diff --git a/c b/c\n@@ -0,0 +7 @@\n+' + b'w' * 150
    )
    ref, new = _parse_both(patch, files, 100, 64, lambda f: True, monkeypatch)
    assert new == ref
    assert [len(added) for _, added, _ in new] == [0, 1, 0]
    assert [skipped for _, _, skipped in new] == [True, False, True]


def test_header_tokens_arrive_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    header = (
        b':100644 100644 aa bb M\0x\0:000000 100644 00 cc A\0y\x001\t2\tx\x003\t0\ty\0\0diff --git a/x b/x\n'
    )
    for chunk in (1, 2, 3, 7, 1 << 16):
        monkeypatch.setattr(git_diff, '_CHUNK', chunk)
        leftover: list[bytes] = []
        stream = io.BytesIO(header)
        tokens = list(git_diff._tokens(stream, leftover))
        assert tokens == [
            b':100644 100644 aa bb M',
            b'x',
            b':000000 100644 00 cc A',
            b'y',
            b'1\t2\tx',
            b'3\t0\ty',
        ]
        assert leftover[0] + stream.read() == b'diff --git a/x b/x\n'
    # An empty first token, and a header cut short.
    leftover = []
    assert list(git_diff._tokens(io.BytesIO(b'\0rest'), leftover)) == [] and leftover == [b'rest']
    assert list(git_diff._tokens(io.BytesIO(b'a\0b'), [])) == [b'a', b'b']


def test_added_lines_behave_like_the_list() -> None:
    pairs = [(3, 'a'), (4, ''), (9, 'c\u00e9'), (10, 'd')]
    added = git.AddedLines('a\n\nc\u00e9\nd', [(0, 3), (2, 9)], 4)
    assert added == pairs and pairs == added and list(added) == pairs
    assert len(added) == 4 and bool(added)
    assert added[0] == (3, 'a') and added[-1] == (10, 'd') and added[1:3] == pairs[1:3]
    assert [added.lineno(i) for i in range(4)] == [3, 4, 9, 10]
    with pytest.raises(IndexError):
        added[4]


# -- the scanner against the plain loop ----------------------------------------


def _ref_scan(path: str, lines: list[tuple[int, str]], rules: list[LineRule]) -> Any:
    """What the scanner is defined to find: each rule checked on each added
    line alone, the first MAX_HITS_PER_RULE hits of a rule in a file."""
    hits, sups, notes = [], [], []
    suppressed: dict[int, dict[str, str]] = {}
    for idx, (n, line) in enumerate(lines):
        for m in scan.SUPPRESS.finditer(line):
            if not m[2].strip():
                notes.append(f'{path}:{n}: a review-trigger suppression without a reason is ignored')
                continue
            for trigger in m[1].split(','):
                suppressed.setdefault(idx, {})[trigger.strip()] = m[2].strip()
    for rule in rules:
        if rule.paths is not None and not rule.paths.match_file(path):
            continue
        if rule.not_paths is not None and rule.not_paths.match_file(path):
            continue
        count = 0
        for idx, (n, line) in enumerate(lines):
            if rule.pattern is not None:
                name = rule.name if rule.pattern.search(line) else None
            else:
                assert rule.words is not None
                name = find_word(split_words(line), rule.words)
            if not name or (rule.unless is not None and rule.unless.search(line)):
                continue
            reason = suppressed.get(idx, {}).get(rule.trigger)
            if reason is not None:
                s = Suppression(rule.trigger, path, n, reason)
                if s not in sups:
                    sups.append(s)
                continue
            hits.append(Hit(rule.trigger, path, n, name))
            count += 1
            if count >= scan.MAX_HITS_PER_RULE:
                break
    return hits, sups, notes


def _default_rules() -> list[LineRule]:
    rules: list[LineRule] = []
    for trigger, settings_ in enabled_triggers(default_config()):
        rules.extend(trigger.line_rules(settings_))
    return rules


_SNIPPETS = [
    'password = "hunter2-secret"',
    'PASSWORD: "abcd1234"',
    'db_pwd = os.environ["X"]',
    'aws = "AKIAIOSFODNN7EXAMPLE"',
    'token = "ghp_' + 'a' * 36 + '"',
    'url = "https://admin:s3cret@db.example.com/x"',
    '-----BEGIN RSA PRIVATE KEY-----',
    'import jwt',
    'from cryptography.fernet import Fernet',
    "require('jsonwebtoken')",
    'import "crypto/tls"',
    'use ring::digest;',
    'kind: Secret',
    'dateOfBirth = None',
    'date_of_birth',
    'user.ssn',
    'SSNs = []',
    'routing_number = 1',
    'routing = 2',
    'card Number',
    'the tin box',
    'setting',
    'IBAN',
    'patientId',
    'K\u212aelvin ssn',
    '\u017fecret = "abcdef"',
    'pa\nssword = "split"',
    '# review-trigger: ignore[security] ok',
    '# review-trigger: ignore[sensitive-data]',
    '      - run: echo "${{ github.event.issue.title }}"',
    '  TITLE: ${{ github.head_ref }}',
    'on: [push, pull_request_target]',
    'x = 1',
    '',
    '\u00e9t\u00e9 = "\u00e9"',
]


def _added(text: str, first: int) -> tuple[list[tuple[int, str]], git.AddedLines]:
    """The lines of ``text`` numbered from ``first``, jumping like hunks
    do, as a list and as the AddedLines the diff reader makes."""
    lines = list(enumerate(text.split('\n'), start=first))
    lines = [(n + (i // 5) * 10, line) for i, (n, line) in enumerate(lines)]
    runs: list[tuple[int, int]] = []
    for i, (n, _) in enumerate(lines):
        if i == 0 or lines[i - 1][0] + 1 != n:
            runs.append((i, n))
    return lines, git.AddedLines(text, runs, len(lines))


# How candidates are found: file by file (a hook's change), many files at
# once with Python's re (gates), or many files at once with RE2.
_MODES = ['tiny', 'small', 'batch'] + (['re2'] if prefilter.available() else [])


@pytest.fixture
def scan_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    def use(mode: str) -> None:
        # tiny: a small change's way (``scan._small``: a rule's lines holding
        # its literals, else every line); small: the rules' own literals,
        # or their searches; batch and re2: the prefilter's passes.
        monkeypatch.setattr(scan, 'BATCH_AFTER', 10**12 if mode in ('tiny', 'small') else 0)
        monkeypatch.setattr(scan, 'EVERY_LINE_BELOW', 10**12 if mode == 'tiny' else 0)
        if mode == 'batch':
            monkeypatch.setattr(prefilter, '_re2', lambda: None)
        else:
            monkeypatch.setattr(prefilter, '_re2', _REAL_RE2)

    return use


_REAL_RE2 = prefilter._re2

# One memo for the scanners of the property tests, as a run's memo would
# be on disk: each rule's supersets and literals are parsed once, not once
# an example (the cold way has tests of its own, in test_memo).
_WARM = Globs()


def _warm(rules: list[LineRule]) -> scan.Rules:
    return scan.Rules(rules, _WARM)


_LINE = st.sampled_from(_SNIPPETS) | st.text(max_size=20)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(st.lists(_LINE, max_size=30), min_size=1, max_size=4),
    path=st.sampled_from(['app/settings.py', 'k8s.yaml', 'README.md']),
    mode=st.sampled_from(_MODES),
)
def test_scanner_matches_the_plain_loop(scan_mode: Any, files: list[list[str]], path: str, mode: str) -> None:
    scan_mode(mode)
    rules = _default_rules()
    rules.append(LineRule('custom', 'needles', words=compile_words(['tin']), needles=regex('t', re.I)))
    given_files = []
    expected = []
    for k, chunks in enumerate(files):
        text = '\n'.join(chunks).replace('\r', '')
        lines, added = _added(text, 7 + k)
        expected.append(_ref_scan(path, lines, rules))
        given_files.append((path, lines if k % 2 else added))
    got = scan_files(given_files, _warm(rules))
    assert [(g.hits, g.suppressions, g.notes) for g in got] == expected
    # One file alone is scanned the same.
    first = scan_file(path, given_files[0][1], _warm(rules))
    assert (first.hits, first.suppressions, first.notes) == expected[0]


def test_a_blank_line_does_not_hide_the_next_hit(scan_mode: Any) -> None:
    rules = _default_rules()
    lines = [(1, 'x = 1'), (2, ''), (3, 'import jwt'), (4, ''), (5, '  '), (6, 'from cryptography import x')]
    for mode in _MODES:
        scan_mode(mode)
        got = scan_files([('app/a.py', lines)] * 40, rules)[0]
        assert sorted({h.line for h in got.hits if h.trigger == 'security'}) == [3, 6], mode


def test_necessary_literals_are_necessary() -> None:
    # Every snippet a default rule matches holds one of its literals, once
    # folded as the scanner folds the text (lower-cased, the few non-ASCII
    # characters re.I matches for an ASCII letter mapped to it).
    with_literals = 0
    for rule in _default_rules():
        if rule.pattern is None:
            continue
        literals = scan._regex_literals(rule.pattern)
        if literals is None:
            continue
        with_literals += 1
        for s in _SNIPPETS:
            for line in s.split('\n'):
                if rule.pattern.search(line):
                    low = line.translate(scan._FOLD).lower()
                    assert any(lit.decode() in low for lit in literals[0]), (rule.name, line)
    assert with_literals >= 50
    # The case-insensitive credential rule has literals; a lookahead-only
    # regex, which could match anywhere, has none.
    cred = next(r for r in _default_rules() if r.name == 'credential assignment')
    found = scan._regex_literals(cred.pattern)  # type: ignore[arg-type]
    assert found is not None and found[1] and b'password' in found[0]
    assert scan._regex_literals(re.compile(r'(?=.*x)')) is None
    # Inside a lookahead, in one of two alternatives each with its own.
    ahead = scan._regex_literals(re.compile(r'(?=\w*(?:alpha|beta\d))\w+'))
    assert ahead is not None and ahead[0] == {b'alpha', b'beta'}


def test_word_rule_runs_even_with_odd_case() -> None:
    rule = word_rule('sensitive-data', 'id', compile_words(['date of birth', 'ssn']))
    lines = [(1, 'x = userDOB'), (2, 'DATE_OF_BIRTH = 1'), (3, 'HTTPSsn'), (4, 'mySSNs')]
    assert _ref_scan('a.py', lines, [rule]) == tuple(scan_file('a.py', lines, [rule]))


# -- memory: one file's capped content at a time ----------------------------------


@pytest.fixture(scope='module')
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 new files, 300 modified, a 6 MB file of short lines, a 4 MB
    file of one line and a 4 MB minified file: a diff of about 18 MB."""
    synth = _synth()
    root = tmp_path_factory.mktemp('perf')
    env = synth.isolated_env()
    one_line = b'var x = "' + b'a' * 4_000_000 + b'";\n'
    minified = b''.join(b'f(%d);' % i + (b'\n' if i % 50_000 == 0 else b'') for i in range(500_000))
    repo = root / 'repo'
    synth.build_large(
        repo,
        env,
        new_files=3000,
        modified=300,
        huge_bytes=6_000_000,
        extra={'static/app.js': one_line, 'static/lib.min.js': minified},
    )
    return repo


_T = TypeVar('_T')


def _peak(work: Callable[[], _T]) -> tuple[_T, int]:
    """What ``work()`` returns, and the peak of Python's memory meanwhile."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _diff_size(repo: Path) -> int:
    out = subprocess.run(
        ['git', 'diff', '-U0', '--raw', '--numstat', 'HEAD~1', 'HEAD'],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    return len(out)


def test_streaming_a_large_change_holds_one_capped_file(
    big_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # git's output is read ahead by a thread, up to a fixed amount: kept
    # small here, where the parser's own memory is the question.
    monkeypatch.setattr(git_diff, '_READ_AHEAD', 1 << 20)
    repo = git.open_repo(str(big_repo))
    base = git.resolve(repo, 'HEAD~1')
    head = git.resolve(repo, 'HEAD')
    cap = 200_000
    seen = skipped = kept = 0

    def stream() -> None:
        nonlocal seen, skipped, kept
        for fd in git.Diff(repo, base, head).each_file(lambda f: True, cap):
            seen += 1
            skipped += fd.skipped
            kept = max(kept, sum(len(line) for _, line in fd.added))
            del fd

    _, peak = _peak(stream)
    assert seen == 3304 and skipped == 3
    assert kept <= cap
    # The file list (a few hundred bytes a file), one file's kept content
    # (bytes, joined, decoded: a few times the cap), a line cut at
    # git_diff._LONG_LINE and read buffers. The diff itself is ~18 MB.
    bound = (
        3304 * 700
        + 4 * cap
        + 2 * git_diff._LONG_LINE
        + 1_000_000
        + git_diff._READ_AHEAD
        + git_diff._PIPE_SIZE
    )
    assert peak < bound, f'peak {peak:,} bytes, bound {bound:,}'
    assert _diff_size(big_repo) > 2 * bound


def test_analysing_a_large_change_is_bounded_by_the_file_count(
    big_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(git_diff, '_READ_AHEAD', 1 << 20)
    repo = git.open_repo(str(big_repo))
    base = git.resolve(repo, 'HEAD~1')
    head = git.resolve(repo, 'HEAD')
    config = default_config()._replace(max_scan_bytes=200_000)
    result, peak = _peak(lambda: analyze(repo, Range('since', base, head, 'HEAD~1..HEAD'), config))
    assert len(result.change.files) == 3304
    # lib.min.js is a bundle: listed, never read, not even for secrets.
    assert sum('not scanned' in n for n in result.change.notes) == 2
    # Per file: its FileChange, the new-files finding's detail, ...
    bound = (
        3304 * 2000
        + 4 * 200_000
        + 2 * git_diff._LONG_LINE
        + 2_000_000
        + git_diff._READ_AHEAD
        + git_diff._PIPE_SIZE
    )
    assert peak < bound, f'peak {peak:,} bytes, bound {bound:,}'


# -- start-up: what the hook path imports ----------------------------------------------

_HEAVY = (
    'github',
    'jsonschema',
    'yaml',
    'urllib3',
    'requests',
    'jinja2',
    'markdown_it',
    'review_trigger.github',
    'review_trigger.config_cli',
)


def test_hook_path_does_not_import_heavy_modules(committed: Any) -> None:
    committed.stage('src/auth/session.py', 'import hmac\n')
    committed.stage('lib/util.py', 'def f():\n    return 1\n')
    # The modules the run imports (not those already there: coverage's,
    # which starts when a process first imports the package, when the suite
    # measures it; the package's __init__ imports nothing).
    probe = (
        'import sys\n'
        'import review_trigger\n'
        'before = set(sys.modules)\n'
        'import json\n'
        'from review_trigger.__main__ import main\n'
        'code = main(["--staged"])\n'
        'print(json.dumps([code, sorted(set(sys.modules) - before)]))\n'
    )
    out = subprocess.run(
        [sys.executable, '-c', probe],
        cwd=committed.path,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, 'PYTHONPATH': str(ROOT)},
    ).stdout
    code, modules = json.loads(out.splitlines()[-1])
    assert code == 0
    loaded = [m for m in modules if m.split('.')[0] in _HEAVY or m in _HEAVY]
    assert loaded == []
    # Nor what only some runs need: OpenSSL's hashes (a configuration
    # file's digest), tempfile and the random it imports (a spooled report).
    assert [m for m in ('hashlib', 'tempfile', 'random', 'secrets') if m in modules] == []


def test_added_lines_keep_the_patch_and_make_the_text_when_asked() -> None:
    from review_trigger.git import diff as git_diff

    change = _change('f')
    patch = '+h\u00e9 \u4e2d\n+x\n'.encode()
    valid = git_diff._file_diff(change, [(1, 2, patch)], False).added
    assert valid.patch == patch and valid.exact and valid.size == len(patch)
    assert valid.text == 'h\u00e9 \u4e2d\nx' and list(valid) == [(1, 'h\u00e9 \u4e2d'), (2, 'x')]
    ascii_only = git_diff._file_diff(change, [(3, 1, b'+plain\n')], False).added
    assert ascii_only.exact and list(ascii_only) == [(3, 'plain')]
    # Not UTF-8 (or an encoded surrogate): the text has U+FFFD, which is
    # not those bytes, so the scanner searches the text, not the patch.
    for raw in (b'+caf\xe9\n', b'+\xed\xa0\x80\n'):
        odd = git_diff._file_diff(change, [(1, 1, raw)], False).added
        assert '\ufffd' in odd.text and not odd.exact
        assert scan._patch_of(odd) is None and scan._patch_of(valid) == patch


@pytest.mark.cold_memo
def test_glob_translations_are_remembered(committed: Any) -> None:
    """pathspec is imported to translate globs the first time only: the
    translations are kept in the git directory (for that pathspec)."""
    committed.stage('src/auth/session.py', 'import hmac\n')
    probe = (
        'import json, sys\n'
        'from review_trigger.__main__ import main\n'
        'code = main(["--staged", "--format", "json"])\n'
        'sys.stdout.flush()\n'
        'print("\\n" + json.dumps([code, "pathspec" in sys.modules]))\n'
    )
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}

    def run() -> tuple[int, bool, Any]:
        out = subprocess.run(
            [sys.executable, '-c', probe],
            cwd=committed.path,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        report_text, _, last = out.rpartition('\n\n')
        code, imported = json.loads(last)
        return code, imported, json.loads(report_text)

    store = committed.path / '.git' / 'review-trigger' / 'globs.json'
    code, imported, first = run()
    assert code == 0 and imported and store.exists()
    saved = json.loads(store.read_text())
    code, imported, again = run()
    assert code == 0 and not imported and again == first
    # The store is what is used: every glob made to match every path (all
    # files generated) changes the report...
    poisoned = {glob: ['.*', True] for glob in saved['globs']}
    store.write_text(json.dumps({'pathspec': saved['pathspec'], 'globs': poisoned}))
    code, imported, used = run()
    assert not imported and used != first
    # ...but a store for another pathspec, or a damaged one, is ignored
    # (and written anew).
    store.write_text(json.dumps({'pathspec': 'another', 'globs': poisoned}))
    code, imported, stale = run()
    assert imported and stale == first
    store.write_text('not json')
    code, imported, damaged = run()
    assert imported and damaged == first
    assert json.loads(store.read_text())['globs']


# -- many files at once: the same as one at a time ----------------------------------

_ODD_RULES = [
    # Regexes that see the start or end of a text, or what lies past a
    # match, differently when texts are joined: every file is scanned.
    (r'\Afoo', False),
    (r'bar\Z', False),
    (r'(?<=\s)tin', False),
    (r'(?>[^b]*)$', False),
    (r'(?-m:^)x', False),
    (r'a++b', False),
    (r'(?!x)ssn', False),
    # Context-free ones, searched once over the joined texts.
    (r'^\s*$', True),
    (r'x*', True),
    (r'a\s+b', True),
    (r'\bpa[\s\S]{0,12}word\b', True),
    (r'(a)?(?(1)b|c)', True),
    (r'(\w)\1', True),
]


def _batch_rules() -> list[LineRule]:
    rules = _default_rules()
    rules.append(LineRule('custom', 'needles', words=compile_words(['tin']), needles=regex('t', re.I)))
    rules.extend(LineRule('custom', source, regex(source, re.M)) for source, _ in _ODD_RULES)
    rules.append(LineRule('custom', 'ci', regex(r'(secret|token)s?\s*=', re.I | re.M)))
    return rules


def test_context_free_regexes_are_told_apart() -> None:
    parser = importlib.import_module('re._parser')
    for source, free in _ODD_RULES:
        pattern = re.compile(source, re.M)
        got = scan._context_free(parser, list(parser.parse(source, pattern.flags).data), True)
        assert got == free, source
    # Without re.M, ^ and $ mean the start and end of the text.
    assert not scan._context_free(parser, list(parser.parse('^a').data), False)
    assert not scan._is_context_free(re.compile(r'\Afoo', re.M))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(['app/settings.py', 'k8s.yaml', 'README.md', 'a/b.js']),
            st.lists(st.sampled_from(_SNIPPETS) | st.text(max_size=20), max_size=8),
        ),
        max_size=12,
    ),
    st.sampled_from(_MODES),
)
def test_scanning_many_files_is_scanning_each(
    scan_mode: Any, files: list[tuple[str, list[str]]], mode: str
) -> None:
    scan_mode(mode)
    rules = _batch_rules()
    given_files: list[tuple[str, Any]] = []
    for k, (path, chunks) in enumerate(files):
        if not chunks:
            given_files.append((path, []))
            continue
        text = '\n'.join(chunks).replace('\r', '')
        lines = list(enumerate(text.split('\n'), start=3))
        runs = [(0, 3)]
        given_files.append((path, git.AddedLines(text, runs, len(lines)) if k % 2 else lines))
    got = [tuple(r) for r in scan.scan_files(given_files, _warm(rules))]
    for (path, lines), result in zip(given_files, got, strict=True):
        assert result == (_ref_scan(path, list(lines), rules) if lines else ([], [], []))


def test_path_words_skip_paths_without_a_start() -> None:
    from review_trigger.change import Change
    from review_trigger.triggers._base import path_word_details

    words = ['auth', 'date of birth', 'ssn', 'token']
    paths = [
        'src/auth/x.py',
        'AUTHORS',
        'userDOB.py',
        'DateOfBirth.ts',
        'lib/SSNs.py',
        'tokenizer.py',
        'a/tokens/b',
        'K\u212aauth.py',
        'x/y.py',
        'AuthToken.java',
    ]
    change = Change(
        Range('since', 'a', 'b', 'x'),
        tuple(_change(p) for p in paths),
        (),
        (),
        lambda files: {},
        (),
        lambda sha: b'',
        frozenset,
    )
    wordset = compile_words(words)
    expected = [p for p in paths if find_word(split_words(p), wordset)]
    assert [d.path for d in path_word_details(change, words, 'x')] == expected


# -- many paths at once ---------------------------------------------------------

_PATH_PARTS = [
    'src',
    'auth',
    'docs',
    'CLAUDE.md',
    'x.pem',
    'AUTHORS',
    'Dockerfile',
    'migrations',
    'adr',
    '0001-use-x.md',
    'caf\u00e9',
    'a\nb',
    'userDOB.py',
    '.github',
    'workflows',
    'ci.yml',
    'k8s',
    'deploy.yaml',
    'README.md',
    'tokens',
    'a b',
    'a.b',
    'ab',
    '[x]',
    'requirements',
    'dev.txt',
    'LICENSE-MIT',
    'api.generated.ts',
    'xAyBz',
    '.env.local',
]
_PATH = st.lists(st.sampled_from(_PATH_PARTS), min_size=1, max_size=4).map('/'.join)


def _path_lists() -> list[list[str]]:
    """Every glob list of the default configuration."""
    config = default_config()
    lists = [list(config.generated)]
    for settings_ in config.triggers.values():
        lists.extend(
            v for v in settings_.values() if isinstance(v, list) and v and all(isinstance(x, str) for x in v)
        )
    # Glob shapes the defaults lack: '?', '**' inside, an escape, a space,
    # non-ASCII, a bracket expression (read by Python's re alone) and a
    # root anchor.
    lists.append(['a?b', 'src/**/auth/', 'a\\ b', 'caf\u00e9/**', '/docs', '**/tokens/*.md'])
    lists.append(['[ab]*.md', '\\[x]', 'src'])
    # Only plain shapes (names, affixes, paths from the root): matched by
    # the paths' components.
    lists.append(['*.md', 'a\\ b', 'caf\u00e9/**', '/docs', 'src/', 'requirements/*.txt', '*.generated.*'])
    lists.append(['LICENSE*', 'x*y*z', '.env.*', 'k8s/deploy.yaml', '**/tokens/**', 'workflows'])
    # Only paths from the root: matched without an index, by their starts.
    lists.append(['/docs', 'src/auth/', 'k8s/deploy.yaml', '/caf\u00e9/**', 'a/b'])
    return lists


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PATH, min_size=1, max_size=60), st.sampled_from(_MODES))
def test_selecting_many_paths_is_matching_each(
    monkeypatch: pytest.MonkeyPatch, scan_mode: Any, paths: list[str], mode: str
) -> None:
    from review_trigger import paths as paths_module
    from review_trigger.change import Change
    from review_trigger.triggers._base import path_word_details

    scan_mode(mode)
    monkeypatch.setattr(paths_module, 'BULK_AFTER', 0 if mode != 'small' else 10**9)
    monkeypatch.setattr(paths_module, 'RE2_AFTER', 0 if mode == 're2' else 10**9)
    unique = tuple(dict.fromkeys(paths))
    for patterns in _path_lists():
        matcher = paths_module.PathMatcher(tuple(patterns))
        assert matcher.select(unique) == {p for p in unique if matcher.match_file(p)}, patterns
    change = Change(
        Range('since', 'a', 'b', 'x'),
        tuple(_change(p) for p in unique),
        (),
        (),
        lambda files: {},
        (),
        lambda sha: b'',
        frozenset,
    )
    words = ['auth', 'date of birth', 'ssn', 'token', 'dob']
    wordset = compile_words(words)
    from review_trigger.defaults import MANIFESTS, NOT_CODE

    not_code = paths_module.PathMatcher((*NOT_CODE, *MANIFESTS))
    expected = [p for p in unique if find_word(split_words(p), wordset) and not not_code.match_file(p)]
    assert [d.path for d in path_word_details(change, words, 'x')] == expected


@pytest.mark.parametrize(
    ('patterns', 'expected'),
    [
        # '*' is [^/]*: joined, it must not run on into the next path.
        (['*.md'], {'x.md', 'docs/README.md'}),
        (['a?b'], {'a b', 'a.b'}),
        (['docs/'], {'docs/README.md'}),
        (['/ab'], {'ab'}),
        (['**/README.md'], {'docs/README.md'}),
        (['[ax]*'], {'ab', 'a b', 'a.b', 'x.md', 'src/ab.py'}),
    ],
)
@pytest.mark.parametrize('components', [True, False])
def test_many_paths_selected_at_once_are_exactly_those_that_match(
    monkeypatch: pytest.MonkeyPatch, patterns: list[str], expected: set[str], components: bool
) -> None:
    """By the paths' components, or (a list of another shape) by the joined
    search, with RE2's superset and Python's check: the same paths as each
    alone."""
    pytest.importorskip('re2')
    from review_trigger import paths as paths_module

    monkeypatch.setattr(paths_module, 'BULK_AFTER', 0)
    monkeypatch.setattr(paths_module, 'RE2_AFTER', 0)
    if not components:
        monkeypatch.setattr(paths_module.PathMatcher, '_shapes', lambda self: None)
    every = ('ab', 'x.md', 'a b', 'docs/README.md', 'a.b', 'src/ab.py')
    matcher = paths_module.PathMatcher(tuple(patterns))
    assert {p for p in every if matcher.match_file(p)} == expected
    assert matcher.select(every) == expected


def test_plain_globs_are_matched_by_the_paths_components(monkeypatch: pytest.MonkeyPatch) -> None:
    """A list of plain shapes is read off pathspec's regexes into names,
    affixes and paths from the root; what it selects is what each path
    matched alone gives, and a list of another shape is left to the
    regexes."""
    from review_trigger import paths as paths_module

    monkeypatch.setattr(paths_module, 'BULK_AFTER', 0)
    every = (
        'README.md',
        'docs/guide.md',
        'requirements/dev.txt',
        'requirements/sub/x.txt',
        'src/api.generated.ts',
        'LICENSE-MIT',
        'vendor/lib/a.py',
        'a/vendor',
        'xAyBz/file',
        'x.md/inner.py',
    )
    lists = [
        ['*.md'],
        ['requirements/*.txt'],
        ['*.generated.*', 'LICENSE*'],
        ['vendor/'],
        ['vendor'],
        ['/docs'],
        ['x*y*z', 'docs/**'],
    ]
    for patterns in lists:
        matcher = paths_module.PathMatcher(tuple(patterns))
        assert matcher._shapes() is not None, patterns
        assert matcher.select(every) == {p for p in every if matcher.match_file(p)}, patterns
    # '*.md' names a directory too ('x.md/inner.py'), as pathspec has it.
    assert 'x.md/inner.py' in paths_module.PathMatcher(('*.md',)).select(every)
    for other in (['a?b'], ['src/**/x'], ['[ab]*'], ['docs/*/x.md']):
        assert paths_module.PathMatcher(tuple(other))._shapes() is None, other


# -- a rule RE2 cannot take: only it leaves the fast path -------------------------------

# Lookahead only: it matches the empty string, so RE2 has no superset for
# it (one would match every line); its lines are every line.
_LOOKAHEAD = r'^(?=.*\bFIXME\b)(?!.*\bdone\b)'
# A repeat too large for RE2 to compile, with a literal every match holds:
# its lines are those holding "todo:", in any case.
_HUGE_REPEAT = r'(?i)todo:(?:(?:[a-z0-9 ]{1,2}){0,900}){0,900}!'


@pytest.fixture(scope='module')
def custom_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 new files (a large change), a few with lines the custom
    rules hit, and one with a lone surrogate's bytes and non-ASCII."""
    synth = _synth()
    repo = tmp_path_factory.mktemp('custom') / 'repo'
    extra = {
        'src/fixme.py': b'x = 1  # FIXME later\ny = 2  # FIXME done\n# TODO: check this!\n',
        'src/todo.py': b'# Todo: ship it now!\npassword = "hunter2-secret"\n',
        'docs/odd.md': 'caf\u00e9 FIXME \u017ftodo: x!\n'.encode() + b'bad \xff FIXME\n',
    }
    synth.build_large(repo, synth.isolated_env(), new_files=1200, modified=0, huge_bytes=0, extra=extra)
    return repo


def test_a_rule_re2_cannot_take_leaves_the_others_on_the_fast_path(
    custom_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not prefilter.available():
        pytest.skip('RE2 is not installed')
    repo = git.open_repo(str(custom_repo))
    rng = Range('since', git.resolve(repo, 'HEAD~1'), git.resolve(repo, 'HEAD'), 'HEAD~1..HEAD')
    custom = (
        {'id': 'fixme', 'patterns': [_LOOKAHEAD]},
        {'id': 'todo', 'patterns': [_HUGE_REPEAT]},
    )
    config = default_config()._replace(custom_triggers=custom)
    # The prefilter the large change is read with: every default rule on
    # RE2, the two custom ones not.
    owned = [r for t, s in enabled_triggers(config) for r in t.line_rules(s)]
    pre = scan.Rules(owned).prefilter()
    assert pre is not None
    uncovered = [r.trigger for r, c in zip(owned, pre.covered, strict=True) if not c]
    assert uncovered == ['fixme', 'todo']

    fast = analyze(repo, rng, config)
    # The reference: every rule in Python's re, file by file.
    monkeypatch.setattr(prefilter, '_re2', lambda: None)
    plain = analyze(repo, rng, config)
    assert fast.change.hits == plain.change.hits
    assert fast.change.suppressions == plain.change.suppressions
    assert fast.change.notes == plain.change.notes
    assert [f.trigger for f in fast.findings] == [f.trigger for f in plain.findings]
    got = {(h.trigger, h.path, h.line) for h in fast.change.hits if h.trigger in ('fixme', 'todo')}
    assert got == {
        ('fixme', 'src/fixme.py', 1),
        ('fixme', 'docs/odd.md', 1),
        ('fixme', 'docs/odd.md', 2),
        ('todo', 'src/fixme.py', 3),
        ('todo', 'src/todo.py', 1),
        ('todo', 'docs/odd.md', 1),
    }
    # The default rules still fire on the same change.
    assert any(h.trigger == 'security' and h.path == 'src/todo.py' for h in fast.change.hits)


# Pieces of long lines: entries of the default word lists, their near
# misses, camelCase, capitals, random-looking runs, separators.
_PIECES = st.sampled_from(
    [
        'token',
        'Tokens',
        'accessToken',
        'ACCESS_TOKEN',
        'date',
        'of',
        'birth',
        'dateOfBirth',
        'date_of_births',
        'email',
        'e-mail',
        'socialSecurityNumber',
        'social security',
        'ssn',
        'tokenizer',
        'authors',
        'N9SsnZCvVb8Qx2Lm',
        'a1b2c3d4e5f6a7b8c9',
        'M12.5',
        'path',
        'x',
        ' ',
        '-',
        '_',
        '"',
        '\u00e9',
    ]
)


@functools.cache
def _word_rules() -> scan.Rules:
    """The default word-list rules, for every example (compiled once)."""
    return scan.Rules(
        [r for t, s in enabled_triggers(default_config()) for r in t.line_rules(s) if r.words is not None]
    )


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=60), pad=st.integers(0, 3000), lower=st.booleans())
def test_a_long_line_finds_the_word_the_whole_line_gives(pieces: list[str], pad: int, lower: bool) -> None:
    """A line over _LONG_LINE is looked at from its candidate runs only:
    the entry found is the one ``find_word`` finds in all its words."""
    line = ' 0' * (pad // 2) + ' '.join(pieces) + ' 9' * (pad // 2)
    if lower:
        line = line.lower()
    run = _word_rules()
    words = run.rules
    assert words
    for rule in words:
        assert rule.words is not None
        memo = run.runs(rule.words)
        want = find_word(split_words(line), rule.words)
        assert scan._long_line_word(line, memo) == want, (rule.name, line[-300:])


@pytest.mark.parametrize('count', [3, 600], ids=['piped', 'spooled'])
def test_blobs_are_read_in_order_however_many(repo: Any, count: int) -> None:
    """A few names reach git through the pipe, many through a file (the
    pipe would fill while git answers); a missing object is left out."""
    from conftest import git as run_git

    from review_trigger import git as git_mod

    contents = [f'blob {i}\n'.encode() * (i % 7 + 1) for i in range(count)]
    shas = [run_git(repo.path, 'hash-object', '-w', '--stdin', input=c).strip() for c in contents]
    missing = '0' * 40
    opened = git_mod.open_repo(str(repo.path), dict(os.environ))
    got = list(git_mod.each_blob(opened, [*shas[:1], missing, *shas[1:]]))
    assert got == list(zip(shas, contents, strict=True))


class _Counting:
    """A stream that counts what is written to it, and passes it on."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.writes = 0

    def write(self, data: bytes) -> int:
        self.writes += 1
        return int(self.stream.write(data))

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.stream.close()


def test_many_blobs_are_read_ahead_by_one_process_a_pipe_at_a_time(repo: Any, tmp_path: Path) -> None:
    """More ids than a pipe holds go to the run's one git process in lots,
    each lot's answers read before the next is written: no deadlock, and
    every blob comes back whole."""
    from conftest import git as run_git

    from review_trigger import git as git_mod
    from review_trigger.git import objects

    contents = [f'blob {i}\n'.encode() * (i % 7 + 100) for i in range(2000)]
    names = []
    for i, content in enumerate(contents):
        (tmp_path / f'b{i}').write_bytes(content)
        names.append(str(tmp_path / f'b{i}'))
    shas = run_git(
        repo.path, 'hash-object', '-w', '--stdin-paths', input=('\n'.join(names) + '\n').encode()
    ).split()
    assert len(shas) == len(contents) > objects._PIPE_HOLDS // 41
    reader = objects.BlobReader(git_mod.open_repo(str(repo.path), dict(os.environ)), prefetch_blob=4096)
    try:
        reading = threading.Thread(target=reader.prefetch, args=(shas,), daemon=True)
        reading.start()
        reading.join(60)
        assert not reading.is_alive(), 'stuck: the ids and the answers both wait on a full pipe'
        assert reader._ahead == dict(zip(shas, contents, strict=True))
    finally:
        reader.close()  # (stuck, git is stopped and the thread ends)


def test_blobs_read_ahead_answer_later_calls_with_the_same_bytes(
    repo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blobs the triggers will read are read in one batch; each call then
    gets the bytes git has, without a round trip to git. A blob over the
    read-ahead size, one past the budget, a tree and a missing object are
    left to their calls, which answer (or fail) as they always did."""
    from conftest import git as run_git

    from review_trigger import git as git_mod
    from review_trigger.errors import UserError
    from review_trigger.git import objects

    small = [f'small {i}\n'.encode() for i in range(5)]
    large = b'large\n' * 100
    shas = [run_git(repo.path, 'hash-object', '-w', '--stdin', input=c).strip() for c in [*small, large]]
    repo.stage('a.txt', 'a\n')
    repo.commit()
    tree = run_git(repo.path, 'rev-parse', 'HEAD^{tree}').strip()
    missing = '0' * 40
    opened = git_mod.open_repo(str(repo.path), dict(os.environ))
    monkeypatch.setattr(objects, 'PREFETCH_BYTES', sum(len(c) for c in small[:4]))
    reader = objects.BlobReader(opened, prefetch_blob=100)
    try:
        reader.prefetch([*shas, tree, missing, None, shas[0]])
        assert set(reader._ahead) == set(shas[:4])  # the fifth is past the budget
        proc = reader._proc
        assert proc is not None and proc.stdin is not None  # the run's one git process
        asked = _Counting(proc.stdin)
        proc.stdin = asked  # type: ignore[assignment]
        for sha, content in zip(shas[:4], small, strict=False):
            assert reader(sha) == content
        assert asked.writes == 0  # no call went to git
        assert reader(shas[4]) == small[4]
        assert reader(shas[5]) == large
        assert asked.writes == 2 and reader._proc is proc
        with pytest.raises(UserError):
            reader(missing)
    finally:
        reader.close()
    assert reader._ahead == {}


_REFERENCE_EVENTS = re.compile(rb'\n(?:(diff --git )|@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@|Binary files )')
_PATCH_LINES = st.sampled_from(
    [
        b'diff --git a/x b/x',
        b'diff --git',  # no space after: not a file's start
        b'@@ -1,2 +3,4 @@',
        b'@@ -7 +8 @@ def f():',
        b'@@ -1,2 +x @@',  # not a hunk header
        b'@@ -',
        b'Binary files a/x and b/x differ',
        b'Binary filesX',
        b'+@@ -1 +1 @@',
        b'+diff --git a/y b/y',
        b'-Binary files',
        b'+added',
        b'-removed',
        b'\\ No newline at end of file',
        b'index 0000000..1111111',
        b'',
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PATCH_LINES, max_size=40))
def test_patch_events_are_the_lines_git_starts(lines: list[bytes]) -> None:
    """The events found by searching for each kind's line start are the
    ones one regex tried at every line finds, in order, with the same
    numbers: near misses (a hunk header that is not one, the same words
    on an added line) are no events."""
    data = b'\n' + b''.join(line + b'\n' for line in lines)
    expected = []
    for m in _REFERENCE_EVENTS.finditer(data):
        kind = git_diff._FILE if m[1] else git_diff._BINARY_MARKER if m[3] is None else git_diff._HUNK_HEADER
        expected.append((kind, m.start() + 1, (m[2], m[3], m[4]) if kind == git_diff._HUNK_HEADER else None))
    got = [(kind, at, m.groups() if m is not None else None) for kind, at, m in git_diff._events(data)]
    assert got == expected
