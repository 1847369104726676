"""The review in the GitHub Action (input ``review: true``).

When a trigger fires and the ledger (carried between runs by
actions/cache, see the README) holds no review of this content, the review
runs against the API whose key the workflow passed; its markdown goes
into the sticky comment under the prompt and the job summary, and a check
run ``review-trigger/review`` carries the verdict.

A check run, not a commit status: statuses have only error, failure,
pending and success, and a WARN (or a review that could not run) shown as
success would be a lie. Check runs have ``neutral``:

- PASS: success; WARN: neutral; FAIL: failure;
- a PASS by a model the routing table places below the reason tier (input
  ``review-model``): neutral, saying so, as the gate does not count it;
- no API key (a fork's pull request gets no secrets): neutral, saying so;
- the review errored or was over budget: failure (never success);
- no trigger fired: success, "no review needed".

GitHub counts neutral as passing for a required check, as the gate lets a
WARN through; the check's title says which it was.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from review_trigger.errors import UserError

if TYPE_CHECKING:
    from review_trigger.review.ledger import Record

CHECK_NAME = 'review-trigger/review'
INPUTS = ('REVIEW', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'REVIEW_MODEL')
MAX_CHECK_SUMMARY = 60_000  # GitHub's limit is 65,535 characters
CHECK_CUT = 'a check run holds at most 65,535 characters; the job summary has the review'
MAX_FINDINGS_SHOWN = 20
HEADING = '###'
Conclusion = Literal['success', 'neutral', 'failure']
CONCLUSION: Mapping[str, Conclusion] = {'PASS': 'success', 'WARN': 'neutral', 'FAIL': 'failure'}


class ActionReview(NamedTuple):
    conclusion: Conclusion
    title: str  # one line: the check's title and the log's
    markdown: str | None  # the review, for the comment and the summary
    called: bool  # whether a model was asked in this run
    record: Record | None = None  # the review, to render it within a limit

    def markdown_within(self, budget: int, measure: Callable[[str], int], cut: str) -> str | None:
        """The review's markdown within ``budget`` (see render.markdown_within)."""
        if self.record is None or self.markdown is None or measure(self.markdown) <= budget:
            return self.markdown
        from review_trigger.review import render

        return render.markdown_within(
            self.record, budget, measure, cut=cut, heading=HEADING, max_findings=MAX_FINDINGS_SHOWN
        )


class Shown(NamedTuple):
    """What the review adds to the sticky comment and the job summary: the
    check's line (and why it could not be set), then the review."""

    lines: tuple[str, ...]
    result: ActionReview

    def text(self, budget: int | None = None, measure: Callable[[str], int] = len, cut: str = '') -> str:
        """The whole text, or within ``budget`` as ``measure`` counts, the
        review cut to fit with a note saying ``cut``."""
        head = '\n'.join(self.lines)
        review = self.result.markdown
        if budget is not None:
            review = self.result.markdown_within(budget - measure(head + '\n\n\n'), measure, cut)
        return '\n'.join([head, '', review or '']).rstrip() + '\n'


def review(
    outcome: Any, inputs: Mapping[str, str], environ: Mapping[str, str], log: Callable[[str], None]
) -> ActionReview:
    """Review the pull request of ``outcome`` (a pipeline Outcome)."""
    from review_trigger.review.run import review_change, weaker_tier

    if outcome.prompt is None:
        if outcome.fired:
            return ActionReview(
                'neutral',
                'Review skipped: the configuration skips changes written wholly by a reason-tier model',
                None,
                False,
            )
        return ActionReview('success', 'No review needed: no trigger fired', None, False)
    api, key = _api(outcome.config, inputs)
    if api is None:
        return ActionReview(
            'neutral',
            'Review not run: no API key (input anthropic-api-key or '
            'openai-api-key; a pull request from a fork gets no secrets)',
            None,
            False,
        )
    env = {**environ, f'{api.upper()}_API_KEY': key}
    flags = {'api': api, 'model': inputs.get('REVIEW_MODEL') or None}
    try:
        done = review_change(outcome, flags, env, log=log)
    except UserError as e:
        # A failed review is never a pass: the check fails and says why.
        return ActionReview('failure', f'Review errored: {_one_line(str(e))}', None, False)
    assert done.record is not None and done.path is not None
    from review_trigger.review import render

    r = done.record
    n = len(r.verdict.findings)
    how = (
        'stored review of this content, no new call'
        if done.status == 'stored'
        else f'reviewed by {r.model or r.reviewer}'
    )
    title = f'{r.verdict.status}: {n} finding{"s" if n != 1 else ""} ({how})'
    conclusion = CONCLUSION[r.verdict.status]
    weaker = weaker_tier(r, outcome.config)
    if weaker is not None and conclusion == 'success':
        # As the gate: a pass by a model below the reason tier is not the
        # review the change needs (input review-model chose it).
        title += f'; by a {weaker}-tier model, not the reason tier the gate asks for'
        conclusion = 'neutral'
    if done.over_budget:
        # Over budget is never a pass, whatever the verdict: the title keeps it.
        title += f'; {done.over_budget}'
        conclusion = 'failure'
    text = render.markdown(r, heading=HEADING, max_findings=MAX_FINDINGS_SHOWN)
    return ActionReview(conclusion, title, text, done.status == 'new', r)


