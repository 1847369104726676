from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Callable, Iterable
from typing import TextIO

from review_trigger.errors import UserError


def temporary_file(folder: str, prefix: str = '.review-trigger-') -> tuple[int, str]:
    """A new file in ``folder`` (its descriptor and path), made as
    ``tempfile.mkstemp`` makes one
    (mode 0600, never a name that exists, not inherited by git, binary on
    Windows), without importing tempfile: it and the random and shutil it
    imports took 8 ms of every hook run."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    for name in ('O_CLOEXEC', 'O_NOFOLLOW', 'O_BINARY'):
        flags |= getattr(os, name, 0)
    for _ in range(100):
        tmp = os.path.join(folder, f'{prefix}{os.urandom(8).hex()}.tmp')
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, 'no unused temporary name', folder)  # pragma: no cover  (2**64 names)


def write_atomic(path: str, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces) to ``path`` so readers see the old
    file or the new one, never a torn one (write a temporary file beside
    it, then rename).

    A path that is not a regular file (``/dev/null``, ``/dev/stdout``, a
    named pipe) is written in place: renaming over it would replace it."""
    try:
        st_mode = os.stat(path).st_mode
        special = not stat.S_ISREG(st_mode)
        # Replacing a file keeps its mode; a new one gets the umask's.
        mode = stat.S_IMODE(st_mode)
    except OSError:
        special = False
        mode = 0o666 & ~_umask()
    if special:
        try:
            with open(path, 'w', encoding='utf-8', errors='surrogateescape', newline='') as f:
                _write(f, text)
        except OSError as e:
            raise UserError(f'cannot write {path}: {e.strerror}')
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = temporary_file(folder)
    except OSError as e:
        raise UserError(f'cannot write {path}: {reason(e, os.path.dirname(path))}')
    try:
        # The temporary file is made 0600 (as mkstemp makes one): the file
        # it becomes has the mode a plain write would have given it.
        if hasattr(os, 'fchmod'):
            os.fchmod(fd, mode)
        else:  # pragma: no cover  (Windows before Python 3.13)
            os.chmod(tmp, mode)
        with os.fdopen(fd, 'w', encoding='utf-8', errors='surrogateescape', newline='') as f:
            _write(f, text)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise UserError(f'cannot write {path}: {e.strerror}')
        raise


def reason(e: OSError, folder: str) -> str:
    """Why ``folder``, or a file in it, could not be made, opened or
    listed: ``e``'s words, or, when it or a folder above it is a file,
    which one (makedirs says "File exists" of it, open "Not a directory")."""
    if isinstance(e, (FileExistsError, NotADirectoryError)):
        blocker = not_a_directory(folder)
        if blocker is not None:
            return f'{blocker} is not a directory'
    return e.strerror or str(e)


