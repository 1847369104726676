"""What a workflow run is about: the pull request in the event payload or
the API, and the report another run left behind (untrusted: it may come
from a fork, so it only names the pull request, and that is checked).

Everything read here is checked for type and shape before it is used: the
event payload carries text the pull request's author chose (branch names,
titles), and a report artifact is entirely in a fork's hands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from review_trigger.errors import UserError

MAX_EVENT_BYTES = 64 * 1024 * 1024
MAX_REPORT_BYTES = 16 * 1024 * 1024
MAX_PROMPT_CHARS = 4 * 1024 * 1024
MAX_TRIGGERS = 100
MAX_FILES = 100_000

_SHA = re.compile(r'[0-9a-f]{40}|[0-9a-f]{64}')
_REPO = re.compile(r'[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}')
_TRIGGER_ID = re.compile(r'[a-z0-9][a-z0-9_-]{0,63}')
REPORT_VERSION = 1


class PullRequest(NamedTuple):
    number: int
    repository: str  # the base repository, OWNER/NAME
    base_sha: str
    head_sha: str
    fork: bool  # the head is in another repository
    base_ref: str = ''  # branch names, for labels only (untrusted text)
    head_ref: str = ''

    def as_json(self) -> dict[str, Any]:
        return {
            'number': self.number,
            'repository': self.repository,
            'base_sha': self.base_sha,
            'head_sha': self.head_sha,
            'fork': self.fork,
        }


class Report(NamedTuple):
    """The parts of a report file that posting a comment needs."""

    pull_request: PullRequest
    triggered: bool
    trigger_ids: tuple[str, ...]
    files: tuple[tuple[str, tuple[str, ...]], ...]  # path -> trigger ids
    prompt: str | None
    changed: int  # number of changed files


def read_json(path: str, limit: int, what: str) -> Any:
    """Parse a JSON file of at most ``limit`` bytes, strictly: no NaN or
    Infinity, no duplicate keys."""
    try:
        with open(path, 'rb') as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise UserError(f'cannot read {what} {path}: {e.strerror}') from None
    if len(raw) > limit:
        raise UserError(f'{what} {path} is larger than {limit} bytes')

    def no_constant(name: str) -> Any:
        raise ValueError(f'{name} is not JSON')

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f'duplicate key {key!r}')
            out[key] = value
        return out

    try:
        return json.loads(raw.decode('utf-8'), parse_constant=no_constant, object_pairs_hook=unique)
    except (ValueError, RecursionError) as e:
        raise UserError(f'{what} {path} is not valid JSON: {_short(e)}') from None


def pull_request_of(payload: Any, event_name: str) -> PullRequest:
    """The pull request of a ``pull_request``/``pull_request_target`` event."""
    pr = payload.get('pull_request') if isinstance(payload, dict) else None
    if not isinstance(pr, dict):
        raise UserError(
            f'the {event_name or "unknown"} event has no pull request: run this '
            f'action on pull_request or pull_request_target (or give it '
            f'from-report in a workflow_run workflow)',
        )
    number = pr.get('number', payload.get('number'))
    base, head = pr.get('base'), pr.get('head')
    if not (isinstance(base, dict) and isinstance(head, dict)):
        raise UserError("the event payload's pull_request has no base or head")
    base_repo = base.get('repo')
    head_repo = head.get('repo')
    repository = base_repo.get('full_name') if isinstance(base_repo, dict) else None
    if repository is None and isinstance(payload.get('repository'), dict):
        repository = payload['repository'].get('full_name')
    head_name = head_repo.get('full_name') if isinstance(head_repo, dict) else None
    # A deleted fork has no head repository: still a fork.
    fork_head = not (isinstance(head_name, str) and head_name.casefold() == str(repository).casefold())
    result = PullRequest(
        number=_number(number, 'pull_request.number'),
        repository=_repo(repository, 'pull_request.base.repo.full_name'),
        base_sha=_sha(base.get('sha'), 'pull_request.base.sha'),
        head_sha=_sha(head.get('sha'), 'pull_request.head.sha'),
        fork=fork_head,
        base_ref=_text(base.get('ref')),
        # "owner:branch": a fork's branch is named with its owner.
        head_ref=_text(head.get('label')) if fork_head else _text(head.get('ref')),
    )
    return result


def pull_request_from_api(data: Any, repository: str) -> PullRequest:
    """The pull request ``GET /repos/{repository}/pulls/N`` answered (the
    same shape as an event's ``pull_request``), checked like one; it must
    be a pull request into ``repository``."""
    pr = pull_request_of(
        {'pull_request': data, 'repository': {'full_name': repository}}, 'pull request lookup'
    )
    if pr.repository.casefold() != repository.casefold():
        raise UserError(
            f"the API's pull request is into {pr.repository}, not {repository}: refusing to comment"
        )
    return pr


def parse_report(data: Any, name: str = 'report') -> Report:
    """Validate a report file written by ``review-trigger github`` (version
    1 with a ``pull_request`` key). Refuses anything else: it is input from
    a workflow the pull request's author may control. Keys it does not read
    are ignored: a later release may add some within version 1, and the
    fork's run may use a later release than this one."""
    where = name

    def fail(message: str) -> UserError:
        return UserError(f'{where}: {message}')

    if not isinstance(data, dict):
        raise fail('not a JSON object')
    if data.get('version') != REPORT_VERSION or isinstance(data.get('version'), bool):
        raise fail(f'version must be {REPORT_VERSION}')
    triggered = data.get('triggered')
    if not isinstance(triggered, bool):
        raise fail('triggered must be true or false')
    pr = data.get('pull_request')
    if not isinstance(pr, dict):
        raise fail('no pull_request object: write it with `review-trigger github`')
    fork = pr.get('fork')
    if not isinstance(fork, bool):
        raise fail('pull_request.fork must be true or false')
    try:
        pull = PullRequest(
            number=_number(pr.get('number'), 'pull_request.number'),
            repository=_repo(pr.get('repository'), 'pull_request.repository'),
            base_sha=_sha(pr.get('base_sha'), 'pull_request.base_sha'),
            head_sha=_sha(pr.get('head_sha'), 'pull_request.head_sha'),
            fork=fork,
        )
    except UserError as e:
        raise fail(str(e)) from None
    triggers = data.get('triggers')
    if not isinstance(triggers, list) or len(triggers) > MAX_TRIGGERS:
        raise fail(f'triggers must be a list of at most {MAX_TRIGGERS}')
    ids: list[str] = []
    by_file: dict[str, list[str]] = {}
    total_files = 0
    for i, t in enumerate(triggers):
        if not isinstance(t, dict):
            raise fail(f'triggers[{i}] is not an object')
        tid = t.get('id')
        if not isinstance(tid, str) or not _TRIGGER_ID.fullmatch(tid) or tid in ids:
            raise fail(f'triggers[{i}].id is not a trigger id')
        ids.append(tid)
        files = t.get('files')
        if not isinstance(files, list) or not all(isinstance(p, str) for p in files):
            raise fail(f'triggers[{i}].files must be a list of strings')
        total_files += len(files)
        if total_files > MAX_FILES:
            raise fail(f'more than {MAX_FILES} files')
        for path in files:
            if not path or '\0' in path or len(path) > 4096 or not _unicode(path):
                raise fail(f'triggers[{i}].files has an invalid path')
            by_file.setdefault(path, []).append(tid)
    if triggered != bool(ids):
        raise fail('triggered does not agree with triggers')
    prompt = data.get('prompt')
    if prompt is not None:
        if not isinstance(prompt, str):
            raise fail('prompt must be a string or null')
        if len(prompt) > MAX_PROMPT_CHARS:
            raise fail(f'prompt is longer than {MAX_PROMPT_CHARS} characters')
        if not _unicode(prompt):
            raise fail('prompt is not valid Unicode (a lone surrogate)')
        if not triggered:
            raise fail('a prompt without a trigger')
    changes = data.get('changes')
    if not isinstance(changes, list) or len(changes) > MAX_FILES:
        raise fail('changes must be a list')
    return Report(
        pull_request=pull,
        triggered=triggered,
        trigger_ids=tuple(ids),
        files=tuple((p, tuple(t)) for p, t in by_file.items()),
        prompt=prompt,
        changed=len(changes),
    )


def check_workflow_run(report: Report, payload: Any, repository: str) -> str | None:
    """Cross-check a report against the ``workflow_run`` event that brought
    it. Raises UserError on a mismatch. Returns the head sha the run was
    for, which a caller should compare with the pull request's current head
    when the event names no pull request (fork pull requests), or None when
    the event already proved the number.
    """
    pr = report.pull_request
    if repository and pr.repository.casefold() != repository.casefold():
        raise UserError(
            f'the report is for {pr.repository}, not this repository ({repository}): refusing to comment',
        )
    run = payload.get('workflow_run') if isinstance(payload, dict) else None
    if not isinstance(run, dict):
        raise UserError(
            'from-report needs the workflow_run event (the run that made the '
            'report): nothing to check the report against',
        )
    head_sha = run.get('head_sha')
    if isinstance(head_sha, str) and head_sha and head_sha != pr.head_sha:
        raise UserError(
            f'the report is for head {pr.head_sha[:12]} but the workflow run '
            f'was for {head_sha[:12]}: refusing to comment',
        )
    listed = run.get('pull_requests')
    if isinstance(listed, list) and listed:
        numbers = {
            p.get('number')
            for p in listed
            if isinstance(p, dict) and _base_repo_of(p) in ('', repository.casefold())
        }
        if pr.number not in numbers:
            raise UserError(
                f'the report names pull request #{pr.number}, which the '
                f'workflow run is not for: refusing to comment',
            )
        return None
    return head_sha if isinstance(head_sha, str) and head_sha else pr.head_sha


def _base_repo_of(listed: Mapping[str, Any]) -> str:
    base = listed.get('base')
    repo = base.get('repo') if isinstance(base, dict) else None
    name = repo.get('name') if isinstance(repo, dict) else None
    owner = None
    if isinstance(repo, dict) and isinstance(repo.get('url'), str):
        # workflow_run's pull_requests carry repo {id, url, name} only.
        parts = repo['url'].rstrip('/').split('/')
        if len(parts) >= 2:
            owner = parts[-2]
    if isinstance(name, str) and owner:
        return f'{owner}/{name}'.casefold()
    return ''


def _unicode(text: str) -> bool:
    # JSON's "\ud800" escape parses to a lone surrogate, which no file,
    # comment or summary can hold.
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def _text(value: Any) -> str:
    return value[:200] if isinstance(value, str) else ''


def _number(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**53:
        raise UserError(f'{what} must be a positive integer')
    return value


def _repo(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _REPO.fullmatch(value):
        raise UserError(f'{what} must look like OWNER/NAME')
    return value


def _sha(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _SHA.fullmatch(value):
        raise UserError(f'{what} must be a full commit sha')
    return value


def _short(e: BaseException) -> str:
    text = ' '.join(str(e).split())
    return text[:200]