def _api(config: Any, inputs: Mapping[str, str]) -> tuple[str | None, str]:
    """The API to call and its key: the configuration's ``review.api`` when
    its key was given, else whichever key was."""
    keys = {
        'anthropic': inputs.get('ANTHROPIC_API_KEY', '').strip(),
        'openai': inputs.get('OPENAI_API_KEY', '').strip(),
    }
    wanted = (getattr(config, 'review', None) or {}).get('api')
    if wanted in keys and keys[wanted]:
        return wanted, keys[wanted]
    for api, key in keys.items():
        if key:
            return api, key
    return None, ''


def _one_line(text: str) -> str:
    # Masked before it is cut: a cut secret no longer has its shape.
    from review_trigger.errors import shown

    return ' '.join(shown(text).split())[:300]


def set_check(api_url: str, token: str, repo: str, head_sha: str, result: ActionReview) -> str | None:
    """Create the check run on ``head_sha``; None, or why it could not be."""
    from review_trigger.hosts.render import utf16_len

    # GitHub counts the limit in UTF-16 code units, as for the comment.
    summary = result.markdown_within(MAX_CHECK_SUMMARY, utf16_len, CHECK_CUT) or result.title
    body = json.dumps(
        {
            'name': CHECK_NAME,
            'head_sha': head_sha,
            'status': 'completed',
            'conclusion': result.conclusion,
            'output': {'title': result.title[:1000], 'summary': summary},
        }
    ).encode()
    request = urllib.request.Request(
        f'{api_url.rstrip("/")}/repos/{repo}/check-runs',
        data=body,
        method='POST',
        headers={
            'Accept': 'application/vnd.github+json',
            'Authorization': f'Bearer {token}',
            'Content-Type': 'application/json',
            'User-Agent': 'review-trigger',
            'X-GitHub-Api-Version': '2022-11-28',
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read(1 << 20)
    except urllib.error.HTTPError as e:
        hints = {
            401: ' (the token is missing, invalid or expired)',
            403: ' (give the workflow `permissions: checks: write`)',
            404: ' (give the workflow `permissions: checks: write`)',
        }
        hint = hints.get(e.code, '')
        return f'could not set the check {CHECK_NAME}: HTTP {e.code}{hint}'
    except (OSError, ValueError) as e:
        return f'could not set the check {CHECK_NAME}: {type(e).__name__}'
    return None


def run(
    outcome: Any,
    inputs: Mapping[str, str],
    environ: Mapping[str, str],
    api_url: str,
    token: str,
    repo: str,
    head_sha: str,
    log: Callable[[str], None],
) -> Shown:
    """The Action's review step: review, set the check, and return what
    the comment and the summary show."""
    result = review(outcome, inputs, environ, log)
    log(f'review: {result.title}')
    problem = None
    if token:
        problem = set_check(api_url, token, repo, head_sha, result)
    else:
        problem = f'no token: the check {CHECK_NAME} was not set'
    if problem:
        log(problem)
    from review_trigger.markdown import code

    lines = [f'**Check** {code(CHECK_NAME)}: {result.conclusion}: {code(result.title)}']
    if problem:
        lines.append(f'({problem})')
    return Shown(tuple(lines), result)
