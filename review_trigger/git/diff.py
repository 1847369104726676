"""The diff reader: one streamed ``git diff`` per run.

The diff is streamed: a thread reads it ahead (bounded), and it is parsed
file by file (``Diff.each_file``: one file's added lines in memory at a
time) or, for a large change, a block at a time (``Diff.candidates``).
The user's diff configuration must not change the result, so every diff
runs with ``--no-ext-diff --no-textconv`` and explicit formatting options.
"""
from __future__ import annotations

import bisect
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, NamedTuple, Protocol, TypeVar, overload

from review_trigger.change import STATUS, FileChange
from review_trigger.git.revisions import _empty_tree
from review_trigger.git.run import _CONFIG, Repo, _call, _error, _Failed, _start, _wait

_DIFF_OPTS = (
    '--no-ext-diff', '--no-textconv', '--no-color', '--no-relative',
    '--submodule=short', '--ignore-submodules=none', '--no-abbrev',
    f'-O{os.devnull}',
    '-M', '-C', '-U0', '--raw', '-z',
)
# A hunk header, matched where a line starts: the removed lines' count
# and the added lines' start and count (a count left out is 1).
_HUNK = re.compile(rb'@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@')
_BINARY = b'Binary files '
_CHUNK = 1 << 16        # bytes read from git at a time
_BOUNDARY = b'\ndiff --git '
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
    skipped: bool           # too large: listed, not scanned


class AddedLines(Sequence[tuple[int, str]]):
    """A file's added lines, ``(line number, text)`` in order, held as one
    text: ``text`` is the lines joined with newlines, so a scanner can
    search it whole. Equal to the list of pairs it stands for.
    """
    __slots__ = ('text', '_firsts', '_numbers', '_count', '_lines')

    def __init__(self, text: str, runs: Sequence[tuple[int, int]], count: int) -> None:
        # runs: (index of a run's first line, that line's number), in order.
        self.text = text
        self._firsts = [i for i, _ in runs]
        self._numbers = [n for _, n in runs]
        self._count = count
        self._lines: list[str] | None = None

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

    __hash__ = None     # type: ignore[assignment]

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
            leftover.append(data[end + 2:])
            yield from data[:end].split(b'\0')
            return
        cut = data.rfind(b'\0')
        if cut < 0:
            buf = data
            continue
        yield from data[:cut].split(b'\0')
        buf = data[cut + 1:]


def _reader(stream: Readable) -> Callable[[int], bytes]:
    """The stream's read1 if it has one: what is there, without waiting
    for a whole chunk."""
    read: Callable[[int], bytes] = getattr(stream, 'read1', stream.read)
    return read


def _pieces(stream: Readable, data: bytes,
            long_line: int) -> Iterator[tuple[bool, bytes]]:
    """The patch part as ``(True, header)`` for each ``diff --git`` line and
    ``(False, lines)`` for the whole lines (each ending with a newline)
    between them, in pieces of at most about a read's size.

    A line longer than ``long_line`` is cut to that length (the rest is
    read and dropped), so memory stays bounded whatever the diff holds.
    """
    read = _reader(stream)
    buf = b'\n' + data     # the newline before the first line
    pos = 1                 # buf[pos:] is not yet yielded; buf[pos - 1] is a newline
    eof = False
    while True:
        k = buf.find(_BOUNDARY, pos - 1)
        while k >= 0:
            if k + 1 > pos:
                yield False, buf[pos:k + 1]
            e = buf.find(b'\n', k + 1)
            if e < 0:
                if eof:
                    yield True, buf[k + 1:]
                    return
                pos = k + 1
                break
            yield True, buf[k + 1:e]
            pos = e + 1
            k = buf.find(_BOUNDARY, pos - 1)
        else:
            if eof:
                if pos < len(buf):
                    rest = buf[pos:]
                    yield False, rest if rest.endswith(b'\n') else rest + b'\n'
                return
            last = buf.rfind(b'\n', pos - 1)
            if last + 1 > pos:
                yield False, buf[pos:last + 1]
                pos = last + 1
            if len(buf) - pos > long_line:
                # One very long line: keep its start, drop the rest.
                yield False, buf[pos:pos + long_line] + b'\n'
                while True:
                    chunk = read(_CHUNK)
                    if not chunk:
                        return
                    nl = chunk.find(b'\n')
                    if nl >= 0:
                        buf, pos = chunk[nl:], 1
                        break
                continue
        chunk = read(_CHUNK)
        if not chunk:
            eof = True
        buf = buf[pos - 1:] + chunk
        pos = 1


