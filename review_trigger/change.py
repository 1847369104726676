"""The records that flow through the analysis: git -> Change -> Finding."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from review_trigger.paths import ChangedPaths

# The git status letters, as the words the report uses.
STATUS = {
    'A': 'added',
    'M': 'modified',
    'D': 'deleted',
    'R': 'renamed',
    'C': 'copied',
    'T': 'type-changed',
    # A merge conflict in the index: no staged content to read.
    'U': 'unmerged',
}

INDEX = 'INDEX'  # the "head" of a staged change
WORKTREE = 'WORKTREE'  # the "head" of the working tree (--worktree)


class Range(NamedTuple):
    """What is analysed: the tree ``base`` against ``head``.

    ``base`` is None before the first commit (the empty tree).
    ``head`` is a commit sha, INDEX for the staged change, or WORKTREE for
    the working tree (then ``tree`` is its snapshot, what is diffed, and
    ``commit`` the commit HEAD was at: the commits base..commit are the
    range's commits).
    """

    mode: str  # 'staged' | 'since' | 'pr' | 'worktree'
    base: str | None
    head: str
    label: str  # for humans: "staged changes", "HEAD~3..HEAD"
    tree: str | None = None
    commit: str | None = None
    # The tree-ish whose configuration is in force, so that the change
    # cannot switch off its own review: in PR mode the base branch's tip
    # (not ``base``, the merge base: the pull request's author picks the
    # fork point, and with it an older configuration); for a coding agent's
    # session, the commit it started at. None: the repository's file as it
    # is now (the user's own run).
    config_base: str | None = None
    # The tree the diff starts from when it is not ``base``'s: a coding
    # agent's session starts from its working tree as it was at the start
    # (work left uncommitted before the session is not the session's), and
    # its commits are still those since ``base``.
    tree_base: str | None = None


class FileChange(NamedTuple):
    path: str
    old_path: str | None
    status: str  # one of STATUS's values
    added_lines: int
    deleted_lines: int
    binary: bool
    old_blob: str | None
    new_blob: str | None
    submodule: bool = False
    # Lock, vendored or generated: never scanned, never word-matched.
    generated: bool = False
    # Taken out of every trigger by the configuration's ``exclude``.
    excluded: bool = False

    @property
    def is_new(self) -> bool:
        # A copy is a new file; a rename is not.
        return self.status in ('added', 'copied')


class Hit(NamedTuple):
    """An added line that matched a content rule."""

    trigger: str
    path: str
    line: int
    rule: str  # the rule's name or the matched keyword, never the text


class Suppression(NamedTuple):
    trigger: str
    path: str
    line: int
    reason: str


class Commit(NamedTuple):
    sha: str
    author: str
    date: str  # ISO 8601
    message: str


class Change(NamedTuple):
    range: Range
    files: tuple[FileChange, ...]
    hits: tuple[Hit, ...]
    suppressions: tuple[Suppression, ...]
    # The names of the top-level classes and functions of the given files
    # (new Python files), read when asked: the prompt lists only some.
    definitions: Callable[[Sequence[FileChange]], dict[str, tuple[str, ...]]]
    notes: tuple[str, ...]
    # Lazy reads of the repository, so triggers stay pure functions of
    # their arguments and tests can pass plain dicts.
    read_blob: Callable[[str], bytes]
    base_top_level: Callable[[], frozenset[str]]
    # The run's index of the paths (what each glob list selects, found once
    # for every trigger); None: the triggers build one.
    paths: ChangedPaths | None = None
    # Files whose added text was more than max_scan_bytes: not scanned.
    unscanned: tuple[str, ...] = ()
    # A hint: these blobs will be read (``read_blob``) soon, so a run may
    # read them in one batch. Nothing else changes.
    prefetch: Callable[[Iterable[str | None]], None] = lambda shas: None


class Detail(NamedTuple):
    """One file a trigger fired on, and why.

    ``why`` is review-trigger's own words; anything taken from the change
    (a dependency name, a directory) goes in ``items`` so it is rendered as
    data, never as markdown.
    """

    path: str
    why: str
    items: tuple[str, ...] = ()


class Finding(NamedTuple):
    """A trigger that fired: its id, why, and the files that made it fire."""

    trigger: str
    reason: str
    details: tuple[Detail, ...]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.path for d in self.details))


# What an Information record says of its file.
InformationKind = Literal['pins-moved']


class Information(NamedTuple):
    """A change a trigger looked at and stayed quiet on by design, listed
    for the reader (a CI pin moved to another version): not a finding, and
    no review is asked for it.

    ``why`` is review-trigger's own words; ``items`` (what moved, ``old ->
    new``) come from the change and are rendered as data.
    """

    trigger: str
    kind: InformationKind
    path: str
    why: str
    items: tuple[str, ...] = ()
