"""The diff reader: one streamed ``git diff`` per run.

The diff is streamed: a thread reads it ahead (bounded), and one parser
(``_read``) reads its patch part a block at a time, for every size of
change. It gives each file with its line counts, in order, and the
file's added lines (``Diff.each_file``: one file's lines in memory at a
time). The user's diff configuration
must not change the result, so every diff runs with ``--no-ext-diff
--no-textconv`` and explicit formatting options.
"""

from __future__ import annotations

import bisect
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, NamedTuple, Protocol, TypeVar, overload

from review_trigger.change import STATUS, FileChange
from review_trigger.git.revisions import _empty_tree
from review_trigger.git.run import _CONFIG, Repo, _error, _Failed, _start, _wait

_DIFF_OPTS = (
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '--no-relative',
    '--submodule=short',
    '--ignore-submodules=none',
    '--no-abbrev',
    f'-O{os.devnull}',
    '-M',
    '-C',
    '-U0',
    '--raw',
    '-z',
)
_CHUNK = 1 << 16  # bytes of the header part read from git at a time
# Within a hunk: a run of added lines, a context line, or any other line.
_HUNK_LINES = re.compile(rb'((?:\+[^\n]*\n)+)|( [^\n]*\n)|[^\n]*\n')
# Lines longer than this (or than the scan cap) are cut when read.
_LONG_LINE = 1 << 20


class Readable(Protocol):
    """What the diff readers read from: a pipe, a read-ahead, a test's bytes."""

    def read(self, n: int = -1, /) -> bytes: ...


class FileDiff(NamedTuple):
    """One file of a streamed diff with its added lines (up to a cap)."""

    change: FileChange
    added: AddedLines
    skipped: bool  # too large: listed, not scanned