def _header(tokens: Iterator[bytes]) -> list[FileChange]:
    """The raw part: one FileChange per file, its line counts still 0
    (``_patches`` counts them from the hunk headers)."""
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
        append(FileChange(
            path, old_path, status_of.get(letter[:1], 'modified'), 0, 0, False,
            old_sha.decode() if old_sha.strip(b'0') else None,
            new_sha.decode() if new_sha.strip(b'0') else None,
            old_mode == b'160000' or new_mode == b'160000',
        ))
    return files


_STATUS_BYTES = {k.encode(): v for k, v in STATUS.items()}


def _start_diff(repo: Repo, base: str | None, head_: str | None,
                ) -> tuple[subprocess.Popen[bytes], IO[bytes], str]:
    """Start the diff from ``base`` to ``head_`` (None: the index); its
    process, output, and the empty folder it runs in (remove it after).

    Never with the change's own attributes: a ``.gitattributes`` the change
    adds (``*.py -diff``, ``* binary``) would make its files "binary" and
    unread. git 2.39 has no ``--attr-source``, so git runs with an empty work
    tree and no index, where it finds no in-tree attributes at all (the
    user's ``core.attributesFile`` and ``$GIT_DIR/info/attributes`` still
    apply: the change controls neither). The staged change is diffed as the
    tree ``git write-tree`` makes of the index.
    """
    new = head_ if head_ is not None else _index_tree(repo)
    empty = _empty_dir(repo)
    if new is None:
        # Unmerged entries: no tree can be written. The index is then the
        # only source, and git reads attributes from it.
        args = ['diff', '--cached', *_DIFF_OPTS, *([base] if base is not None else [])]
        proc = _start(repo.root, [*_CONFIG, *args, '--'])
    else:
        args = ['diff-tree', '-r', *_DIFF_OPTS, base or _empty_tree(repo), new]
        proc = _start(empty, ['--git-dir', repo.git_dir, '--work-tree', empty,
                              *_CONFIG, *args, '--'],
                      env={'GIT_INDEX_FILE': os.path.join(empty, 'index')})
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
    return tempfile.mkdtemp(prefix='review-trigger-')


def _index_tree(repo: Repo) -> str | None:
    """The staged change as a tree object, or None if the index has
    unmerged entries."""
    status, out, _ = _call(repo.root, 'write-tree')
    return out.decode().strip() if status == 0 and out.strip() else None


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
        self._chunks: collections.deque[bytes] = collections.deque()
        self._size = 0
        self._eof = False
        self._closed = False
        self._error: OSError | None = None
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._fill, daemon=True,
                                        name='review-trigger git reader')
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
                self._chunks.appendleft(chunk[n:])
                chunk = chunk[:n]
            self._size -= len(chunk)
            ready.notify_all()
            return chunk

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


# -- large changes: the patch part a block at a time ------------------------------
#
# On a large change the per-file work above is most of the run time. Here
# the patch part is read in blocks of whole lines, and one regex search per
# block finds where each file's patch starts, its hunk headers (the line
# counts) and binary markers; nothing is done per line. Only the lines a
# caller's ``candidates`` finds in a block are looked at: those that are
# added lines of a file being scanned are handed on with their file and
# line number. Every line of a patch starts with '+', '-' or '\\' inside a
# hunk (there is no context with -U0), so a line starting with
# "diff --git ", "@@ -" or "Binary files " is always git's own.

_EVENT = re.compile(
    rb'\n(?:(diff --git )|@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@|Binary files )',
)
_BLOCK = 1 << 18
_PIPE_SIZE = 1 << 20
# How far the reading thread may get ahead of the analysis.
_READ_AHEAD = 16 << 20


