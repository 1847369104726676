"""``review-trigger hook [--gate]``: the entry point of the pre-commit hooks.

pre-commit runs it with no file names (``pass_filenames: false``): the hook
analyses the whole change itself, and reads what to analyse from the
environment pre-commit sets (pre-commit does not expand ``$VARS`` in
``args``):

- ``PRE_COMMIT_FROM_REF`` and ``PRE_COMMIT_TO_REF`` (a ``pre-push``, or
  ``pre-commit run --from-ref A --to-ref B``): the commits ``A..B``;
- ``PRE_COMMIT_LOCAL_BRANCH`` without them: a push that contains a root
  commit, for which pre-commit sets no refs: the whole pushed history;
- neither: the staged change (``pre-commit``, ``manual``).

The prompt and the JSON report go under the repository's git directory,
never into the work tree (pre-commit would report "files were modified by
this hook"). The informational hook always exits 0; the gate exits 1 while
a trigger fires.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from review_trigger import git
from review_trigger.change import Range
from review_trigger.errors import Exit, UserError, guarded

if TYPE_CHECKING:
    from review_trigger import pipeline
    from review_trigger.review import ledger

PROG = 'review-trigger'
GATE_ID = 'review-trigger-gate'
FOLDER = 'review-trigger'  # under the git directory
PROMPT_FILE = 'prompt.md'
REPORT_FILE = 'report.json'
SUPPRESSION = 'review-trigger: ignore[<trigger-id>] <reason>'

_NULL_SHA = re.compile(r'^0+$')
_FULL_SHA = re.compile(r'^(?:[0-9a-f]{40}|[0-9a-f]{64})$')


def _parser() -> argparse.ArgumentParser:
    from review_trigger.options import Parser, add_analysis_options

    p = Parser(
        prog=f'{PROG} hook',
        description='The pre-commit hook: analyse the staged change (or, in '
        'pre-push, the pushed commits), print a one-line summary '
        'and write the review prompt under the git directory.',
    )
    p.add_argument('--gate', action='store_true', help=f'exit 1 while a trigger fires (the {GATE_ID} hook)')
    add_analysis_options(p)
    # Tolerated and ignored, should a configuration turn pass_filenames on:
    # the hook always analyses the whole change, not a list of files.
    p.add_argument('files', nargs='*', help=argparse.SUPPRESS)
    return p


def is_push(environ: Mapping[str, str]) -> bool:
    """Whether pre-commit runs us from a pre-push hook."""
    return bool(environ.get('PRE_COMMIT_REMOTE_NAME') or environ.get('PRE_COMMIT_LOCAL_BRANCH'))


def _label(ref: str) -> str:
    return ref[:12] if _FULL_SHA.match(ref) else ref


def hook_range(repo: git.Repo, environ: Mapping[str, str]) -> Range | None:
    """The commits pre-commit hands the hook, or None for the staged change."""
    frm = environ.get('PRE_COMMIT_FROM_REF', '').strip()
    to = environ.get('PRE_COMMIT_TO_REF', '').strip()
    if frm and to:
        head = git.resolve(repo, to)
        base: str | None = None
        if not _NULL_SHA.match(frm):
            old = git.resolve(repo, frm)
            try:
                base = git.merge_base(repo, old, head)
            except UserError:
                # A forced push of an unrelated history: all of it is new.
                base = None
        return Range('since', base, head, f'{_label(frm)}..{_label(to)}')
    local = environ.get('PRE_COMMIT_LOCAL_BRANCH', '').strip()
    if local:
        # pre-commit sets no refs when the pushed commits include a root
        # commit (the first push of a repository, an orphan branch): every
        # commit reachable from the pushed one is analysed, from the empty
        # tree.
        head = git.resolve(repo, local)
        return Range('since', None, head, _label(local))
    return None


def _shown(path: str) -> str:
    """``path`` relative to the current directory when it is below it."""
    rel = os.path.relpath(path)
    return path if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


def run(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from review_trigger import pipeline
    from review_trigger.output import remove, say, write_atomic

    repo = git.open_repo(None, environ)
    folder = os.path.join(repo.git_dir, FOLDER)
    prompt_path = os.path.join(folder, PROMPT_FILE)
    report_path = os.path.join(folder, REPORT_FILE)
    try:
        outcome = pipeline.run(
            pipeline.Request(
                range=lambda r: hook_range(r, environ) or git.resolve_range(r),
                config_path=args.config,
                session_model=args.session_model,
                reviewer=args.reviewer,
                environ=environ,
            ),
            repo,
        )
        write_atomic(report_path, pipeline.report_chunks(outcome))
    except BaseException:
        # An earlier run's files must not pass for this run's.
        for path in (prompt_path, report_path):
            with contextlib.suppress(OSError):
                os.remove(path)
        raise
    analysis, prompt = outcome.analysis, outcome.prompt
    lines = [pipeline.summary(analysis)]
    if prompt is None:
        # Never leave an earlier run's prompt where this run's would be.
        remove(prompt_path)
        if analysis.findings:
            lines.append(f'{PROG}: no prompt: the configuration skips changes written by a reason-tier model')
    else:
        write_atomic(prompt_path, prompt)
        lines.append(f'prompt: {_shown(prompt_path)}')
    refused = args.gate and prompt is not None
    action = 'push' if is_push(environ) else 'commit'
    if refused:
        from review_trigger import routing
        from review_trigger.review.run import weaker_tier

        reviewed = _reviewed(outcome)
        # The review the gate counts is the strongest model's.
        weaker = None if reviewed is None else weaker_tier(reviewed[0], outcome.config)
        if reviewed is not None and weaker is not None:
            top = routing.table_of(outcome.config).top.id
            lines += [
                f'{GATE_ID}: {action} refused: the review of this content is {_verdict_line(*reviewed)} by '
                f"{reviewed[0].model} (tier {weaker}); the gate counts a {top}-tier model's review",
                f'  review it with one: {PROG} review (or {PROG} review --model MODEL), '
                f'or {action} anyway: SKIP={GATE_ID} git {action} ...',
            ]
        elif reviewed is not None and reviewed[0].passed:
            refused = False
            lines.append(
                f'{GATE_ID}: this content was reviewed: {_verdict_line(*reviewed)}; {action} allowed'
            )
        elif reviewed is not None:
            lines += [
                f'{GATE_ID}: {action} refused: the review of this content is {_verdict_line(*reviewed)}',
                f'  fix the findings (the edited change is reviewed again: '
                f'{PROG} review), or {action} anyway: SKIP={GATE_ID} git {action} ...',
            ]
        else:
            lines += [
                f'{GATE_ID}: {action} refused: review the change with the prompt file above, then either',
                f'  run the review: {PROG} review (or record one done by hand: '
                f'{PROG} review --accept-reviewed ANSWER.md)',
                f'  {action} anyway: SKIP={GATE_ID} git {action} ...',
                f'  or mark each flagged line that is fine as it is: {SUPPRESSION}',
            ]
    # A path in the lines may be one stdout's encoding cannot hold: escaped
    # as on stderr, since pre-commit shows these lines in its place.
    say(''.join(f'{line}\n' for line in lines))
    return Exit.TRIGGERED if refused else Exit.OK


def _reviewed(outcome: pipeline.Outcome) -> tuple[ledger.Record, str] | None:
    """The ledger's review of exactly this content (and its markdown's
    path), or None."""
    from review_trigger.review import ledger
    from review_trigger.review.run import exclude_of

    key = ledger.key_of(
        outcome.repo, outcome.analysis.change.range, outcome.config, exclude_of(outcome.config)
    )
    if key is None:
        return None
    record = ledger.find(outcome.repo, key)
    return None if record is None else (record, ledger.path_of(outcome.repo, key, 'md'))


def _verdict_line(record: ledger.Record, path: str) -> str:
    n = len(record.verdict.findings)
    return f'{record.verdict.status} with {n} finding{"s" if n != 1 else ""} (the review: {_shown(path)})'


def main(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    """The hooks' exit codes, in one place: the gate keeps the common
    policy (1 refused, 2 user error, 3 internal error: it fails closed);
    the informational hook prints what happened and always lets the commit
    or push through."""
    args = _parser().parse_args(argv)
    if args.gate:
        return guarded(lambda: run(args, environ), PROG, environ=environ)
    from review_trigger.output import Escaping

    # pre-commit shows a hook's stdout; the informational hook's errors go
    # there too, so that they are seen (escaped as they would be on stderr).
    with contextlib.redirect_stderr(Escaping(sys.stdout)):
        code = guarded(
            lambda: run(args, environ), PROG, note=' (not blocking: this hook only informs)', environ=environ
        )
    sys.stdout.flush()
    return Exit.INTERRUPTED if code == Exit.INTERRUPTED else Exit.OK