class AddedLines(Sequence[tuple[int, str]]):
    """A file's added lines, ``(line number, text)`` in order, held as one
    text: ``text`` is the lines joined with newlines, so a scanner can
    search it whole. Equal to the list of pairs it stands for.

    The diff reader gives the lines as the patch has them (``patch``: each
    with its '+' and its newline) and the text is made from them when first
    asked for: most files of a large change are searched only by RE2, in
    the patch form, and never need it.
    """

    __slots__ = ('_text', 'patch', '_firsts', '_numbers', '_count', '_lines', '_exact')

    def __init__(
        self, text: str | None, runs: Sequence[tuple[int, int]], count: int, patch: bytes | None = None
    ) -> None:
        # runs: (index of a run's first line, that line's number), in order.
        # One of ``text`` and ``patch`` is given.
        self._text = text
        self.patch = patch
        self._firsts = [i for i, _ in runs]
        self._numbers = [n for _, n in runs]
        self._count = count
        self._lines: list[str] | None = None
        self._exact: bool | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            assert self.patch is not None
            # Every line starts with '+' and ends with a newline: drop both.
            self._text = self.patch[1:-1].replace(b'\n+', b'\n').decode('utf-8', 'replace')
        return self._text

    @property
    def size(self) -> int:
        """About the text's length: the patch's bytes, if it was given
        (without making the text)."""
        return len(self.patch) if self.patch is not None else len(self.text)

    @property
    def exact(self) -> bool:
        """Whether ``patch`` is valid UTF-8: the text is then exactly its
        lines decoded (not with U+FFFD for bytes that are not UTF-8)."""
        if self._exact is None:
            patch = self.patch
            if patch is None:
                self._exact = False
            elif patch.isascii():
                self._exact = True
            else:
                try:
                    patch.decode('utf-8')
                    self._exact = True
                except UnicodeDecodeError:
                    self._exact = False
        return self._exact

    def lineno(self, index: int) -> int:
        """The line number of the ``index``-th added line."""
        k = bisect.bisect_right(self._firsts, index) - 1
        return self._numbers[k] + index - self._firsts[k]

    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split('\n')
        return self._lines

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> tuple[int, str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, str]]: ...

    def __getitem__(self, i: int | slice) -> tuple[int, str] | list[tuple[int, str]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._count))]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError('added line index out of range')
        return self.lineno(i), self.lines()[i]

    def __iter__(self) -> Iterator[tuple[int, str]]:
        if not self._count:
            return
        lines = self.lines()
        bounds = [*self._firsts[1:], self._count]
        for first, number, end in zip(self._firsts, self._numbers, bounds, strict=True):
            yield from zip(range(number, number + end - first), lines[first:end], strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (AddedLines, list)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f'AddedLines({list(self)!r})'


NO_LINES = AddedLines('', [], 0)


def _tokens(stream: Readable, leftover: list[bytes]) -> Iterator[bytes]:
    """NUL-separated tokens until the empty one that ends the header part.

    What was read past it is left in ``leftover`` for the patch part.
    Tokens are yielded as they arrive: git computes the header part file
    by file, and the caller works while it does.
    """
    read = _reader(stream)
    buf = b''
    while True:
        chunk = read(_CHUNK)
        if not chunk:
            if buf:
                yield buf
            return
        # buf holds no NUL: empty when the last read ended with one.
        if not buf and chunk[:1] == b'\0':
            leftover.append(chunk[1:])
            return
        data = buf + chunk if buf else chunk
        end = data.find(b'\0\0')
        if end >= 0:
            leftover.append(data[end + 2 :])
            yield from data[:end].split(b'\0')
            return
        cut = data.rfind(b'\0')
        if cut < 0:
            buf = data
            continue
        yield from data[:cut].split(b'\0')
        buf = data[cut + 1 :]


def _reader(stream: Readable) -> Callable[[int], bytes]:
    """The stream's read1 if it has one: what is there, without waiting
    for a whole chunk."""
    read: Callable[[int], bytes] = getattr(stream, 'read1', stream.read)
    return read


def _header(tokens: Iterator[bytes]) -> list[FileChange]:
    """The raw part: one FileChange per file, its line counts still 0
    (``_read`` counts them from the hunk headers)."""
    files: list[FileChange] = []
    append = files.append
    take = iter(tokens).__next__
    status_of = _STATUS_BYTES
    for tok in tokens:
        if tok[:1] != b':':
            continue
        old_mode, new_mode, old_sha, new_sha, letter = tok[1:].split(b' ', 4)
        first = take().decode('utf-8', 'surrogateescape')
        if letter[:1] in (b'R', b'C'):
            path, old_path = take().decode('utf-8', 'surrogateescape'), first
        else:
            path, old_path = first, None
        append(
            FileChange(
                path,
                old_path,
                status_of.get(letter[:1], 'modified'),
                0,
                0,
                False,
                old_sha.decode() if old_sha.strip(b'0') else None,
                new_sha.decode() if new_sha.strip(b'0') else None,
                old_mode == b'160000' or new_mode == b'160000',
            )
        )
    return files


_STATUS_BYTES = {k.encode(): v for k, v in STATUS.items()}


def _start_diff(
    repo: Repo,
    base: str | None,
    head_: str | None,
) -> tuple[subprocess.Popen[bytes], IO[bytes], str]:
    """Start the diff from ``base`` to ``head_`` (None: the index); its
    process, output, and the empty folder it runs in (remove it after).

    Never with the change's own attributes: a ``.gitattributes`` the change
    adds (``*.py -diff``, ``* binary``) would make its files "binary" and
    unread. git 2.39 has no ``--attr-source``, so git runs with an empty work
    tree and no index, where it finds no in-tree attributes at all (the
    user's ``core.attributesFile`` and ``$GIT_DIR/info/attributes`` still
    apply: the change controls neither). The staged change is diffed as the
    tree written from the index (``Range.tree``).
    """
    new = head_
    empty = _empty_dir(repo)
    if new is None:
        # The index itself: it has unmerged entries, so no tree could be
        # written. It is then the only source, and git reads attributes from it.
        args = ['diff', '--cached', *_DIFF_OPTS, *([base] if base is not None else [])]
        proc = _start(repo, [*_CONFIG, *args, '--'])
    else:
        args = ['diff-tree', '-r', *_DIFF_OPTS, base or _empty_tree(repo), new]
        proc = _start(
            repo,
            ['--git-dir', repo.git_dir, '--work-tree', empty, *_CONFIG, *args, '--'],
            env={'GIT_INDEX_FILE': os.path.join(empty, 'index')},
            cwd=empty,
        )
    stream = proc.stdout
    assert stream is not None
    _widen(stream)
    return proc, stream, empty


def _empty_dir(repo: Repo) -> str:
    """An empty folder for git to run in: kept in the git directory (where
    no change can put a file) and reused; a temporary one if that cannot be
    made (a read-only repository), which ``Diff.close`` removes."""
    path = os.path.join(repo.git_dir, 'review-trigger', 'empty')
    try:
        os.makedirs(path, exist_ok=True)
        if not os.listdir(path):
            return path
    except OSError:
        pass
    import tempfile  # only here: its imports are a twentieth of a hook's run

    return tempfile.mkdtemp(prefix='review-trigger-')


def _widen(stream: IO[bytes]) -> None:
    """Let git write up to a megabyte ahead of the reader (Linux), so it
    keeps working while a block is analysed."""
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), getattr(fcntl, 'F_SETPIPE_SZ', 1031), _PIPE_SIZE)
    except (ImportError, OSError, ValueError, AttributeError):
        pass