class Candidate(NamedTuple):
    """An added line worth checking: its file (an index), number and text."""
    file: int
    line: int
    text: str


class FileDone(NamedTuple):
    """A file's patch was read: its candidates were all given. ``skipped``:
    more than the cap was added, so it is not scanned (drop them)."""
    file: int
    skipped: bool


class _File:
    """The file whose patch is being read."""
    __slots__ = ('index', 'header', 'added', 'deleted', 'binary', 'scan', 'size',
                 'skipped', 'in_hunk', 'next_line', 'mark', 'seg', 'seen')

    def __init__(self, index: int, header: bytes, scan: bool) -> None:
        self.index = index
        self.header = header        # its "diff --git" line
        self.added = self.deleted = 0
        self.binary = False
        self.scan = scan
        self.size = 0               # added bytes, as _hunk_lines counts them
        self.skipped = False
        self.in_hunk = False
        self.next_line = 0          # the number of the added line at ``mark``
        self.mark = 0               # a line start in the current block
        self.seg = 0                # where the current hunk's lines start
        self.seen = False           # a candidate was given


class Diff:
    """A running diff whose header (the file list) has been read; its
    patch part is then read once, by ``each_file`` or ``candidates``."""

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

    def each_file(self, want_content: Callable[[FileChange], bool],
                  max_bytes: int) -> Iterator[FileDiff]:
        """Each file with its added lines (if ``want_content``), up to
        ``max_bytes`` a file."""
        files = self.files
        return self._finish(_patches(
            files, _pieces(self._stream, self._rest, max(_LONG_LINE, max_bytes + 1)),
            want_content, max_bytes,
        ))

    def candidates(self, scan: Sequence[bool], find: Callable[[bytes], Iterable[int]],
                   max_bytes: int) -> Iterator[Candidate | FileDone]:
        """The added lines, of the files ``scan`` says to scan, that ``find``
        picks out of each block, in order, with a FileDone after the last
        of each file that had any or was skipped. ``self.files`` then has
        every file's line counts."""
        return self._finish(self._candidates(scan, find, max_bytes))

    def _finish(self, events: Iterator[_T]) -> Iterator[_T]:
        try:
            yield from events
            self._stream.read()  # drain, so git exits
            _wait(self._proc)
        except _Failed as e:
            raise _error(e, 'git diff failed')
        finally:
            self.close()

    def _candidates(self, scan: Sequence[bool], find: Callable[[bytes], Iterable[int]],
                    max_bytes: int) -> Iterator[Candidate | FileDone]:
        files = self.files
        counted = list(files)
        yield from _block_events(files, _blocks(self._stream, self._rest,
                                                max(_LONG_LINE, max_bytes + 1)),
                                 scan, find, max_bytes, counted)
        self._files = counted


def _count(counted: list[FileChange], f: _File) -> None:
    """Put the line counts of the file just read into its FileChange."""
    if f.added or f.deleted or f.binary:
        c = counted[f.index]
        counted[f.index] = FileChange(
            c.path, c.old_path, c.status, f.added, f.deleted, f.binary and not c.submodule,
            c.old_blob, c.new_blob, c.submodule,
        )