def nearest(folder: str) -> str:
    """The nearest of ``folder`` and the folders above it that exists (as
    a name: it may be a file, or a dangling symlink); '' for a relative
    name none of whose parts exist. Named as ``folder`` is."""
    while folder and not os.path.lexists(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            return ''
        folder = parent
    return folder


def not_a_directory(folder: str) -> str | None:
    """``nearest(folder)``, if it is not a directory; None if it is one."""
    found = nearest(folder)
    return None if not found or os.path.isdir(found) else found


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it
    (``os.umask`` sets one to read it: a git started meanwhile by another
    thread would get it). Read at each write, not kept: a few dozen
    microseconds, and the umask is the process's to change."""
    try:
        with open('/proc/self/status', encoding='ascii', errors='replace') as f:
            for line in f:
                if line.startswith('Umask:'):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def remove(path: str) -> None:
    """Remove ``path`` if it exists (an earlier run's output that would
    otherwise pass for this run's)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise UserError(f'cannot remove {path}: {e.strerror}')


def _write(f: TextIO, text: str | Iterable[str]) -> None:
    if isinstance(text, str):
        f.write(text)
        return
    for piece in text:
        f.write(piece)


# The report is held in memory up to this size, then in a temporary file:
# a large change's JSON report (hundreds of MB for 200,000 files) must not
# be held whole, and most reports are far below it.
SPOOL_MAX = 8 << 20


def emit(
    text: str | Iterable[str],
    output: str | None,
    directory: str | None = None,
    stdout: TextIO | None = None,
) -> None:
    """The report (or its pieces) on ``stdout`` (default sys.stdout) when
    ``output`` is None or ``-``, else written to ``output`` atomically
    (relative to ``directory``).

    stdout gets all of it or nothing: the pieces are rendered into a
    spooled temporary file (memory, then disk past SPOOL_MAX) and copied
    to stdout only once rendering has succeeded, so that a failure midway
    leaves no half report for a reader to take for a whole one."""
    if output is not None and output != '-':
        write_atomic(os.path.join(directory or '.', output), text)
        return
    import sys

    target = sys.stdout if stdout is None else stdout
    if isinstance(text, str):
        _to_stdout(target, lambda: target.write(text))
        return
    import shutil
    import tempfile

    with tempfile.SpooledTemporaryFile(
        SPOOL_MAX, mode='w+', encoding='utf-8', errors='surrogateescape', newline=''
    ) as spool:
        _write(spool, text)  # type: ignore[arg-type]
        spool.seek(0)
        _check_encodable(target, iter(lambda: spool.read(1 << 20), ''))
        spool.seek(0)
        _to_stdout(target, lambda: shutil.copyfileobj(spool, target))


def _encoding(target: TextIO) -> str:
    import codecs

    name = getattr(target, 'encoding', None) or 'utf-8'
    try:
        return codecs.lookup(name).name
    except LookupError:  # pragma: no cover  (Python opened the stream with it)
        return name


def _check_encodable(target: TextIO, chunks: Iterable[str]) -> None:
    """Refuse, before anything is written, a report that ``target``'s
    encoding cannot hold (``PYTHONIOENCODING=ascii``, a Windows code page):
    the copy goes a piece at a time, and a piece that fails would leave the
    pieces before it on stdout. UTF-8 holds every report."""
    import codecs

    encoding = _encoding(target)
    if encoding == 'utf-8':
        return
    encoder = codecs.getincrementalencoder(encoding)(getattr(target, 'errors', None) or 'strict')
    try:
        for chunk in chunks:
            encoder.encode(chunk)
    except UnicodeEncodeError:
        raise UserError(_unencodable(encoding))


def _unencodable(encoding: str) -> str:
    return (
        f'cannot write the report to stdout: its encoding ({encoding}) cannot hold '
        'its text (set PYTHONIOENCODING=utf-8)'
    )


def _to_stdout(target: TextIO, write: Callable[[], object]) -> None:
    """``write`` and flush: stdout that cannot take the report (``> /dev/full``,
    an encoding without its characters) is the user's to fix, as
    ``--output /dev/full`` is; a reader that went away (BrokenPipeError) is
    left to the caller."""
    try:
        write()
        target.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        raise UserError(f'cannot write the report to stdout: {e.strerror or e}')
    except UnicodeEncodeError:
        # A whole text is encoded before any of it is written.
        raise UserError(_unencodable(_encoding(target)))


def escaped(text: str, target: TextIO) -> str:
    """``text`` as ``target``'s encoding can hold it: what it cannot (a
    path's ``é`` on an ASCII stdout, a byte of a path that is not UTF-8) is
    escaped (``\\xe9``), as Python escapes it on stderr. For messages to a
    person, never for the report, which ``emit`` refuses to write rather
    than write altered."""
    encoding = _encoding(target)
    return text.encode(encoding, 'backslashreplace').decode(encoding)


def say(text: str, target: TextIO | None = None) -> None:
    """Write ``text``, a message for a person, to ``target`` (default
    sys.stdout) through ``escaped``, and flush."""
    import sys

    stream = sys.stdout if target is None else target
    stream.write(escaped(text, stream))
    stream.flush()


class Escaping(io.TextIOBase):
    """A stream that writes to ``target`` through ``escaped``: where the
    messages meant for stderr go when they are shown on stdout."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self._target = target

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._target.write(escaped(text, self._target))
        return len(text)

    def flush(self) -> None:
        self._target.flush()
