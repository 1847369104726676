"""``review-trigger github``: the GitHub Action's logic (action.yml only
installs the package and runs this).

Two modes:

- analyse (the default): read the pull request from the event payload
  (``GITHUB_EVENT_PATH``), fetch what a shallow checkout lacks, analyse
  ``merge-base(base, head)..head``, write the JSON report (with a
  ``pull_request`` key) and the prompt, annotate the triggered files, write
  the job summary, set the step outputs and keep the sticky comment up to
  date;
- ``--from-report FILE`` (a ``workflow_run`` workflow, for forks): take
  from the report a fork's ``pull_request`` run uploaded only the pull
  request's number, check it against the event and the API, and analyse
  that pull request here, reading the git objects fetched from origin (the base
  repository's checkout), as the analyse mode does. The report's triggers
  and prompt are never used: the fork's run may have forged them.

Inputs come from options, else from the environment variables action.yml
sets from its inputs (``INPUT_COMMENT``, ...). A failed comment never fails
the step: the result is in the job summary either way, with a
``::notice::`` (no permission: a fork's read-only token) or a
``::warning::`` (anything else) saying what happened.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO, cast

from review_trigger import git
from review_trigger.change import Range
from review_trigger.errors import UserError, shown
from review_trigger.github import event as ev
from review_trigger.github import workflow
from review_trigger.hosts import _sticky, render

if TYPE_CHECKING:
    from review_trigger.analyze import Analysis
    from review_trigger.review.action import Shown

PROG = 'review-trigger github'
REPORT_FILE = 'report.json'
PROMPT_FILE = 'prompt.md'
REMOTE = 'origin'
FIRST_DEPTH = 50  # commits fetched first, then doubled
DEFAULT_MAX_FETCH_DEPTH = 1000
TRUE = ('true', 'True', 'TRUE')
FALSE = ('false', 'False', 'FALSE')

# Comment failures that mean "not allowed here", not "something broke".
_NO_PERMISSION = frozenset((401, 403, 404))
BAD_TOKEN = (
    'The token is missing, invalid or expired: check the `token` input '
    '(default `${{ github.token }}`) and the secret it names'
)


class Options(NamedTuple):
    path: str
    config: str
    session_model: str
    reviewer: str
    comment: bool
    comment_mode: _sticky.Mode
    fail_on_trigger: bool
    max_fetch_depth: int
    from_report: str
    include_diff: int | None
    token: str
    output_dir: str
    review: bool  # input review
    api_url: str  # GITHUB_API_URL
    max_wait: float  # REVIEW_TRIGGER_MAX_RETRY_WAIT


class Result(NamedTuple):
    """What one run found, in the form both modes share."""

    pr: ev.PullRequest
    ids: tuple[str, ...]
    files: tuple[tuple[str, tuple[str, ...]], ...]
    prompt: str | None
    changed: int
    report_path: str
    review: Shown | None = None  # the review (input review)


def _input(environ: Mapping[str, str], name: str, default: str = '') -> str:
    value = environ.get(f'INPUT_{name}')
    return default if value is None else value.strip()


def _bool(value: str, name: str) -> bool:
    # The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput.
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise UserError(f'input {name} must be true or false, not {value!r}')


def _choice(value: str, name: str, choices: Sequence[str]) -> str:
    # argparse checks the choices of a value given as an option, never of a
    # default, and an INPUT_* value is one.
    if value not in choices:
        raise UserError(f'input {name} must be {" or ".join(choices)}, not {value!r}')
    return value


def _options(argv: Sequence[str], environ: Mapping[str, str]) -> Options:
    from review_trigger.options import Parser

    p = Parser(
        prog=PROG,
        description='The GitHub Action: analyse the pull request of the '
        "event (GITHUB_EVENT_PATH), or the one a fork run's report "
        'names (--from-report). Options default to the '
        'INPUT_* variables action.yml sets.',
    )
    p.add_argument(
        '-C',
        dest='path',
        metavar='DIR',
        default=_input(environ, 'PATH', '.') or '.',
        help='the checked-out repository (input path)',
    )
    p.add_argument(
        '--config',
        default=_input(environ, 'CONFIG'),
        help='configuration file in the repository, read from the base commit (input config)',
    )
    p.add_argument(
        '--session-model',
        default=_input(environ, 'SESSION_MODEL'),
        help='the model that wrote the change (input session-model)',
    )
    p.add_argument(
        '--reviewer', default=_input(environ, 'REVIEWER'), help='the reviewing model (input reviewer)'
    )
    p.add_argument(
        '--comment',
        default=_input(environ, 'COMMENT', 'true') or 'true',
        help='keep a sticky comment on the pull request: true or false (input comment)',
    )
    p.add_argument(
        '--comment-mode',
        default=_input(environ, 'COMMENT_MODE', 'update') or 'update',
        choices=_sticky.MODES,
        help='when no trigger fires any more: update the comment to '
        'say so, or delete it (input comment-mode)',
    )
    p.add_argument(
        '--fail-on-trigger',
        default=_input(environ, 'FAIL_ON_TRIGGER', 'false') or 'false',
        help='exit 1 when a trigger fires (input fail-on-trigger)',
    )
    p.add_argument(
        '--max-fetch-depth',
        default=_input(environ, 'MAX_FETCH_DEPTH', str(DEFAULT_MAX_FETCH_DEPTH)),
        help='how many commits of history to fetch at most into a '
        'shallow clone to find the merge base (input '
        'max-fetch-depth; 0: never fetch)',
    )
    p.add_argument(
        '--from-report',
        default=_input(environ, 'FROM_REPORT'),
        metavar='FILE',
        help='in a workflow_run workflow: analyse the pull request '
        'this report names (only its number is used) and '
        'comment (input from-report)',
    )
    p.add_argument(
        '--output-dir',
        default='',
        metavar='DIR',
        help='where the report and prompt go (default: $RUNNER_TEMP/review-trigger)',
    )
    p.add_argument(
        '--include-diff',
        default=_input(environ, 'INCLUDE_DIFF', 'false'),
        help='append the diff to the prompt: false, true (30000 tokens) '
        'or a token budget (input include-diff)',
    )
    args = p.parse_args(argv)
    include_diff = _include_diff(args.include_diff)
    try:
        depth = int(args.max_fetch_depth)
    except ValueError:
        depth = -1
    if depth < 0:
        raise UserError(
            f'input max-fetch-depth must be a whole number >= 0, not {args.max_fetch_depth!r}',
        )
    comment_mode = cast(_sticky.Mode, _choice(args.comment_mode, 'comment-mode', _sticky.MODES))
    try:
        max_wait = _sticky.max_wait_of(environ)
    except ValueError as e:
        raise UserError(str(e)) from None
    output_dir = args.output_dir or os.path.join(
        environ.get('RUNNER_TEMP') or tempfile.gettempdir(),
        'review-trigger',
    )
    return Options(
        path=args.path,
        config=args.config,
        session_model=args.session_model,
        reviewer=args.reviewer,
        comment=_bool(args.comment, 'comment'),
        comment_mode=comment_mode,
        fail_on_trigger=_bool(args.fail_on_trigger, 'fail-on-trigger'),
        max_fetch_depth=depth,
        from_report=args.from_report,
        include_diff=include_diff,
        # Never an option: a token on a command line is visible to others.
        token=environ.get('INPUT_TOKEN', '').strip(),
        output_dir=output_dir,
        review=_bool(_input(environ, 'REVIEW', 'false') or 'false', 'review'),
        api_url=workflow.api_url(environ),
        max_wait=max_wait,
    )


def _include_diff(value: str) -> int | None:
    if value in FALSE or value == '':
        return None
    if value in TRUE:
        return 30_000
    if value.isdigit() and int(value) >= 1000:
        return int(value)
    raise UserError(
        f'input include-diff must be true, false or a token budget of at least 1000, not {value!r}'
    )


def main(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    out = sys.stdout
    try:
        opts = _options(argv, environ)
        if opts.from_report:
            result = _from_report(opts, environ, out)
        else:
            result = _analyse(opts, environ, out)
    except UserError as e:
        # The common handler prints the one line to stderr and exits 2; the
        # job summary and an annotation make it visible on the pull request.
        # As the one line is: masked, on one line (errors.shown).
        _error_summary(shown(str(e)), environ, out)
        raise
    except Exception as e:
        # A bug: exit 3 from the common handler, and visible here too (only
        # the exception's type: its text may quote the change).
        _error_summary(f'internal error ({type(e).__name__}), please report it', environ, out)
        raise
    return 1 if result.ids and opts.fail_on_trigger else 0


def _error_summary(message: str, environ: Mapping[str, str], out: TextIO) -> None:
    from review_trigger.markdown import fence

    workflow.annotate(out, 'error', message, title='review-trigger')
    try:
        workflow.append_summary(
            f'## review-trigger: error\n\n{fence(message)}\n',
            environ,
        )
    except OSError:
        pass


# -- analyse -----------------------------------------------------------------


def _analyse(opts: Options, environ: Mapping[str, str], out: TextIO) -> Result:
    event_name = environ.get('GITHUB_EVENT_NAME', '')
    payload = _event_payload(environ)
    pr = ev.pull_request_of(payload, event_name)
    return _analyse_pr(opts, environ, out, pr, reviewing=opts.review)


def _analyse_pr(
    opts: Options,
    environ: Mapping[str, str],
    out: TextIO,
    pr: ev.PullRequest,
    *,
    reviewing: bool,
    annotate: bool = True,
    lines: Sequence[str] = (),
    verify: Callable[[], str | None] | None = None,
) -> Result:
    """Analyse pull request ``pr`` reading git objects only (its base and head
    commits, fetched from origin if the checkout lacks them), with the base
    tip's configuration, and finish: report, summary, outputs, comment."""
    from review_trigger import pipeline
    from review_trigger.output import write_atomic

    try:
        repo = git.open_repo(opts.path, environ)
    except UserError as e:
        raise UserError(f'{e}: check the repository out first (actions/checkout)') from None
    ensure_history(repo, pr.base_sha, pr.head_sha, limit=opts.max_fetch_depth, log=lambda m: _log(out, m))

    def pr_range(repo: git.Repo) -> Range:
        rng = git.resolve_range(repo, base=pr.base_sha, head=pr.head_sha)
        return rng._replace(label=_label(pr))

    outcome = pipeline.run(
        pipeline.Request(
            range=pr_range,
            config_path=opts.config or None,
            session_model=opts.session_model or None,
            reviewer=opts.reviewer or None,
            include_diff=opts.include_diff
            if opts.include_diff is not None
            else (30_000 if reviewing else None),
            environ=environ,
        ),
        repo,
    )
    review = None
    if reviewing:
        from review_trigger.review import action as review_action

        review = review_action.run(
            outcome,
            {
                k: _input(environ, k)
                for k in ('REVIEW', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'REVIEW_MODEL')
            },
            environ,
            opts.api_url,
            opts.token,
            pr.repository,
            pr.head_sha,
            lambda m: _log(out, m),
        )
    analysis, prompt = outcome.analysis, outcome.prompt
    report_path = os.path.join(opts.output_dir, REPORT_FILE)
    write_atomic(report_path, pipeline.report_chunks(outcome, {'pull_request': pr.as_json()}))
    result = Result(
        pr=pr,
        ids=outcome.fired,
        files=_files(analysis),
        prompt=prompt,
        changed=len(analysis.change.files),
        report_path=report_path,
        review=review,
    )
    print(pipeline.summary(analysis), file=sys.stderr)
    _finish(
        opts,
        environ,
        out,
        result,
        [*lines, *_analysed_lines(analysis, analysis.change.range)],
        report_where=REPORT_WHERE,
        annotate=annotate,
        verify=verify,
    )
    return result


