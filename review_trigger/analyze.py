"""The engine: read the diff once, scan it, run every trigger."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from review_trigger import git, paths
from review_trigger.change import (
    Change,
    Commit,
    FileChange,
    Finding,
    Hit,
    Information,
    Range,
    Suppression,
)
from review_trigger.config import Config
from review_trigger.defaults import MAX_SCAN_BYTES, NEVER_READ
from review_trigger.git.objects import BlobReader
from review_trigger.scan import LineRule, Rules, in_context, scan_files
from review_trigger.triggers import REGISTRY, Trigger
from review_trigger.triggers._base import Settings, blob_lines

_PY_DEF = re.compile(r'^(?:async[ \t]+def|def|class)[ \t]+([A-Za-z_][A-Za-z0-9_]*)', re.M)
MAX_DEFINITIONS = 8
_BATCH_BYTES = 1 << 20


def definitions(repo: git.Repo, files: Sequence[FileChange], max_bytes: int) -> dict[str, tuple[str, ...]]:
    """The top-level classes and functions of the new Python files among
    ``files`` (those that were scanned: not generated, excluded or too
    large), up to MAX_DEFINITIONS each."""
    wanted = {
        f.new_blob: f.path
        for f in files
        if f.is_new
        and f.path.endswith('.py')
        and f.new_blob is not None
        and not (f.binary or f.generated or f.excluded or f.submodule)
    }
    out = {}
    for sha, data in git.each_blob(repo, list(wanted)):
        if len(data) > max_bytes:
            continue
        names = _PY_DEF.findall(data.decode('utf-8', 'replace'))
        if names:
            out[wanted[sha]] = tuple(names[:MAX_DEFINITIONS])
    return out


class Analysis(NamedTuple):
    change: Change
    findings: tuple[Finding, ...]
    commits: tuple[Commit, ...]
    triggers: dict[str, Trigger]  # every trigger that ran, by id
    # What the triggers stayed quiet on by design (a CI pin bump), listed.
    information: tuple[Information, ...] = ()


def enabled_triggers(config: Config) -> list[tuple[Trigger, Settings]]:
    """Built-in triggers that are enabled, then the custom ones."""
    from review_trigger.triggers import custom

    out = [
        (t, config.triggers[tid])
        for tid, t in REGISTRY.items()
        if config.triggers.get(tid, {}).get('enabled', True)
    ]
    out += [(custom.make(settings), settings) for settings in config.custom_triggers]
    return out


class _Scanned(NamedTuple):
    files: list[FileChange]
    hits: list[Hit]
    suppressions: list[Suppression]
    notes: list[str]
    too_large: list[str]  # paths with more added text than max_scan_bytes


def _flags(every: paths.ChangedPaths, config: Config) -> tuple[frozenset[str], frozenset[str]]:
    """The generated and the excluded paths among ``every`` path."""
    return every.select(config.generated), every.select(config.exclude)


def _secret_only(generated: frozenset[str], every: paths.ChangedPaths) -> frozenset[str]:
    """The generated paths still scanned with the secret-shape rules: all
    but lock files and bundles (a vendored or built file can hold a key as
    well as any)."""
    # Selected even when nothing is generated, so that the globs'
    # translations are remembered for a run in which something is.
    never = every.select(NEVER_READ)
    return generated - never


def _scanned(
    f: FileChange,
    generated: frozenset[str],
    excluded: frozenset[str],
    secret_only: frozenset[str] = frozenset(),
) -> bool:
    return not (
        (f.path in generated and f.path not in secret_only)
        or f.path in excluded
        or f.submodule
        or f.status == 'deleted'
    )


def _flagged(f: FileChange, generated: frozenset[str], excluded: frozenset[str]) -> FileChange:
    if f.path in generated or f.path in excluded:
        return f._replace(generated=f.path in generated, excluded=f.path in excluded)
    return f


def _too_large(path: str, config: Config) -> str:
    return f'{path}: more than {config.max_scan_bytes} bytes added, listed but not scanned for content'


# Binary files of these kinds are expected (images, fonts, archives): any
# other binary file (``src/payload.bin``, a ``.py`` with NUL bytes) is named
# in the notes, since its content was not scanned.
_ASSET_EXTENSIONS = frozenset(
    (
        'png',
        'jpg',
        'jpeg',
        'gif',
        'webp',
        'ico',
        'bmp',
        'tif',
        'tiff',
        'avif',
        'icns',
        'woff',
        'woff2',
        'ttf',
        'otf',
        'eot',
        'pdf',
        'mp3',
        'mp4',
        'wav',
        'ogg',
        'webm',
        'mov',
        'avi',
    )
)


def _unmerged_notes(files: Sequence[FileChange]) -> list[str]:
    """The paths a merge left in conflict: the index holds no content for
    them, so what they change was not read (the analysis is incomplete)."""
    return [
        f'{f.path}: unmerged (a merge conflict): its content could not be read, so this '
        f'analysis is incomplete; resolve the conflict and stage the file'
        for f in files
        if f.status == 'unmerged'
    ]


def _binary_notes(files: Sequence[FileChange]) -> list[str]:
    return [
        f'{f.path}: binary content, listed but not scanned for content'
        for f in files
        if f.binary
        and f.new_blob is not None
        and f.status != 'deleted'
        and not (f.generated or f.excluded or f.submodule)
        and f.path.rpartition('.')[2].lower() not in _ASSET_EXTENSIONS
    ]


def _scan(diff: git.Diff, rules: Rules, every: paths.ChangedPaths, config: Config) -> _Scanned:
    """Read the diff file by file; scan the added lines of many files at a
    time (up to about _BATCH_BYTES), in order, with their notes in order."""
    generated, excluded = _flags(every, config)
    secret_only = _secret_only(generated, every)
    secret_rules = Rules([r for r in rules.rules if r.secret], rules.globs, every)
    out = _Scanned([], [], [], [], [])
    batch: list[tuple[FileChange, bool, git.AddedLines]] = []
    batch_bytes = 0

    def flush() -> None:
        # Generated files get the secret-shape rules only: one more scan.
        results = {
            only: iter(
                scan_files(
                    [(f.path, added) for f, _, added in batch if added and (f.path in secret_only) == only],
                    secret_rules if only else rules,
                )
            )
            for only in (False, True)
        }
        for f, skipped, added in batch:
            if skipped:
                out.notes.append(_too_large(f.path, config))
                out.too_large.append(f.path)
            if not added:
                continue
            result = next(results[f.path in secret_only])
            out.hits.extend(result.hits)
            out.suppressions.extend(result.suppressions)
            out.notes.extend(result.notes)
        batch.clear()

    for fd in diff.each_file(
        lambda f: bool(rules.rules) and _scanned(f, generated, excluded, secret_only), config.max_scan_bytes
    ):
        f = _flagged(fd.change, generated, excluded)
        out.files.append(f)
        if not (fd.skipped or fd.added):
            continue
        batch.append((f, fd.skipped, fd.added))
        batch_bytes += fd.added.size
        if batch_bytes >= _BATCH_BYTES:
            flush()
            batch_bytes = 0
    flush()
    return out


class Unsettled(Exception):
    """The range analysed was a guess, and git's answer differs: the
    analysis is to be made again on ``range``."""

    def __init__(self, range: Range) -> None:
        super().__init__(range.label)
        self.range = range


def analyze(
    repo: git.Repo,
    rng: Range,
    config: Config,
    diff: git.Diff | None = None,
    globs: paths.Globs | None = None,
    settle: Callable[[], Range] | None = None,
) -> Analysis:
    """Analyse the range (its diff, if the caller started it already; with
    the run's glob translations and memo, if the caller keeps them).

    ``settle``: ``rng`` is a guess (``git.start_range``), and this call
    waits for git's answer, asked just before the diff's lines are read,
    so that the work before it is done while git walks the history. When
    the answer is another range, ``Unsettled`` names it."""
    # The run's glob translations: those remembered in the git directory,
    # written back if the run made new ones.
    own_globs = globs is None
    if globs is None:
        globs = run_globs(repo)
    own = diff is None
    if diff is None:
        diff = git.Diff(repo, git.old_side(rng), git.new_side(rng))
    # Blobs the triggers read line by line, at most MAX_SCAN_BYTES each,
    # are the ones worth reading ahead.
    blobs = BlobReader(repo, prefetch_blob=MAX_SCAN_BYTES)
    # The commits are read by git while the diff is written and scanned.
    log = git.PendingCommits(repo, rng.base, git.last_commit(rng))
    try:
        return _analyze(repo, rng, config, diff, globs, blobs, log, settle)
    finally:
        if own:
            diff.close()
        blobs.close()
        log.close()
        if own_globs:
            globs.save()


def run_globs(repo: git.Repo) -> paths.Globs:
    """A run's glob translations and memo, read from the git directory
    (``Globs.save`` writes back what the run added)."""
    return paths.Globs(os.path.join(repo.git_dir, 'review-trigger'))


def _analyze(
    repo: git.Repo,
    rng: Range,
    config: Config,
    diff: git.Diff,
    globs: paths.Globs,
    blobs: BlobReader,
    log: git.PendingCommits,
    settle: Callable[[], Range] | None = None,
) -> Analysis:
    triggers = enabled_triggers(config)
    owned: list[LineRule] = []
    for t, settings in triggers:
        owned.extend(t.line_rules(settings))
    every = paths.ChangedPaths(paths.all_paths(diff.files), globs)
    rules = Rules(owned, globs, every)
    if settle is not None and (settled := settle()) != rng:
        raise Unsettled(settled)
    # The base's top-level names: git lists them while the diff is read.
    old = git.old_side(rng)
    top = git.PendingFiles(repo, old, recursive=False) if old is not None else None
    files, hits, suppressions, notes, too_large = _scan(diff, rules, every, config)
    commits: tuple[Commit, ...] = tuple(log.result())
    notes.extend(_binary_notes(files))
    notes.extend(_unmerged_notes(files))
    top_cache: list[frozenset[str]] = []

    def base_top_level() -> frozenset[str]:
        if not top_cache:
            top_cache.append(frozenset(top.result()) if top is not None else frozenset())
        return top_cache[0]

    change = Change(
        rng,
        tuple(files),
        tuple(hits),
        tuple(suppressions),
        lambda listed: definitions(repo, listed, config.max_scan_bytes),
        tuple(notes),
        blobs,
        base_top_level,
        every,
        unscanned=tuple(too_large),
        prefetch=blobs.prefetch,
    )
    # The rules a hit's file decides (``LineRule.context``), on its new version.
    if any(r.context is not None for r in owned):
        scanned = change
        new_blob = {f.path: f.new_blob for f in files}
        change = change._replace(
            hits=tuple(in_context(hits, owned, lambda path: blob_lines(scanned, new_blob.get(path))))
        )
    findings = []
    information: list[Information] = []
    for t, settings in triggers:
        found = t.check(change, settings)
        if found is not None:
            findings.append(found)
        information.extend(t.information(change, settings))
    if top is not None and not top_cache:
        top.close()  # no trigger asked for them
    return Analysis(
        change,
        tuple(findings),
        commits,
        {t.id: t for t, _ in triggers},
        tuple(information),
    )