def _block_events(
        files: list[FileChange], blocks: Iterable[bytes], scan: Sequence[bool],
        find: Callable[[bytes], Iterable[int]], max_bytes: int,
        counted: list[FileChange],
) -> Iterator[Candidate | FileDone]:
    """``Diff.candidates`` over ``blocks`` (see ``_blocks``); each file,
    with its line counts, goes into ``counted`` (a copy of ``files``)."""
    f: _File | None = None
    next_index = 0

    def close(f: _File, data: bytes, end: int) -> None:
        # The current hunk's lines up to ``end`` (a line start).
        f.size += _plus_bytes(data, f.seg, end)
        if f.size > max_bytes:
            f.skipped = True

    scanning = any(scan)
    for data in blocks:
        if f is not None:
            f.mark = f.seg = 1
        found = iter(find(data) if scanning else ())
        line = next(found, None)
        for m in _EVENT.finditer(data):
            at = m.start() + 1
            while line is not None and line < at:
                if f is not None:
                    c = _candidate(f, data, line)
                    if c is not None:
                        yield c
                line = next(found, None)
            if f is not None and f.in_hunk and f.scan and not f.skipped and at > f.seg:
                close(f, data, at)
            end = data.find(b'\n', at)
            if m[1] is not None:
                header = data[at:end]
                if f is not None and header == f.header and \
                        files[f.index].status == 'type-changed':
                    f.in_hunk = False       # its second patch
                    continue
                if f is not None:
                    _count(counted, f)
                    if f.scan and (f.seen or f.skipped):
                        yield FileDone(f.index, f.skipped)
                if next_index >= len(files):
                    f = None        # more patches than files: ignore them
                    continue
                f = _File(next_index, header, bool(scan[next_index]))
                next_index += 1
            elif f is None:
                continue
            elif m[3] is not None:
                f.deleted += 1 if m[2] is None else int(m[2])
                f.added += 1 if m[4] is None else int(m[4])
                f.in_hunk = True
                f.next_line = int(m[3])
                f.mark = f.seg = end + 1
            elif not f.in_hunk:
                f.binary = True
        while line is not None:
            if f is not None:
                c = _candidate(f, data, line)
                if c is not None:
                    yield c
            line = next(found, None)
        if f is not None:
            if f.in_hunk and f.scan and not f.skipped and len(data) > f.seg:
                close(f, data, len(data))
            if f.in_hunk and f.scan:
                f.next_line += _numbered(data, f.mark, len(data))
    if f is not None:
        _count(counted, f)
        if f.scan and (f.seen or f.skipped):
            yield FileDone(f.index, f.skipped)


_T = TypeVar('_T')
_PLUS_LINE = re.compile(rb'^\+[^\n]*', re.M)


def _plus_bytes(data: bytes, start: int, end: int) -> int:
    """The bytes of the '+' lines among the whole hunk lines of
    ``data[start:end]`` (``start`` after a newline), each counted with its
    '+' and without its newline."""
    n = data.count(b'\n', start, end)
    if data.count(b'\n+', start - 1, end) == n:
        return end - start - n      # all of them (a new file's, mostly)
    return sum(map(len, _PLUS_LINE.findall(data, start, end)))


def _numbered(data: bytes, start: int, end: int) -> int:
    """How many lines of the new file start in ``data[start:end]`` (at
    line starts): added lines, and context lines (none with -U0)."""
    return data.count(b'\n+', start - 1, end) + data.count(b'\n ', start - 1, end)


def _candidate(f: _File, data: bytes, at: int) -> Candidate | None:
    """The added line starting at ``at`` in ``f``'s current hunk, if it is one."""
    if not (f.in_hunk and f.scan) or f.skipped or data[at:at + 1] != b'+':
        return None
    f.next_line += _numbered(data, f.mark, at)
    f.mark = at
    f.seen = True
    end = data.find(b'\n', at)
    return Candidate(f.index, f.next_line, data[at + 1:end].decode('utf-8', 'replace'))


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
        buf += chunk
        cut = buf.rfind(b'\n')
        if cut >= 0:
            yield b'\n' + buf[:cut + 1]
            buf = buf[cut + 1:]
        if len(buf) > long_line:
            # One very long line: keep its start, drop the rest.
            yield b'\n' + buf[:long_line] + b'\n'
            while True:
                chunk = stream.read(_BLOCK)
                if not chunk:
                    return
                nl = chunk.find(b'\n')
                if nl >= 0:
                    buf = chunk[nl + 1:]
                    break