def _event_payload(environ: Mapping[str, str]) -> Any:
    path = environ.get('GITHUB_EVENT_PATH', '')
    if not path:
        raise UserError(
            'GITHUB_EVENT_PATH is not set: `review-trigger github` runs inside '
            'GitHub Actions (use `review-trigger --base REV` elsewhere)',
        )
    return ev.read_json(path, ev.MAX_EVENT_BYTES, 'event payload')


def _label(pr: ev.PullRequest) -> str:
    base = pr.base_ref or pr.base_sha[:12]
    head = pr.head_ref or pr.head_sha[:12]
    return f'#{pr.number} {base}...{head}'


def _files(analysis: Analysis) -> tuple[tuple[str, tuple[str, ...]], ...]:
    by_file: dict[str, list[str]] = {}
    for f in analysis.findings:
        for path in f.files:
            by_file.setdefault(path, []).append(f.trigger)
    return tuple((p, tuple(t)) for p, t in by_file.items())


def _analysed_lines(analysis: Analysis, rng: Range) -> list[str]:
    from review_trigger.markdown import code

    n = len(analysis.change.files)
    k = len(analysis.commits)
    assert rng.base is not None
    what = (
        f'{n:,} changed file{"s" if n != 1 else ""} in '
        f'{k:,} commit{"s" if k != 1 else ""} '
        f'({code(rng.base[:12])}...{code(rng.head[:12])})'
    )
    if not analysis.findings:
        return [
            f"Analysed {what}: none needs the strongest model's review.",
            *render.information_lines(analysis.information),
        ]
    lines = [f'Analysed {what}.', '']
    for f in analysis.findings:
        title = analysis.triggers[f.trigger].title
        lines.append(
            f'- {code(f.trigger)} ({title}): {len(f.files):,} file{"s" if len(f.files) != 1 else ""}'
        )
    return lines + render.information_lines(analysis.information)