class _ReadAhead:
    """A stream read by a thread of its own, up to ``limit`` bytes ahead of
    its reader: git never waits for the analysis (until it is that far
    ahead), and the analysis's start-up overlaps git's work."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        import collections
        import threading

        self._stream = stream
        self._limit = limit
        self._chunks: collections.deque[bytes | memoryview] = collections.deque()
        self._size = 0
        self._eof = False
        self._closed = False
        self._error: OSError | None = None
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._fill, daemon=True, name='review-trigger git reader')
        self._thread.start()

    def _fill(self) -> None:
        fd = self._stream.fileno()
        ready = self._ready
        while True:
            try:
                chunk = os.read(fd, _PIPE_SIZE)
            except OSError as e:
                chunk, self._error = b'', e
            with ready:
                while self._size >= self._limit and not self._closed:
                    ready.wait()
                if self._closed:
                    return
                if chunk:
                    self._chunks.append(chunk)
                    self._size += len(chunk)
                else:
                    self._eof = True
                ready.notify_all()
            if not chunk:
                return

    def read1(self, n: int = -1) -> bytes:
        """What has arrived, up to ``n`` bytes (b'' at the end)."""
        ready = self._ready
        with ready:
            while not self._chunks and not self._eof:
                ready.wait()
            if not self._chunks:
                if self._error is not None:
                    raise self._error
                return b''
            chunk = self._chunks.popleft()
            if 0 <= n < len(chunk):
                # The rest stays where it is (a view of it): only what is
                # returned is copied.
                view = chunk if isinstance(chunk, memoryview) else memoryview(chunk)
                self._chunks.appendleft(view[n:])
                chunk = view[:n]
            self._size -= len(chunk)
            ready.notify_all()
            return chunk.tobytes() if isinstance(chunk, memoryview) else chunk

    def read(self, n: int = -1) -> bytes:
        """``n`` bytes (fewer at the end), or all that is left for -1."""
        parts = []
        want = n
        while want != 0:
            chunk = self.read1(want)
            if not chunk:
                break
            parts.append(chunk)
            if want > 0:
                want -= len(chunk)
        return b''.join(parts)

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        self._thread.join()
        self._stream.close()


# -- the patch part, a block at a time ---------------------------------------------
#
# The patch part is read in blocks of whole lines, and searches of each
# block (``_events``) find where each file's patch starts, its hunk headers
# (the line counts, here and nowhere else) and binary markers; nothing is
# done per line in Python. A file's added lines are taken from its hunks a run at a
# time (``_hunk_lines``). Every line of a patch
# starts with '+', '-' or '\\' inside a hunk (there is no context with
# -U0), so a line starting with "diff --git ", "@@ -" or "Binary files " is
# always git's own.

_DIFF = b'\ndiff --git '
_AT = b'\n@@ -'
_BINARY = b'\nBinary files '
_HUNK = re.compile(rb'@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@')
_FILE, _HUNK_HEADER, _BINARY_MARKER = range(3)


def _events(data: bytes) -> Iterator[tuple[int, int, re.Match[bytes] | None]]:
    """The block's events in order: (kind, where its line starts, the hunk
    header's match). Each kind is found with ``bytes.find`` (at C speed,
    by the line start it begins with), not by a regex tried at every line
    (fastapi's patch: 460,000 lines for 25,000 events, 8% of the run's
    instructions). A line starting "@@ -" that is no hunk header is none."""
    find = data.find
    n = len(data)

    def after(needle: bytes, start: int) -> int:
        at = find(needle, start)
        return n if at < 0 else at

    d, h, b = after(_DIFF, 0), after(_AT, 0), after(_BINARY, 0)
    while True:
        if d < h and d < b:
            yield _FILE, d + 1, None
            d = after(_DIFF, d + 1)
        elif h < b:
            m = _HUNK.match(data, h + 1)
            if m is not None:
                yield _HUNK_HEADER, h + 1, m
            h = after(_AT, h + 1)
        elif b < n:
            yield _BINARY_MARKER, b + 1, None
            b = after(_BINARY, b + 1)
        else:
            return


# A block: large enough that the per-block work (its searches) is small
# against the bytes, small enough to stay in the CPU cache.
_BLOCK = 1 << 18
# git's pipe, widened so that it writes ahead while a block is analysed.
_PIPE_SIZE = 1 << 20
# How far the reading thread may get ahead of the analysis: bounds memory
# whatever the diff's size, and is far more than a block. git writes faster
# than the analysis reads, so the buffer fills: with 16 MB the synthetic
# change with five times the content peaked 10 to 14 MB higher than with
# the content once, with 8 MB no higher; fastapi's range took as long.
_READ_AHEAD = 8 << 20


class _File:
    """The file whose patch is being read."""

    __slots__ = (
        'index',
        'header',
        'added',
        'deleted',
        'binary',
        'scan',
        'size',
        'skipped',
        'in_hunk',
        'next_line',
        'seg',
        'runs',
    )

    def __init__(self, index: int, header: bytes, scan: bool) -> None:
        self.index = index
        self.header = header  # its "diff --git" line
        self.added = self.deleted = 0
        self.binary = False
        self.scan = scan
        self.size = 0  # added bytes, as _hunk_lines counts them
        self.skipped = False
        self.in_hunk = False
        self.next_line = 0  # the number of the next added line
        self.seg = 0  # where the current hunk's lines start
        # The added lines kept (each_file): (first line number, line count,
        # the lines with their '+' and newline), one entry per run of lines.
        self.runs: list[tuple[int, int, bytes]] = []


class Diff:
    """A running diff whose header (the file list) has been read; its
    patch part is then read once, by ``each_file``."""

    def __init__(self, repo: Repo, base: str | None, head_: str | None) -> None:
        # git starts at once and is read ahead by a thread; its header is
        # parsed when first asked for, so a caller can do other work meanwhile.
        self._proc, output, self._empty = _start_diff(repo, base, head_)
        self._stream = _ReadAhead(output, _READ_AHEAD)
        self._files: list[FileChange] | None = None
        self._rest = b''

    @property
    def files(self) -> list[FileChange]:
        """The changed files (their line counts once the patches are read)."""
        if self._files is None:
            leftover: list[bytes] = []
            try:
                self._files = _header(_tokens(self._stream, leftover))
            except BaseException:
                self.close()
                raise
            self._rest = leftover[0] if leftover else b''
        return self._files

    def close(self) -> None:
        """Stop git if it is still running (nothing more will be read)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._stream.close()
        self._proc.wait()
        if self._proc.stderr is not None:
            self._proc.stderr.close()
        if os.path.basename(self._empty).startswith('review-trigger-'):
            try:
                os.rmdir(self._empty)
            except OSError:
                pass

    def each_file(self, want_content: Callable[[FileChange], bool], max_bytes: int) -> Iterator[FileDiff]:
        """Each file, with its line counts, and its added lines (if
        ``want_content``) up to ``max_bytes`` a file."""
        files = self.files
        return self._finish(
            _read(files, self._blocks(max_bytes), [want_content(f) for f in files], max_bytes)
        )

    def _blocks(self, max_bytes: int) -> Iterator[bytes]:
        return _blocks(self._stream, self._rest, max(_LONG_LINE, max_bytes + 1))

    def _finish(self, events: Iterator[_T]) -> Iterator[_T]:
        try:
            yield from events
            self._stream.read()  # drain, so git exits
            _wait(self._proc)
        except _Failed as e:
            raise _error(e, 'git diff failed')
        finally:
            self.close()


