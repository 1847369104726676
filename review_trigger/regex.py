"""A content rule's regex, compiled when it is first searched with.

The default rules are many and some are large: compiling them all took
67 ms, a third of a hook's run on a commit of ten files, where such a
change holds the literals of a few of them (``scan``). A ``Regex`` holds a
rule's source and the flags that ``re.compile`` would give it; a search
compiles it then, once a process (``functools.cache``, on the source and
flags). What only reads a rule (its prefilter superset, its necessary
literals, their memo) never compiles it.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from typing import NamedTuple, Protocol


class Source(Protocol):
    """What reads a regex without searching with it: a ``Regex`` or a
    compiled ``re.Pattern``."""

    @property
    def pattern(self) -> str: ...

    @property
    def flags(self) -> int: ...

    def __hash__(self) -> int: ...


class Regex(NamedTuple):
    pattern: str
    flags: int  # what ``re.compile(pattern, flags).flags`` says

    @property
    def compiled(self) -> re.Pattern[str]:
        return _compile(self.pattern, self.flags)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return _compile(self.pattern, self.flags).search(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return _compile(self.pattern, self.flags).finditer(string, pos, endpos)


def regex(pattern: str, flags: int = 0) -> Regex:
    """``pattern`` with ``flags``, to be compiled when first searched with.

    The flags a compiled regex reports are the given ones, with any global
    inline flags (``(?i)`` groups at its start), and re.UNICODE unless
    re.ASCII. Under re.VERBOSE whitespace and comments may come before
    such a group: a verbose regex that holds one is compiled now, for its
    flags. A regex that is not valid raises when first searched with; a
    configured one is checked when the configuration is read
    (``config.check_regex``)."""
    flags = int(flags)
    pos = 0
    while m := _GLOBAL_FLAGS.match(pattern, pos):
        for letter in m[1]:
            flags |= int(_FLAG[letter])
        pos = m.end()
    if flags & re.VERBOSE and '(?' in pattern[pos:]:
        return Regex(pattern, _compile(pattern, flags).flags)
    if not flags & re.ASCII:
        flags |= re.UNICODE
    return Regex(pattern, int(flags))


_GLOBAL_FLAGS = re.compile(r'\(\?([aiLmsux]+)\)')
_FLAG = {
    'a': re.ASCII,
    'i': re.IGNORECASE,
    'L': re.LOCALE,
    'm': re.MULTILINE,
    's': re.DOTALL,
    'u': re.UNICODE,
    'x': re.VERBOSE,
}


@functools.cache
def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)