REPORT_WHERE = (
    "in the `prompt` field of the JSON report (the action's `report` "
    'output), when the workflow keeps it with `actions/upload-artifact`'
)


# -- shallow clones ------------------------------------------------------------


def ensure_history(
    repo: git.Repo,
    base: str,
    head: str,
    *,
    limit: int,
    remote: str = REMOTE,
    log: Callable[[str], None] = lambda m: None,
) -> int:
    """Make sure ``base``, ``head`` and a merge base of them are present,
    fetching from ``remote`` what a shallow checkout lacks: the two commits
    ``FIRST_DEPTH`` deep, then ``git fetch --deepen`` with doubling steps,
    up to ``limit`` commits in all. A full clone is never made shallow.
    Returns how many commits deep it fetched (0: nothing was needed).
    """
    wanted = list(dict.fromkeys((base, head)))
    missing = [s for s in wanted if not git.has_commit(repo, s)]
    shallow = git.is_shallow(repo)
    fetched = 0
    advice = "check out with `fetch-depth: 0` (actions/checkout), or raise the action's max-fetch-depth"
    if missing:
        if limit <= 0:
            raise UserError(
                f'commit {missing[0][:12]} of the pull request is not in the '
                f'checkout and max-fetch-depth is 0: {advice}',
            )
        depth = min(FIRST_DEPTH, limit) if shallow else None
        log(
            f'fetching {" and ".join(s[:12] for s in missing)} from {remote}'
            + (f' ({depth} commits deep)' if depth else '')
        )
        try:
            git.fetch(repo, remote, missing, depth=depth)
        except UserError as e:
            raise UserError(
                f"{e} (fetching the pull request's commits; {advice})",
            ) from None
        fetched = depth or 0
        for sha in missing:
            if not git.has_commit(repo, sha):
                raise UserError(f'{remote} did not send commit {sha[:12]}: {advice}')
    while not git.has_merge_base(repo, base, head):
        if not git.is_shallow(repo):
            raise UserError(
                f'the base {base[:12]} and head {head[:12]} of the pull request have no common ancestor',
            )
        if fetched >= limit:
            raise UserError(
                f'no merge base of the base {base[:12]} and head {head[:12]} '
                f'in the shallow clone'
                + (f' after fetching {fetched} commits of history' if fetched else '')
                + f': {advice}',
            )
        step = min(max(fetched, FIRST_DEPTH), limit - fetched)
        log(f'deepening the shallow clone by {step} commits to find the merge base')
        try:
            git.deepen(repo, remote, wanted, step)
        except UserError as e:
            raise UserError(f'{e} (deepening the shallow clone; {advice})') from None
        fetched += step
    return fetched


