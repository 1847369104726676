"""Objects and commits: blobs, paths at a revision, file lists, logs."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from review_trigger.change import Commit
from review_trigger.git.run import _CONFIG, Repo, _call, _error, _Failed, _run, _start, _wait


def has_object(repo: Repo, sha: str, kind: str) -> bool:
    """Whether the object ``sha`` is in the repository, as a ``kind``
    (commit, tree, blob)."""
    return _call(repo, 'cat-file', '-e', f'{sha}^{{{kind}}}')[0] == 0


def read_blob(repo: Repo, sha: str) -> bytes:
    return _run(repo, 'cat-file', 'blob', sha, what=f'cannot read object {sha}')


# Read ahead (``BlobReader.prefetch``): up to 16 MB in all, a few times
# what the triggers of a large change read (1.8 MB on fastapi's range).
PREFETCH_BYTES = 16 * 1024 * 1024


class BlobReader:
    """``read_blob`` for a run that reads many blobs one at a time (the
    triggers' checks): one ``git cat-file --batch``, started at the first
    and fed one id at a time, instead of a git process for each. Whatever
    it cannot answer (a missing object, not a blob, after ``close``) goes
    to ``read_blob``, which fails as it does."""

    def __init__(self, repo: Repo, *, prefetch_blob: int) -> None:
        self._repo = repo
        self._prefetch_blob = prefetch_blob
        self._proc: subprocess.Popen[bytes] | None = None
        self._closed = False
        # Blobs read ahead (``prefetch``), and the bytes they hold.
        self._ahead: dict[str, bytes] = {}
        self._ahead_bytes = 0

    def prefetch(self, shas: Iterable[str | None]) -> None:
        """Read these blobs now, in one batch, for the calls that will ask
        for them: a call answered from git costs a round trip, which on a
        busy machine is half a millisecond (the triggers' 350 blobs of the
        synthetic benchmark took 187 ms one at a time). Blobs larger than
        ``prefetch_blob`` are left to their calls, and no more than
        ``PREFETCH_BYTES`` are kept: a read ahead costs no more memory
        than that, and a call gets the same bytes either way."""
        if self._closed:
            return
        wanted = [sha for sha in dict.fromkeys(shas) if sha and sha.isalnum() and sha not in self._ahead]
        if not wanted:
            return
        try:
            for sha, data in self._many(wanted):
                if len(data) <= self._prefetch_blob and self._ahead_bytes + len(data) <= PREFETCH_BYTES:
                    self._ahead[sha] = data
                    self._ahead_bytes += len(data)
        except (OSError, ValueError):
            self.close()  # the calls read their blobs themselves

    def _batch(self) -> subprocess.Popen[bytes]:
        """The run's ``git cat-file --batch``, started at the first read:
        one process for every read and read ahead of the run (each a
        process of its own cost a few milliseconds: six of them on
        fastapi's range)."""
        if self._proc is None:
            self._proc = _start(self._repo, [*_CONFIG, 'cat-file', '--batch'], stdin=subprocess.PIPE)
        return self._proc

    def _many(self, shas: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        """``(sha, content)`` of each blob, in order; a missing object, or
        one that is not a blob, is left out. The ids go to git a pipe's
        worth at a time, each lot's answers read before the next is
        written: neither side waits on the other with a full pipe."""
        proc = self._batch()
        stdin, stdout = proc.stdin, proc.stdout
        assert stdin is not None and stdout is not None
        lot = max(1, _PIPE_HOLDS // 41)  # an id and its newline
        for k in range(0, len(shas), lot):
            part = shas[k : k + lot]
            stdin.write(''.join(f'{sha}\n' for sha in part).encode())
            stdin.flush()
            yield from _answers(stdout, part)

    def __call__(self, sha: str) -> bytes:
        found = self._ahead.get(sha)
        if found is not None:
            return found
        if self._closed or not sha or not sha.isalnum():
            return read_blob(self._repo, sha)
        proc = self._batch()
        stdin, stdout = proc.stdin, proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(f'{sha}\n'.encode())
            stdin.flush()
            head = stdout.readline().split()
            if len(head) < 3 or head[1] != b'blob':
                if len(head) >= 3:
                    stdout.read(int(head[2]) + 1)  # another kind of object: skip it
                return read_blob(self._repo, sha)
            return _whole(stdout, int(head[2]))
        except (OSError, ValueError):
            self.close()
            return read_blob(self._repo, sha)

    def close(self) -> None:
        self._closed = True
        self._ahead.clear()
        proc, self._proc = self._proc, None
        if proc is not None:
            # git first: a thread blocked writing to it is let go, and then
            # its pipes close (what they still held is not wanted).
            proc.kill()
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
            proc.wait()


def _answers(stdout: IO[bytes], shas: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """``git cat-file --batch``'s answers for ``shas``: ``(sha, content)``
    of each blob, in order; a missing object, or one that is not a blob, is
    left out. ValueError if git ended before it answered them all."""
    for sha in shas:
        head = stdout.readline().split()
        if len(head) < 3:
            if not head:
                raise ValueError('git cat-file ended')
            continue  # "<sha> missing"
        data = _whole(stdout, int(head[2]))
        if head[1] == b'blob':  # a commit (a submodule) or tree is no file's content
            yield sha, data


def _whole(stdout: IO[bytes], size: int) -> bytes:
    """An object of ``size`` bytes and its newline, read from ``git
    cat-file --batch``; ValueError if git ended before all of it came (a
    blob is never read short)."""
    data = stdout.read(size + 1)
    if len(data) != size + 1:
        raise ValueError('git cat-file ended')
    return data[:-1]


def each_blob(repo: Repo, shas: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """``(sha, content)`` of each blob, in order, read by one
    ``git cat-file --batch`` (one blob in memory at a time); a missing
    object, or one that is not a blob, is left out."""
    if not shas:
        return
    listed = ''.join(f'{sha}\n' for sha in shas).encode()
    if len(listed) > _PIPE_HOLDS:
        import tempfile

        with tempfile.TemporaryFile() as names:
            names.write(listed)
            names.seek(0)
            yield from _blobs(repo, shas, names)
        return
    # Few enough names for the pipe to hold them all, so git can write its
    # answers while they wait there (and tempfile is not imported).
    yield from _blobs(repo, shas, listed)


# What a pipe holds before a writer waits for its reader: 16 KB on macOS
# until it grows, 64 KB on Linux.
_PIPE_HOLDS = 16 * 1024


def _blobs(repo: Repo, shas: Sequence[str], names: IO[bytes] | bytes) -> Iterator[tuple[str, bytes]]:
    proc = _start(
        repo, [*_CONFIG, 'cat-file', '--batch'], stdin=subprocess.PIPE if isinstance(names, bytes) else names
    )
    stream = proc.stdout
    assert stream is not None
    try:
        if isinstance(names, bytes):
            assert proc.stdin is not None
            try:
                proc.stdin.write(names)
                proc.stdin.close()
            except BrokenPipeError:  # pragma: no cover  (git died at once: its status says why)
                pass
        try:
            yield from _answers(stream, shas)
        except ValueError:
            # git ended early: its status says why (never a blob cut short).
            _wait(proc)
            raise _Failed(1, b'git cat-file ended before it answered') from None
        stream.read()
        _wait(proc)
    except _Failed as e:
        raise _error(e, 'cannot read objects')
    finally:
        stream.close()
        proc.wait()


def read_paths(repo: Repo, treeish: str, paths: Sequence[str]) -> dict[str, bytes]:
    """The content of each of ``paths`` (names without a newline) that is a
    file at ``treeish``, read by one ``git cat-file --batch``."""
    names = [f'{treeish}:{p}' for p in paths]
    found = dict(each_blob(repo, names))
    return {p: found[n] for p, n in zip(paths, names, strict=True) if n in found}


def read_path(repo: Repo, treeish: str, path: str) -> bytes | None:
    """``path``'s content at ``treeish`` (a commit, or '' for the index)."""
    if _call(repo, 'cat-file', '-e', f'{treeish}:{path}')[0] != 0:
        return None
    return _run(repo, 'cat-file', 'blob', f'{treeish}:{path}')


def list_files(repo: Repo, treeish: str | None) -> list[str]:
    """Every path at ``treeish`` (a commit sha, or None for the index)."""
    return PendingFiles(repo, treeish).result()


class _Pending:
    """A git process started now, whose output a thread reads as git writes
    it, so git never waits on a full pipe while the caller goes on (the
    22,000 paths of the synthetic benchmark's head are 13 pipes' worth:
    read only when asked for, the run waited 70 ms for them)."""

    def __init__(self, repo: Repo, args: Sequence[str], name: str) -> None:
        import threading

        self._answer: list[tuple[bytes, bytes]] = []
        self._proc = _start(repo, [*_CONFIG, *args])
        self._thread = threading.Thread(target=self._read, daemon=True, name=name)
        self._thread.start()

    def _read(self) -> None:
        self._answer.append(self._proc.communicate())

    def output(self, what: str) -> bytes:
        """What git wrote; an error saying ``what`` failed if git did."""
        self._thread.join()
        out, err = self._answer[0] if self._answer else (b'', b'')
        if self._proc.returncode != 0:
            raise _error(_Failed(self._proc.returncode or 1, err), what)
        return out

    def close(self) -> None:
        """Stop git if it is still running (its output is not wanted)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._thread.join()


class PendingFiles:
    """``list_files`` (or only the top level, not ``recursive``) started
    now: git lists while the caller goes on (``_Pending``); ``result()``
    collects it."""

    def __init__(self, repo: Repo, treeish: str | None, recursive: bool = True) -> None:
        args = (
            ['ls-files', '-z', '--cached']
            if treeish is None
            else ['ls-tree', *(['-r'] if recursive else []), '-z', '--name-only', treeish, '--']
        )
        self._pending = _Pending(repo, args, 'review-trigger git file list reader')
        self._out: bytes | None = None

    def result(self) -> list[str]:
        if self._out is None:
            self._out = self._pending.output('cannot list the files')
        return [p.decode('utf-8', 'surrogateescape') for p in self._out.split(b'\0') if p]

    def close(self) -> None:
        """Stop git if the list was not wanted."""
        if self._out is None:
            self._pending.close()
            self._out = b''


def _log_args(base: str | None, head_: str) -> list[str]:
    rng = [head_] if base is None else [f'{base}..{head_}']
    # --encoding: the messages in UTF-8, which _parse_commits reads, whatever
    # i18n.logOutputEncoding says (UTF-16's NUL bytes would split the -z
    # records; latin1 would turn every accent into a replacement character).
    # A message git cannot re-encode (an unknown ``encoding`` header) comes
    # as its bytes, read as UTF-8 with replacement.
    return ['log', '-z', '--no-color', '--encoding=UTF-8', '--format=%H%n%an <%ae>%n%cI%n%B', *rng, '--']


def _parse_commits(out: bytes) -> list[Commit]:
    result = []
    for record in out.split(b'\0'):
        if not record.strip():
            continue
        sha, author, date, message = (record.decode('utf-8', 'replace').split('\n', 3) + ['', '', ''])[:4]
        result.append(Commit(sha.strip(), author, date, message.strip()))
    return result


class PendingCommits:
    """The commits from ``base`` (exclusive) to ``head_``, started now: git
    writes the log while the caller goes on (``_Pending``); ``result()``
    collects it. None for ``head_`` (a staged change), or ``head_`` equal
    to ``base``: no commits. Measured on fastapi's 4,664 commits of
    0.100.0..HEAD: 60 ms of git that the run no longer waits for before
    its scan."""

    def __init__(self, repo: Repo, base: str | None, head_: str | None) -> None:
        self._pending: _Pending | None = None
        if head_ is not None and head_ != base:
            self._pending = _Pending(repo, _log_args(base, head_), 'review-trigger git log reader')

    def result(self) -> list[Commit]:
        if self._pending is None:
            return []
        return _parse_commits(self._pending.output('git failed'))

    def close(self) -> None:
        """Stop git if the log was not wanted (the run failed first)."""
        if self._pending is not None:
            self._pending.close()