def _patches(
        files: list[FileChange], pieces: Iterator[tuple[bool, bytes]],
        want_content: Callable[[FileChange], bool], max_bytes: int,
) -> Iterator[FileDiff]:
    index = -1
    header_line = b''
    current: FileChange | None = None
    keep = False
    # The added lines kept so far: (first line number, line count, the
    # lines with their '+' and newline), one entry per run of lines.
    runs: list[tuple[int, int, bytes]] = []
    size = 0
    skipped = False
    in_hunk = False
    lineno = 0
    # The file's line counts, from its hunk headers (what --numstat says
    # of a zero-context diff), and whether git found it binary.
    added = deleted = 0
    binary = False

    def done(change: FileChange) -> FileDiff:
        change = change._replace(added_lines=added, deleted_lines=deleted,
                                 binary=binary and not change.submodule)
        return _file_diff(change, runs, skipped)

    for is_header, data in pieces:
        if is_header:
            # A type change is one raw entry but two patches (delete, add)
            # with the same header line.
            if not (current is not None and current.status == 'type-changed'
                    and data == header_line):
                if current is not None:
                    yield done(current)
                index += 1
                current = files[index]
                keep = want_content(current)
                runs, size, skipped = [], 0, False
                added = deleted = 0
                binary = False
            header_line = data
            in_hunk = False
            continue
        pos, end = 0, len(data)
        while pos < end:
            at = _next_hunk(data, pos)
            if in_hunk:
                if keep:
                    stop = end if at < 0 else at
                    if stop > pos:
                        lineno, size = _hunk_lines(data, pos, stop, lineno, size, runs)
                        if size > max_bytes:
                            keep, skipped, runs = False, True, []
            elif data.startswith(_BINARY, pos) or \
                    data.find(b'\n' + _BINARY, pos, end if at < 0 else at) >= 0:
                binary = True
            if at < 0:
                break
            m = _HUNK.match(data, at)
            assert m is not None
            in_hunk = True
            deleted += 1 if m[1] is None else int(m[1])
            added += 1 if m[3] is None else int(m[3])
            lineno = int(m[2])
            pos = data.index(b'\n', at) + 1
    if current is not None:
        yield done(current)
    for rest in files[index + 1:]:
        # Entries without a patch (should not happen; never lose a file).
        yield FileDiff(rest, NO_LINES, False)


def _next_hunk(data: bytes, pos: int) -> int:
    """Where the first hunk header line at or after ``pos`` starts, or -1.

    ``pos`` is at the start of a line.
    """
    if pos == 0 and data.startswith(b'@@ -') and _HUNK.match(data):
        return 0
    while True:
        k = data.find(b'\n@@ -', max(pos - 1, 0))
        if k < 0:
            return -1
        if _HUNK.match(data, k + 1):
            return k + 1
        pos = k + 2


def _hunk_lines(data: bytes, pos: int, end: int, lineno: int, size: int,
                runs: list[tuple[int, int, bytes]]) -> tuple[int, int]:
    """Add the added lines of ``data[pos:end]`` (whole lines of a hunk) to
    ``runs``; return the next line number and the added bytes so far
    (each line counted with its '+', without its newline, until the size
    passes the cap: then the caller drops them all)."""
    seg = data[pos:end]
    n = seg.count(b'\n')
    # Most hunks of a zero-context diff are some '-' lines then '+' lines.
    first = 0 if seg[:1] == b'+' else seg.find(b'\n+') + 1
    if first or seg[:1] == b'+':
        head = seg[:first]
        if not (head[:1] == b' ' or b'\n ' in head):
            tail = seg[first:] if first else seg
            lines = n - head.count(b'\n')
            if tail.count(b'\n+') == lines - 1:
                runs.append((lineno, lines, tail))
                return lineno + lines, size + len(tail) - lines
    elif seg[:1] != b' ' and b'\n ' not in seg:
        return lineno, size          # only removed lines
    for m in _HUNK_LINES.finditer(seg):
        plus = m[1]
        if plus is not None:
            lines = plus.count(b'\n')
            runs.append((lineno, lines, plus))
            lineno += lines
            size += len(plus) - lines
        elif m[2] is not None:
            lineno += 1
    return lineno, size


def _file_diff(change: FileChange, runs: list[tuple[int, int, bytes]],
               skipped: bool) -> FileDiff:
    if not runs:
        return FileDiff(change, NO_LINES, skipped)
    raw = runs[0][2] if len(runs) == 1 else b''.join(r[2] for r in runs)
    # Every line starts with '+' and ends with a newline: drop both.
    text = raw[1:-1].replace(b'\n+', b'\n').decode('utf-8', 'replace')
    starts = []
    count = 0
    for number, lines, _ in runs:
        starts.append((count, number))
        count += lines
    return FileDiff(change, AddedLines(text, starts, count), skipped)
