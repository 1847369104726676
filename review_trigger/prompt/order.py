"""Most important first: the order of every file list in the prompt.

A reviewer (and a cap of 25 files) must meet the code a rule fired on
before the 40 translated documents a path word matched: code with content
hits, then code the paths name, then configuration with content hits,
then tests, then documents, then everything else. Binary files are never
files to review: they are listed once, under "What changed".
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Literal

from review_trigger.change import FileChange

Kind = Literal['code', 'test', 'doc', 'other', 'generated', 'binary']

CODE_EXTENSIONS = frozenset(
    (
        'py',
        'pyi',
        'pyx',
        'js',
        'jsx',
        'mjs',
        'cjs',
        'ts',
        'tsx',
        'mts',
        'cts',
        'go',
        'rs',
        'java',
        'kt',
        'kts',
        'scala',
        'groovy',
        'rb',
        'php',
        'cs',
        'fs',
        'vb',
        'c',
        'h',
        'cc',
        'cpp',
        'cxx',
        'hpp',
        'hh',
        'm',
        'mm',
        'swift',
        'dart',
        'ex',
        'exs',
        'erl',
        'hrl',
        'clj',
        'cljs',
        'lua',
        'pl',
        'pm',
        'r',
        'jl',
        'sh',
        'bash',
        'zsh',
        'fish',
        'ps1',
        'psm1',
        'sql',
        'vue',
        'svelte',
        'astro',
        'elm',
        'hs',
        'ml',
        'mli',
        'nim',
        'zig',
        'sol',
        'tf',
        'hcl',
        'nix',
        'gradle',
        'cmake',
        'proto',
        'graphql',
        'gql',
    )
)
DOC_EXTENSIONS = frozenset(
    (
        'md',
        'markdown',
        'mdx',
        'rst',
        'adoc',
        'asciidoc',
        'txt',
        'org',
        'tex',
        'ipynb',
        'rdoc',
        'pod',
    )
)
# Binary files that are assets, not code the scan could not read.
ASSET_EXTENSIONS = frozenset(
    (
        'png',
        'jpg',
        'jpeg',
        'gif',
        'bmp',
        'ico',
        'icns',
        'webp',
        'avif',
        'tif',
        'tiff',
        'psd',
        'woff',
        'woff2',
        'ttf',
        'otf',
        'eot',
        'mp3',
        'mp4',
        'wav',
        'ogg',
        'webm',
        'mov',
        'avi',
        'flac',
        'pdf',
        'heic',
    )
)
_TEST_DIRS = frozenset(
    ('test', 'tests', '__tests__', 'spec', 'specs', 'testdata', 'testing', 'fixtures', 'e2e', '__mocks__')
)
_TEST_NAME = re.compile(
    r'(^test_.*|.*_test\.\w+$|.*[._-](test|spec)\.\w+$|.*Tests?\.(java|kt|cs|swift|scala)$)',
)
_DOC_DIRS = frozenset(('doc', 'docs', 'documentation', 'i18n', 'locale', 'locales'))


def extension(path: str) -> str:
    base = posixpath.basename(path)
    return base.rpartition('.')[2].lower() if '.' in base.lstrip('.') else ''


def kind(f: FileChange) -> Kind:
    if f.binary:
        return 'binary'
    if f.generated:
        return 'generated'
    return path_kind(f.path)


# A pure function of the path, asked for every file of a change several
# times (each list of the prompt is sorted by it): remembered for the
# process. Not in a bounded cache: the lists are walked in the same order,
# so a change of more paths than the bound missed every time (measured: no
# hit at all in four walks over 100,000 paths with room for 65,536, and
# three times the time); an entry is a few dozen bytes of a path's.
@functools.cache
def path_kind(path: str) -> Kind:
    head, _, base = path.rpartition('/')
    test_dir, doc_dir = _folder_kind(head)
    # Every name _TEST_NAME matches holds one of these: the regex, whose
    # '.*' tries every start, is run only on such names (of 20,000 paths,
    # 17 ms for the regex alone against 2 ms for the words).
    if test_dir or (('test' in base or 'Test' in base or 'spec' in base) and _TEST_NAME.match(base)):
        return 'test'
    ext = base.rpartition('.')[2].lower() if '.' in base.lstrip('.') else ''
    if ext in DOC_EXTENSIONS:
        return 'doc'
    if ext in CODE_EXTENSIONS:
        # Code samples in documentation folders are documentation.
        return 'doc' if doc_dir else 'code'
    return 'other'


@functools.cache  # a folder's path: the files of a change share a few
def _folder_kind(head: str) -> tuple[bool, bool]:
    """Whether a folder is in a test folder, and in a documentation one
    (its parts lower-cased at once: '/' is no letter)."""
    dirs = head.lower().split('/') if head else ()
    return not _TEST_DIRS.isdisjoint(dirs), not _DOC_DIRS.isdisjoint(dirs)


def unscanned(f: FileChange) -> bool:
    """A binary file that is not an image, font or other media: its
    content could not be scanned, and it may be code in disguise."""
    return (
        f.binary and not f.submodule and f.status != 'deleted' and extension(f.path) not in ASSET_EXTENSIONS
    )


_GROUP: dict[Kind, int] = {'code': 0, 'test': 3, 'doc': 4, 'other': 5, 'generated': 6, 'binary': 7}


def rank(k: Kind, hit: bool, named: bool = True) -> tuple[int, int, int]:
    """The sort key of a file of kind ``k``: lower is more important."""
    group = _GROUP[k]
    if k == 'other' and hit:
        group = 2  # a credential in a settings file
    elif k == 'code' and not hit:
        group = 1
    return group, 0 if hit else 1, 0 if named else 1


# rank() of every kind, hit or not, named or not: the lists of a change of
# thousands of files are sorted by a lookup, not by calls (on 22,000 new
# files the keys were most of the prompt's time).
_RANKS = {
    (k, hit, named): rank(k, hit, named) for k in _GROUP for hit in (False, True) for named in (False, True)
}


def ordered(
    files: Sequence[FileChange], hit: Collection[str], named: Collection[str] = ()
) -> list[FileChange]:
    """``files``, most important first (git's order within a rank)."""
    every = not named
    ranks = _RANKS

    def key(f: FileChange) -> tuple[int, int, int]:
        # kind(f), inlined.
        k = 'binary' if f.binary else 'generated' if f.generated else path_kind(f.path)
        return ranks[k, f.path in hit, every or f.path in named]

    return sorted(files, key=key)


def ordered_paths(paths: Iterable[str], by_path: dict[str, FileChange], hit: Collection[str]) -> list[str]:
    """``paths`` (of one concern), most important first."""
    get = by_path.get
    ranks = _RANKS

    def key(p: str) -> tuple[int, int, int]:
        f = get(p)
        # kind(f), inlined (for a path not in the change, its path's kind).
        if f is not None and (f.binary or f.generated):
            k: Kind = 'binary' if f.binary else 'generated'
        else:
            k = path_kind(p)
        return ranks[k, p in hit, True]

    return sorted(dict.fromkeys(paths), key=key)
