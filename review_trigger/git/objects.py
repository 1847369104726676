"""Objects and commits: blobs, paths at a revision, file lists, logs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from review_trigger.change import Commit
from review_trigger.git.run import _CONFIG, Repo, _call, _error, _Failed, _run, _start, _wait


def read_blob(repo: Repo, sha: str) -> bytes:
    return _run(repo, 'cat-file', 'blob', sha, what=f'cannot read object {sha}')


def each_blob(repo: Repo, shas: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """``(sha, content)`` of each blob, in order, read by one
    ``git cat-file --batch`` (one blob in memory at a time); a missing
    object is left out."""
    if not shas:
        return
    import tempfile

    with tempfile.TemporaryFile() as names:
        names.write(''.join(f'{sha}\n' for sha in shas).encode())
        names.seek(0)
        proc = _start(repo, [*_CONFIG, 'cat-file', '--batch'], stdin=names)
        stream = proc.stdout
        assert stream is not None
        try:
            for sha in shas:
                head = stream.readline().split()
                if len(head) < 3:
                    continue  # "<sha> missing"
                data = stream.read(int(head[2]) + 1)[:-1]
                yield sha, data
            stream.read()
            _wait(proc)
        except _Failed as e:
            raise _error(e, 'cannot read objects')
        finally:
            stream.close()
            proc.wait()


def read_path(repo: Repo, treeish: str, path: str) -> bytes | None:
    """``path``'s content at ``treeish`` (a commit, or '' for the index)."""
    if _call(repo, 'cat-file', '-e', f'{treeish}:{path}')[0] != 0:
        return None
    return _run(repo, 'cat-file', 'blob', f'{treeish}:{path}')


def list_files(repo: Repo, treeish: str | None) -> list[str]:
    """Every path at ``treeish`` (a commit sha, or None for the index)."""
    return PendingFiles(repo, treeish).result()


class PendingFiles:
    """``list_files`` (or only the top level, not ``recursive``) started
    now: git lists while the caller goes on; ``result()`` collects it."""

    def __init__(self, repo: Repo, treeish: str | None, recursive: bool = True) -> None:
        args = (
            ['ls-files', '-z', '--cached']
            if treeish is None
            else ['ls-tree', *(['-r'] if recursive else []), '-z', '--name-only', treeish, '--']
        )
        self._proc = _start(repo, [*_CONFIG, *args])
        self._out: bytes | None = None

    def result(self) -> list[str]:
        if self._out is None:
            out, err = self._proc.communicate()
            if self._proc.returncode != 0:
                raise _error(_Failed(self._proc.returncode, err), 'cannot list the files')
            self._out = out
        return [p.decode('utf-8', 'surrogateescape') for p in self._out.split(b'\0') if p]

    def close(self) -> None:
        """Stop git if the list was not wanted."""
        if self._out is None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.communicate()
            self._out = b''


def commits(repo: Repo, base: str | None, head_: str) -> list[Commit]:
    rng = [head_] if base is None else [f'{base}..{head_}']
    out = _run(
        repo,
        'log',
        '-z',
        '--no-color',
        '--format=%H%n%an <%ae>%n%cI%n%B',
        *rng,
        '--',
    )
    result = []
    for record in out.split(b'\0'):
        if not record.strip():
            continue
        sha, author, date, message = (record.decode('utf-8', 'replace').split('\n', 3) + ['', '', ''])[:4]
        result.append(Commit(sha.strip(), author, date, message.strip()))
    return result