def _done(files: list[FileChange], f: _File) -> FileDiff:
    """The file just read: its FileChange with its line counts, and its
    added lines if they were kept."""
    c = files[f.index]
    if f.added or f.deleted or f.binary:
        c = FileChange(
            c.path,
            c.old_path,
            c.status,
            f.added,
            f.deleted,
            f.binary and not c.submodule,
            c.old_blob,
            c.new_blob,
            c.submodule,
        )
    if f.scan and not f.skipped and f.runs:
        return _file_diff(c, f.runs, False)
    return FileDiff(c, NO_LINES, f.skipped)


def _read(
    files: list[FileChange],
    blocks: Iterable[bytes],
    scan: Sequence[bool],
    max_bytes: int,
) -> Iterator[FileDiff]:
    """The patch part read from ``blocks`` (see ``_blocks``): a FileDiff
    for each of ``files``, in order, with its line counts, and the added
    lines of each file ``scan`` names (up to ``max_bytes`` of them)."""
    f: _File | None = None
    next_index = 0

    def close(f: _File, data: bytes, end: int) -> None:
        # The current hunk's lines up to ``end`` (a line start).
        f.next_line, f.size = _hunk_lines(data, f.seg, end, f.next_line, f.size, f.runs)
        if f.size > max_bytes:
            f.skipped = True
            f.runs = []

    for data in blocks:
        if f is not None:
            f.seg = 1
        for kind, at, m in _events(data):
            if f is not None and f.in_hunk and f.scan and not f.skipped and at > f.seg:
                close(f, data, at)
            end = data.find(b'\n', at)
            if kind == _FILE:
                header = data[at:end]
                if f is not None and header == f.header and files[f.index].status == 'type-changed':
                    f.in_hunk = False  # its second patch
                    continue
                if f is not None:
                    yield _done(files, f)
                if next_index >= len(files):
                    f = None  # more patches than files: ignore them
                    continue
                f = _File(next_index, header, bool(scan[next_index]))
                next_index += 1
            elif f is None:
                continue
            elif m is not None:
                f.deleted += 1 if m[1] is None else int(m[1])
                f.added += 1 if m[3] is None else int(m[3])
                f.in_hunk = True
                f.next_line = int(m[2])
                f.seg = end + 1
            elif not f.in_hunk:
                f.binary = True
        if f is not None and f.in_hunk and f.scan and not f.skipped and len(data) > f.seg:
            close(f, data, len(data))
    if f is not None:
        yield _done(files, f)
    for rest in files[next_index:]:
        # Entries without a patch (should not happen; never lose a file).
        yield FileDiff(rest, NO_LINES, False)