# -- from a report (workflow_run) ------------------------------------------------


def _from_report(opts: Options, environ: Mapping[str, str], out: TextIO) -> Result:
    """The comment for a fork's pull request, from this job's own analysis.

    The report comes from the fork's run, which ran the fork's workflow: it
    may say anything. It only names the pull request (its number; the head
    sha must be the workflow run's). The API says what that pull request is
    (base and head commits, checked against the run's head), and the pull
    request is analysed here, reading the git objects fetched from origin, with the
    base tip's configuration. Nothing else in the report is used: its
    triggers, files and prompt never reach the comment.
    """
    if opts.review:
        # Refused, not ignored: this run analyses a fork's code with the base
        # repository's secrets, and its review input would pass for done.
        raise UserError(
            'review: true does not go with from-report: the review runs in the '
            "pull request's own workflow (a fork's gets no API key: it stays neutral)",
        )
    data = ev.read_json(opts.from_report, ev.MAX_REPORT_BYTES, 'report')
    rep = ev.parse_report(data, 'report')
    hint = rep.pull_request
    payload = _event_payload(environ)
    run_head = (
        ev.check_workflow_run(
            rep,
            payload,
            environ.get('GITHUB_REPOSITORY', ''),
        )
        or hint.head_sha
    )
    if not opts.token:
        raise UserError(
            'from-report needs a token (input token) to look the pull request '
            'up: its commits are analysed here, not taken from the report',
        )
    looked_up = _lookup_pull(opts.api_url, opts.token, hint.repository, hint.number)
    refusal = looked_up if isinstance(looked_up, str) else None
    pr = hint
    if not isinstance(looked_up, str):
        pr = ev.pull_request_from_api(looked_up, hint.repository)
        if pr.number != hint.number:
            refusal = f'the API answered for another pull request than #{hint.number}'
        elif pr.head_sha != run_head:
            refusal = (
                f'pull request #{hint.number} is not at the head the workflow run analysed ({run_head[:12]})'
            )
    if refusal is not None:
        # A newer push (its own run comments) or an API failure: say so, and
        # leave the comment and the outputs alone (no "nothing fired").
        message = f'Not commenting: {refusal}. Nothing was analysed.'
        workflow.annotate(out, 'warning', message)
        workflow.append_summary(f'## review-trigger\n\n{message}\n', environ)
        return Result(pr=hint, ids=(), files=(), prompt=None, changed=0, report_path='')

    run = payload.get('workflow_run') if isinstance(payload, dict) else None
    run_url = run.get('html_url') if isinstance(run, dict) else None
    server = environ.get('GITHUB_SERVER_URL', '').rstrip('/')
    if not (isinstance(run_url, str) and server and run_url.startswith(server + '/')):
        run_url = None
    lines = [
        "Analysed by this workflow from the pull request's commits (the "
        + (f'[workflow run]({run_url})' if run_url else 'workflow run')
        + ' of the fork only named it).',
        '',
    ]
    _log(
        out, f'analysing pull request #{pr.number} ({pr.base_sha[:12]}...{pr.head_sha[:12]}) from its commits'
    )
    head = pr.head_sha
    return _analyse_pr(
        opts,
        environ,
        out,
        pr,
        reviewing=False,
        annotate=False,
        lines=lines,
        verify=lambda: _verify_head(opts.api_url, opts.token, pr, head),
    )


