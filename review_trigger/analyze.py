"""The engine: resolve what to analyse, read it once, run every trigger."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from review_trigger import git
from review_trigger.change import (
    INDEX,
    Change,
    Commit,
    FileChange,
    Finding,
    Hit,
    Range,
    Suppression,
)
from review_trigger.config import Config
from review_trigger.errors import UserError
from review_trigger.scan import LineRule, scan_files
from review_trigger.triggers import REGISTRY, Trigger
from review_trigger.triggers._base import Settings, spec

_PY_DEF = re.compile(r'^(?:async[ \t]+def|def|class)[ \t]+([A-Za-z_][A-Za-z0-9_]*)', re.M)
MAX_DEFINITIONS = 8
_BATCH_BYTES = 1 << 20


def definitions(repo: git.Repo, files: Sequence[FileChange],
                max_bytes: int) -> dict[str, tuple[str, ...]]:
    """The top-level classes and functions of the new Python files among
    ``files`` (those that were scanned: not generated, excluded or too
    large), up to MAX_DEFINITIONS each."""
    wanted = {
        f.new_blob: f.path for f in files
        if f.is_new and f.path.endswith('.py') and f.new_blob is not None
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
    triggers: dict[str, Trigger]    # every trigger that ran, by id


def resolve_range(
        repo: git.Repo, *, since: str | None = None, base: str | None = None,
        head: str | None = None,
) -> Range:
    """The Range for --staged (no arguments), --since REV or --base/--head."""
    if since is not None:
        if head is not None:
            raise UserError('--head goes with --base, not --since')
        to = git.resolve(repo, 'HEAD')
        frm = git.merge_base(repo, git.resolve(repo, since), to)
        return Range('since', frm, to, f'{since}..HEAD')
    if base is not None:
        to = git.resolve(repo, head or 'HEAD')
        frm = git.merge_base(repo, git.resolve(repo, base), to)
        return Range('pr', frm, to, f'{base}...{head or "HEAD"}')
    if head is not None:
        raise UserError('--head needs --base')
    return Range('staged', git.head(repo), INDEX, 'staged changes')


def enabled_triggers(config: Config) -> list[tuple[Trigger, Settings]]:
    """Built-in triggers that are enabled, then the custom ones."""
    from review_trigger.triggers import custom
    out = [
        (t, config.triggers[tid]) for tid, t in REGISTRY.items()
        if config.triggers.get(tid, {}).get('enabled', True)
    ]
    out += [(custom.make(settings), settings) for settings in config.custom_triggers]
    return out


def analyze(repo: git.Repo, rng: Range, config: Config) -> Analysis:
    triggers = enabled_triggers(config)
    rules: list[LineRule] = []
    for t, settings in triggers:
        rules.extend(t.line_rules(settings))
    generated = spec(config.generated)
    excluded = spec(config.exclude)
    # Each file's flags are computed once, when its patch starts (its line
    # counts come at its end).
    flagged: dict[str, tuple[bool, bool]] = {}

    def flags(f: FileChange) -> tuple[bool, bool]:
        return generated.match_file(f.path), excluded.match_file(f.path)

    def want_content(f: FileChange) -> bool:
        is_generated, is_excluded = flagged[f.path] = flags(f)
        return not (is_generated or is_excluded or f.submodule
                    or f.status == 'deleted') and (
            bool(rules) or f.path.endswith('.py'))

    files: list[FileChange] = []
    hits: list[Hit] = []
    suppressions: list[Suppression] = []
    notes: list[str] = []
    # Files are scanned many at a time (up to about _BATCH_BYTES of added
    # text), in order, with their notes in order.
    batch: list[tuple[FileChange, bool, git.AddedLines]] = []
    batch_bytes = 0

    def flush() -> None:
        scanned = scan_files(
            [(f.path, added) for f, _, added in batch if added], rules,
        )
        results = iter(scanned)
        for f, skipped, added in batch:
            if skipped:
                notes.append(
                    f'{f.path}: more than {config.max_scan_bytes} bytes added, '
                    f'listed but not scanned for content',
                )
            if not added:
                continue
            result = next(results)
            hits.extend(result.hits)
            suppressions.extend(result.suppressions)
            notes.extend(result.notes)
        batch.clear()

    head = None if rng.head == INDEX else rng.head
    for fd in git.stream_diff(
            repo, rng.base, head, want_content=want_content,
            max_bytes=config.max_scan_bytes,
    ):
        known = flagged.pop(fd.change.path, None)
        is_generated, is_excluded = known if known is not None else flags(fd.change)
        f = fd.change._replace(generated=is_generated, excluded=is_excluded)
        files.append(f)
        if not (fd.skipped or fd.added):
            continue
        batch.append((f, fd.skipped, fd.added))
        batch_bytes += len(fd.added.text)
        if batch_bytes >= _BATCH_BYTES:
            flush()
            batch_bytes = 0
    flush()

    top_cache: list[frozenset[str]] = []

    def base_top_level() -> frozenset[str]:
        if not top_cache:
            top_cache.append(git.top_level_names(repo, rng.base))
        return top_cache[0]

    change = Change(
        rng, tuple(files), tuple(hits), tuple(suppressions),
        lambda listed: definitions(repo, listed, config.max_scan_bytes),
        tuple(notes), lambda sha: git.read_blob(repo, sha), base_top_level,
    )
    findings = []
    for t, settings in triggers:
        found = t.check(change, settings)
        if found is not None:
            findings.append(found)
    commits: tuple[Commit, ...] = ()
    if rng.head != INDEX:
        commits = tuple(git.commits(repo, rng.base, rng.head))
    return Analysis(change, tuple(findings), commits, {t.id: t for t, _ in triggers})