_T = TypeVar('_T')


def _blocks(stream: Readable, first: bytes, long_line: int) -> Iterator[bytes]:
    """The patch part in blocks of whole lines, each block with a newline
    in front (so that every line starts after one). A line longer than
    ``long_line`` is cut to that length (the rest is read and dropped)."""
    buf = first
    while True:
        chunk = stream.read(_BLOCK)
        if not chunk:
            if buf:
                yield b'\n' + (buf if buf.endswith(b'\n') else buf + b'\n')
            return
        cut = chunk.rfind(b'\n')
        if cut >= 0:
            # One copy: the newline in front, what was kept and this
            # chunk's whole lines.
            yield b''.join((b'\n', buf, memoryview(chunk)[: cut + 1]))
            buf = chunk[cut + 1 :]
        else:
            buf += chunk
            cut = buf.rfind(b'\n')
            if cut >= 0:  # the patch's first lines, read with the header
                yield b'\n' + buf[: cut + 1]
                buf = buf[cut + 1 :]
        if len(buf) > long_line:
            # One very long line: keep its start, drop the rest.
            yield b'\n' + buf[:long_line] + b'\n'
            while True:
                chunk = stream.read(_BLOCK)
                if not chunk:
                    return
                nl = chunk.find(b'\n')
                if nl >= 0:
                    buf = chunk[nl + 1 :]
                    break


def _hunk_lines(
    data: bytes, pos: int, end: int, lineno: int, size: int, runs: list[tuple[int, int, bytes]]
) -> tuple[int, int]:
    """Add the added lines of ``data[pos:end]`` (whole lines of a hunk) to
    ``runs``; return the next line number and the added bytes so far
    (each line counted with its '+', without its newline, until the size
    passes the cap: then the caller drops them all)."""
    # Most hunks of a zero-context diff are some '-' lines then '+' lines:
    # found with searches bounded to the hunk, no copy of it but its run
    # of added lines.
    if data.startswith(b'+', pos):
        first = pos
    else:
        at = data.find(b'\n+', pos, end)
        first = at + 1 if at >= 0 else -1
    context = data.startswith(b' ', pos)
    if first >= 0:
        if not (context or data.find(b'\n ', pos, first) >= 0):
            lines = data.count(b'\n', first, end)
            if data.count(b'\n+', first, end) == lines - 1:
                runs.append((lineno, lines, data[first:end]))
                return lineno + lines, size + (end - first) - lines
    elif not (context or data.find(b'\n ', pos, end) >= 0):
        return lineno, size  # only removed lines
    for m in _HUNK_LINES.finditer(data[pos:end]):
        plus = m[1]
        if plus is not None:
            lines = plus.count(b'\n')
            runs.append((lineno, lines, plus))
            lineno += lines
            size += len(plus) - lines
        elif m[2] is not None:
            lineno += 1
    return lineno, size


def _file_diff(change: FileChange, runs: list[tuple[int, int, bytes]], skipped: bool) -> FileDiff:
    if not runs:
        return FileDiff(change, NO_LINES, skipped)
    patch = runs[0][2] if len(runs) == 1 else b''.join(r[2] for r in runs)
    starts = []
    count = 0
    for number, lines, _ in runs:
        starts.append((count, number))
        count += lines
    return FileDiff(change, AddedLines(None, starts, count, patch), skipped)