def _lookup_pull(
    api: str,
    token: str,
    repository: str,
    number: int,
) -> Any:
    """``GET /repos/R/pulls/N``: the pull request's JSON, or (a str) why it
    could not be had."""
    url = f'{api}/repos/{repository}/pulls/{number}'
    request = urllib.request.Request(
        url,
        headers={
            'Accept': 'application/vnd.github+json',
            'Authorization': f'Bearer {token}',
            'User-Agent': 'review-trigger',
            'X-GitHub-Api-Version': '2022-11-28',
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            data = json.loads(response.read(8 * 1024 * 1024))
    except urllib.error.HTTPError as e:
        return f'could not look up pull request #{number}: HTTP {e.code}'
    except (OSError, ValueError) as e:
        return f'could not look up pull request #{number}: {type(e).__name__}'
    if not isinstance(data, dict):
        return f'could not look up pull request #{number}: not a JSON object'
    return data


def _verify_head(
    api: str,
    token: str,
    pr: ev.PullRequest,
    run_head: str,
) -> str | None:
    """Just before commenting: is pull request ``pr.number`` still at the
    head that was analysed? Returns why not (a refusal), or None."""
    data = _lookup_pull(api, token, pr.repository, pr.number)
    if isinstance(data, str):
        return data
    head = data.get('head')
    sha = head.get('sha') if isinstance(head, dict) else None
    if sha != run_head:
        return f'pull request #{pr.number} is not at the head the workflow run analysed ({run_head[:12]})'
    return None


# -- the shared end: files, annotations, comment, summary, outputs -------------


def _finish(
    opts: Options,
    environ: Mapping[str, str],
    out: TextIO,
    result: Result,
    lines: list[str],
    *,
    report_where: str,
    annotate: bool = True,
    verify: Callable[[], str | None] | None = None,
) -> None:
    from review_trigger.output import remove, write_atomic

    pr = result.pr
    prompt_path = os.path.join(opts.output_dir, PROMPT_FILE)
    if result.prompt is not None:
        write_atomic(prompt_path, result.prompt)
    else:
        prompt_path = ''
        remove(os.path.join(opts.output_dir, PROMPT_FILE))

    if annotate and result.ids:
        workflow.warn_files(out, list(result.files))

    title = render.headline(result.ids, pr.number)
    if result.ids and result.prompt is None:
        lines = [
            *lines,
            '',
            'No prompt was written: the configuration skips changes written wholly by a reason-tier model.',
        ]
    has_summary = bool(environ.get('GITHUB_STEP_SUMMARY'))
    budget = workflow.summary_budget(environ) if has_summary else workflow.MAX_SUMMARY_BYTES
    _, summary_has_prompt = render.summary_text(
        title,
        lines,
        result.prompt,
        budget,
        report_where,
    )
    status, comment_url = _comment(
        opts,
        environ,
        out,
        result,
        verify,
        render.Where(workflow.run_url(environ), has_summary and summary_has_prompt, report_where),
    )
    summary, _ = render.summary_text(
        title,
        lines,
        result.prompt,
        budget,
        report_where,
        status=status,
    )
    workflow.append_summary(summary + (f'\n{result.review.text()}' if result.review else ''), environ)
    workflow.set_outputs(
        {
            'triggered': 'true' if result.ids else 'false',
            'triggers': ','.join(result.ids),
            'report': result.report_path,
            'prompt-file': prompt_path,
            'comment-url': comment_url,
        },
        environ,
    )
    _log(out, f'{title}; report: {result.report_path}' + (f'; prompt: {prompt_path}' if prompt_path else ''))


def _comment(
    opts: Options,
    environ: Mapping[str, str],
    out: TextIO,
    result: Result,
    verify: Callable[[], str | None] | None,
    where: render.Where,
) -> tuple[str, str]:
    """Sync the sticky comment. Returns (a line for the summary, its url)."""
    pr = result.pr
    if not opts.comment:
        return '', ''
    if not opts.token:
        message = (
            'No token (input token is empty): the pull request comment '
            'is left alone; the result is in this job summary.'
        )
        workflow.annotate(out, 'notice', message)
        return f'**Comment:** {message}', ''
    if verify is not None:
        refusal = verify()
        if refusal is not None:
            message = f'Not commenting: {refusal}. The result is in this job summary.'
            workflow.annotate(out, 'warning', message)
            return f'**Comment:** {message}', ''

    # Only now: comments imports PyGithub.
    from review_trigger.github import comments
    from review_trigger.hosts import _sticky

    body: str | None = None
    if result.prompt is not None:
        review = result.review
        tail = None
        if review is not None:

            def tail(room: int) -> str:
                return '\n' + review.text(room - 1, render.utf16_len, render.review_cut(where))

        body, cut = render.comment_body(
            result.ids, pr.head_sha, result.prompt, where, marker_len=len(_sticky.MARKER), tail=tail
        )
        if cut:
            _log(
                out,
                'the prompt is longer than a comment holds: the comment '
                'shows its beginning and says where the rest is',
            )
    elif result.ids:
        body = (
            f'### review-trigger\n\n{render.headline(result.ids, pr.number)}; '
            'no prompt was written (the configuration skips changes '
            'written wholly by a reason-tier model).\n'
        )
    outcome = comments.sync_comment(
        api_url=opts.api_url,
        token=opts.token,
        repo=pr.repository,
        number=pr.number,
        body=body,
        mode=opts.comment_mode,
        cleared_body=render.cleared_body(pr.head_sha),
        max_wait=opts.max_wait,
    )
    if outcome.action != 'failed':
        _log(out, outcome.message)
        return f'**Comment:** {outcome.message}', outcome.url or ''
    if outcome.status in _NO_PERMISSION and not outcome.rate_limited:
        if outcome.status == 401:
            # No permission would help: GitHub did not take the token.
            hint = f' {BAD_TOKEN}.'
        elif pr.fork:
            hint = (
                ' A pull request from a fork gets a read-only token under '
                '`pull_request`: post the comment from a `workflow_run` '
                'workflow (see the README).'
            )
        else:
            hint = ' Give the workflow `permissions: pull-requests: write`.'
        message = f'{outcome.message}.{hint} The result is in this job summary.'
        workflow.annotate(out, 'notice', message)
    else:
        message = f'{outcome.message}. The result is in this job summary.'
        workflow.annotate(out, 'warning', message)
    return f'**Comment:** {message}', ''


def _log(out: TextIO, message: str) -> None:
    # Our own words only: nothing from the pull request reaches the log
    # unescaped, so it cannot start a workflow command.
    out.write(f'review-trigger: {message}\n')
    out.flush()
