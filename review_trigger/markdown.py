"""Putting untrusted text into markdown so it stays text.

Everything taken from the change under review (paths, dependency names,
commit messages) goes through ``code`` or ``fence``: inside code formatting
GitHub renders no HTML, no links and no @mentions, and the delimiters are
chosen longer than any backtick run in the text so it cannot close them.
Control and bidirectional-format characters are shown escaped, so a path
with a newline or a right-to-left override is displayed exactly.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

_TICKS = re.compile(r'`+')
# The characters ``_visible`` may change: everything but the tab, the line
# break and printable ASCII (no control or format character is among
# those), in runs, so ASCII text is looked at by one regex search and not a
# character at a time (a 2 MB prompt took 2.4 s a character at a time).
_MAYBE_SHOWN = re.compile('[^\t\n\x20-\x7e]+')


@functools.lru_cache(maxsize=4096)
def _visible(ch: str) -> str:
    if ch in '\t' or unicodedata.category(ch) not in ('Cc', 'Cf', 'Zl', 'Zp', 'Cs'):
        return ch
    code = ord(ch)
    if ch == '\n':
        return '\\n'
    if ch == '\r':
        return '\\r'
    return f'\\x{code:02x}' if code < 0x100 else f'\\u{code:04x}'


def visible(text: str, tabs: bool = False) -> str:
    """``text`` with control/format characters escaped (and backslashes too,
    when anything was escaped, so the escaped form is unambiguous); with
    ``tabs``, a tab too (in a file name it would look like a space)."""
    if '\n' not in text and not (tabs and '\t' in text) and _escaped(text) == text:
        return text
    one = _line_char if tabs else _visible
    return '"' + ''.join('\\\\' if c == '\\' else '\\"' if c == '"' else one(c) for c in text) + '"'


_NOT_PRINTABLE = re.compile('[^\x20-\x7e]+')


def visible_line(text: str) -> str:
    """``text`` on one line: control and format characters (a newline, a
    tab) escaped, unquoted, for a one-line message."""
    return _NOT_PRINTABLE.sub(lambda run: ''.join(_line_char(c) for c in run.group()), text)


def _line_char(ch: str) -> str:
    return '\\t' if ch == '\t' else _visible(ch)


def _escaped(text: str) -> str:
    """``text`` with every character but the line break through ``_visible``."""
    return _MAYBE_SHOWN.sub(lambda run: ''.join(map(_visible, run.group())), text)


def _longest_tick_run(text: str) -> int:
    return max((len(m) for m in _TICKS.findall(text)), default=0)


def code(text: str) -> str:
    """An inline code span that shows ``text`` exactly and cannot be escaped."""
    text = visible(text, tabs=True)
    ticks = '`' * (_longest_tick_run(text) + 1)
    if text.startswith(('`', ' ')) or text.endswith(('`', ' ')) or not text:
        text = f' {text} '
    return f'{ticks}{text}{ticks}'


def cell(text: str) -> str:
    """``code(text)`` for a cell of a GFM table: a table splits its rows at
    every ``|`` not escaped, inside code spans too, and shows ``\\|`` in
    a cell as ``|``."""
    return code(text).replace('|', '\\|')


def fence(text: str, info: str = 'text') -> str:
    """A fenced code block holding ``text`` as data."""
    text = _escaped(text)
    ticks = '`' * max(3, _longest_tick_run(text) + 1)
    return f'{ticks}{info}\n{text}\n{ticks}'


_PLAIN = re.compile(r'[A-Za-z0-9][A-Za-z0-9 .,()/-]*')


def text(value: str) -> str:
    """``value`` as plain words when it is only letters, digits, spaces and
    harmless punctuation (a model name: ``Claude Opus 4.8``), else as a
    code span: configuration text takes the same safe path as the change's."""
    if _PLAIN.fullmatch(value) and '  ' not in value and len(value) <= 200:
        return value
    return code(value)


# -- reading fenced code blocks (CommonMark's rules, at the top level) ----------

# An opening fence: up to three spaces, then three or more backticks or
# tildes and the info string. A closing one: the same character, at least
# as many, and nothing but blanks after.
_FENCE_OPEN = re.compile(r'( {0,3})(`{3,}|~{3,})(.*)$')


class Fenced(NamedTuple):
    start: int  # the index of the opening fence's line
    end: int  # the index of the closing fence's line; len(lines) when unclosed
    info: str  # the info string, stripped
    body: str  # the lines between the fences
    closed: bool


def fenced_blocks(lines: Sequence[str]) -> list[Fenced]:
    """The top-level fenced code blocks of ``lines``, as CommonMark reads
    them: a fence inside another is its content, a backtick fence's info
    string holds no backtick, the closing run is at least as long as the
    opening, and an unclosed block runs to the end."""
    found: list[Fenced] = []
    i, n = 0, len(lines)
    while i < n:
        m = _FENCE_OPEN.match(lines[i])
        if m is None or (m[2][0] == '`' and '`' in m[3]):
            i += 1
            continue
        char, length, indent = m[2][0], len(m[2]), len(m[1])
        closing = re.compile(rf' {{0,3}}{re.escape(char)}{{{length},}}[ \t]*$')
        j = i + 1
        while j < n and not closing.match(lines[j]):
            j += 1
        body = [_dedent(line, indent) for line in lines[i + 1 : j]]
        found.append(Fenced(i, j, m[3].strip(), '\n'.join(body), j < n))
        i = j + 1
    return found


def _dedent(line: str, indent: int) -> str:
    """A fenced line with up to ``indent`` leading spaces taken off, as the
    opening fence's indentation is."""
    k = 0
    while k < indent and k < len(line) and line[k] == ' ':
        k += 1
    return line[k:]
