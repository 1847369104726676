"""The one door to git: every git call review-trigger makes goes through
this package, one module a job.

- ``run``: starting git with pinned settings and environment (English
  messages, never prompting, paging or fetching), and its failures as
  UserErrors;
- ``revisions``: opening the repository, resolving revisions and ranges;
- ``diff``: the streaming diff reader (``-z``, NUL-separated, so any file
  name survives);
- ``objects``: blobs, paths at a revision, file lists, commits;
- ``fetch``: what a shallow CI checkout lacks;
- ``worktree``: the working tree's snapshot (a temporary index), and
  what ``--staged`` leaves out.
- ``patch``: the content key of a change (its patch id).
"""

from __future__ import annotations

from review_trigger.git.diff import (
    NO_LINES,
    AddedLines,
    Diff,
    FileDiff,
    Readable,
)
from review_trigger.git.fetch import deepen, fetch, has_commit, has_merge_base
from review_trigger.git.objects import (
    PendingCommits,
    PendingFiles,
    each_blob,
    has_object,
    list_files,
    read_blob,
    read_path,
    read_paths,
)
from review_trigger.git.patch import patch_id
from review_trigger.git.revisions import (
    head,
    is_shallow,
    last_commit,
    merge_base,
    new_side,
    old_side,
    open_repo,
    resolve,
    resolve_range,
    start_range,
)
from review_trigger.git.run import Repo
from review_trigger.git.worktree import snapshot, unstaged_count, worktree_range

__all__ = [
    'NO_LINES',
    'AddedLines',
    'Diff',
    'FileDiff',
    'PendingCommits',
    'PendingFiles',
    'Readable',
    'Repo',
    'deepen',
    'each_blob',
    'fetch',
    'has_commit',
    'has_merge_base',
    'has_object',
    'head',
    'is_shallow',
    'last_commit',
    'list_files',
    'merge_base',
    'new_side',
    'old_side',
    'open_repo',
    'patch_id',
    'read_blob',
    'read_path',
    'read_paths',
    'resolve',
    'resolve_range',
    'start_range',
    'snapshot',
    'unstaged_count',
    'worktree_range',
]
