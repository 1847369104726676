"""Keep one sticky review-trigger comment per pull request up to date.

The comment is found again on later runs by ``marker`` (an HTML comment,
which GitHub does not render) *and* by its author being the token's own
identity: anybody may quote the marker, and such comments are never edited
or deleted.

Needs PyGithub (``pip install 'review-trigger[github]'``). It is imported by
this module only, and nothing imports this module at package import time.

Retries and waiting: 5xx answers, rate limits (403/429 with ``Retry-After``,
or with ``X-RateLimit-Remaining: 0`` and ``X-RateLimit-Reset``, or with
GitHub's rate-limit message) and dropped connections are retried up to
``max_retries`` times. No single wait is longer than ``max_wait`` seconds,
whatever GitHub asks for: ``max_wait`` defaults to the environment variable
``REVIEW_TRIGGER_MAX_RETRY_WAIT``, else to 60. So one call waits at most
about ``(max_retries + 1) * (max_wait + timeout)`` seconds in all.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from github import Auth, Github, GithubException, GithubRetry
from github.GithubException import BadAttributeException, RateLimitExceededException
from github.Issue import Issue
from github.IssueComment import IssueComment
from github.Requester import Requester
from urllib3.exceptions import HTTPError, MaxRetryError, ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry

if TYPE_CHECKING:  # BaseHTTPResponse is urllib3 2 only; PyGithub allows 1.26
    from types import TracebackType

    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse, HTTPResponse

from review_trigger.hosts import _sticky
from review_trigger.hosts._sticky import MARKER as MARKER
from review_trigger.hosts._sticky import Identity, Note

# GitHub refuses longer comment bodies with 422 "Body is too long".
MAX_BODY_CHARS = 65536

DEFAULT_CLEARED_BODY = 'review-trigger: no significance trigger fires for this pull request any more.'

# A GitHub Actions GITHUB_TOKEN may not read GET /user (403); what it writes
# is authored by this bot. An App installation token may not either; what
# it writes is authored by "<app slug>[bot]" through the app.
ACTIONS_BOT_LOGIN = 'github-actions[bot]'

MAX_RETRY_WAIT_ENV = _sticky.MAX_RETRY_WAIT_ENV
DEFAULT_MAX_RETRY_WAIT = _sticky.DEFAULT_MAX_RETRY_WAIT

USER_AGENT = 'review-trigger'

MODES = frozenset(_sticky.MODES)

_REPO_RE = re.compile(r'[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+')

# What GitHub or the network can do to us: reported, never raised.
# requests' exceptions are OSErrors; ValueError is JSON that does not parse
# or has the wrong shape.
_FAILURES: tuple[type[Exception], ...] = (
    GithubException,
    BadAttributeException,
    HTTPError,
    OSError,
    ValueError,
)

_RATE_LIMIT_STATUSES = frozenset((403, 429))

CommentOutcome = _sticky.Outcome


def sync_comment(
    *,
    api_url: str,
    token: str,
    repo: str,
    number: int,
    body: str | None,
    mode: str = 'update',
    marker: str = MARKER,
    timeout: float = 10.0,
    max_retries: int = 4,
    cleared_body: str | None = None,
    max_wait: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> CommentOutcome:
    """Create, update, clear or delete the sticky comment on PR ``number``.

    ``body`` is the comment text without the marker; the posted text is
    ``marker + '\\n' + body``. ``body=None`` means no trigger fires any
    more: a PR that has no sticky comment gets none ('skipped'); an existing
    one is edited to ``cleared_body`` (default: DEFAULT_CLEARED_BODY) with
    ``mode='update'``, or deleted with ``mode='delete'`` (every one of
    ours). Duplicates (from runs that raced, or a POST that timed out here
    but landed at GitHub) are deleted on every run: the oldest is kept, so
    each run leaves at most one. Every page of comments is read: with up to
    100 comments that is one request, as when looking for the first.

    ``api_url`` is GITHUB_API_URL: ``https://api.github.com``,
    ``https://HOST/api/v3`` (GitHub Enterprise Server) or a local server.
    ``timeout`` is per request and rounded up to whole seconds (PyGithub
    takes an int). For ``max_wait`` and the retries, see the module doc;
    ``environ`` is the run's environment (None: the process's).

    Never raises for what GitHub or the network does: those come back as a
    'failed' outcome with the HTTP status (``status``) and a message giving
    GitHub's. Raises ValueError for bad arguments, including a posted body
    longer than MAX_BODY_CHARS: truncating is the caller's job.
    """
    if mode not in MODES:
        raise ValueError(f'mode must be one of {sorted(MODES)}, not {mode!r}')
    if not marker:
        raise ValueError('marker must not be empty: it would match anything')
    if not token:
        raise ValueError('token is empty')
    if not _REPO_RE.fullmatch(repo):
        raise ValueError(f'repo must look like OWNER/NAME, not {repo!r}')
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f'number must be a positive int, not {number!r}')
    if urlsplit(api_url).scheme not in ('http', 'https'):
        raise ValueError(f'api_url must be an http(s) URL, not {api_url!r}')
    if body is not None:
        wanted = compose_body(marker, body)
    elif mode == 'update':
        wanted = compose_body(marker, cleared_body or DEFAULT_CLEARED_BODY)
    else:
        wanted = None
    wait_cap = resolve_max_wait(max_wait, os.environ if environ is None else environ)

    where = f'{repo}#{number}'
    gh = _connect(
        api_url=api_url,
        token=token,
        timeout=timeout,
        max_retries=max_retries,
        max_wait=wait_cap,
    )
    try:
        step = "look up the token's identity"
        me = _identity(gh)
        step = 'list the comments'
        issue = gh.get_repo(repo).get_issue(number)  # lazy: no request
        # Every page: a duplicate (a POST that timed out here but landed
        # there) may sit on any, and each run leaves exactly one.
        mine = _mine(issue, marker, me)
        todo = _sticky.plan([n for n, _ in mine], wanted)
        if body is None and not mine:
            return CommentOutcome(
                'skipped',
                None,
                None,
                f'No trigger fires and {where} has no review-trigger comment: nothing to do.',
            )
        if todo.action == 'created':
            assert wanted is not None
            step = 'create the comment'
            _create(issue, wanted, marker=marker, me=me, retries=max_retries, max_wait=wait_cap)
            # Another run may have created one meanwhile: look again, keep
            # the oldest, delete the others.
            step = 'look for duplicate comments'
            mine = _mine(issue, marker, me)
            todo = _sticky.plan([n for n, _ in mine], wanted)
            step = 'delete a duplicate comment'
            _delete_all(mine, todo.duplicates)
            kept = mine[0][1] if mine else None
            if kept is not None and todo.action == 'updated':
                step = 'update the comment'
                kept.edit(wanted)
            if kept is None:
                raise ValueError('the created comment is not listed')
            return CommentOutcome(
                'created',
                kept.id,
                kept.html_url,
                f'Created the review-trigger comment on {where}: {kept.html_url}',
            )
        step = 'delete a duplicate comment'
        _delete_all(mine, todo.duplicates)
        if todo.action == 'deleted':
            n = len(todo.duplicates)
            what = 'the review-trigger comment' if n == 1 else f'the {n} review-trigger comments'
            return CommentOutcome(
                'deleted',
                mine[0][1].id,
                None,
                f'No trigger fires any more: deleted {what} on {where}.',
            )
        found = mine[0][1]
        extra = _duplicates_note(len(todo.duplicates))
        if todo.action == 'unchanged':
            return CommentOutcome(
                'unchanged',
                found.id,
                found.html_url,
                f'The review-trigger comment on {where} is up to date: {found.html_url}{extra}',
            )
        step = 'update the comment'
        assert wanted is not None
        found.edit(wanted)
        what = 'No trigger fires any more: cleared' if body is None else 'Updated'
        return CommentOutcome(
            'updated',
            found.id,
            found.html_url,
            f'{what} the review-trigger comment on {where}: {found.html_url}{extra}',
        )
    except _FAILURES as e:
        status = e.status if isinstance(e, GithubException) else None
        return CommentOutcome(
            'failed',
            None,
            None,
            redact(f'Could not {step} on {where}: {describe_error(e)}', token),
            status=status,
            rate_limited=isinstance(e, GithubException) and _is_rate_limit(e),
        )
    finally:
        gh.close()


def compose_body(marker: str, body: str) -> str:
    """The posted text: the marker on a line of its own, then ``body``."""
    return _sticky.compose(marker, body, MAX_BODY_CHARS)


def resolve_max_wait(max_wait: float | None, env: Mapping[str, str]) -> float:
    """The cap on any one retry wait: the argument, the env var, or 60 s."""
    if max_wait is None:
        return _sticky.max_wait_of(env)
    if not _sticky.is_wait(max_wait):
        raise ValueError(f'max_wait must be >= 0 seconds, not {max_wait!r}')
    return max_wait


def is_sticky(
    body: str | None,
    author: str | None,
    *,
    marker: str,
    login: str,
) -> bool:
    """Is this our sticky comment? Ours by author, sticky by marker."""
    return body is not None and _sticky.is_ours(
        Note(0, body, author, None), marker=marker, me=Identity(login)
    )


def _note(comment: IssueComment) -> Note:
    # Attributes, not raw_data: raw_data fetches a listed comment again.
    app = comment.performed_via_github_app
    slug = app.slug if app is not None else None
    author = comment.user.login if comment.user is not None else None
    return Note(
        comment.id,
        comment.body or '',
        author if isinstance(author, str) else None,
        comment.html_url,
        slug if isinstance(slug, str) else None,
    )


def _duplicates_note(n: int) -> str:
    if not n:
        return ''
    return f' (and deleted {n} duplicate{"s" if n != 1 else ""} of it)'


def _mine(issue: Issue, marker: str, me: Identity, first: bool = False) -> list[tuple[Note, IssueComment]]:
    """Our sticky comments, oldest first (GitHub lists oldest first); with
    ``first``, only the oldest, so later pages are not fetched (enough to
    know whether a POST landed)."""
    found = []
    try:
        for comment in issue.get_comments():
            note = _note(comment)
            if _sticky.is_ours(note, marker=marker, me=me):
                found.append((note, comment))
                if first:
                    break
    except (TypeError, AttributeError, KeyError):
        # PyGithub indexes what it takes for an array of comments: an
        # answer of another shape (a JSON object) fails in there.
        raise ValueError('the comments listing is not a list of comments') from None
    return found


def _delete_all(mine: list[tuple[Note, IssueComment]], notes: tuple[Note, ...]) -> None:
    doomed = {n.id for n in notes}
    for note, comment in mine:
        if note.id in doomed:
            _delete(comment)


def rate_limit_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds GitHub asks us to wait before retrying, None if it does not.

    ``Retry-After`` (secondary rate limits) wins; else a spent primary rate
    limit waits for ``X-RateLimit-Reset`` (epoch seconds).
    """
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    retry_after = lowered.get('retry-after', '')
    if retry_after.isdigit():
        return float(retry_after)
    reset = lowered.get('x-ratelimit-reset', '')
    if lowered.get('x-ratelimit-remaining') == '0' and reset.isdigit():
        # +1: it is not known when within that second the limit resets.
        return max(0.0, int(reset) - now) + 1.0
    return None


def describe_error(e: BaseException) -> str:
    """One line: the HTTP status and GitHub's message, or the network error."""
    if isinstance(e, GithubException):
        text = f'HTTP {e.status}'
        detail = _github_message(e.data)
        if not detail and e.headers:
            detail = _rate_limit_note(e.headers)
        if detail:
            text = f'{text}: {detail}'
    else:
        text = f'{type(e).__name__}: {e}' if str(e) else type(e).__name__
    return _one_line(text)


def redact(text: str, token: str) -> str:
    """Whatever happens, the token does not reach a log or a summary."""
    return text.replace(token, '***') if token else text


class _BoundedRetry(GithubRetry):
    """GithubRetry that caps its sleeps and never blindly repeats a POST.

    urllib3 sleeps whatever ``Retry-After`` says (up to six hours), and
    GithubRetry until ``X-RateLimit-Reset`` (up to an hour): too long for a
    CI job that only wants to post a comment. Each sleep is cut to
    ``max_wait``.
    """

    def __init__(self, *, max_wait: float, **kwargs: Any) -> None:
        self.max_wait = max_wait
        self._inspected: bytes | None = None
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> Self:
        kw['max_wait'] = self.max_wait
        return super().new(**kw)

    def is_retry(
        self,
        method: str,
        status_code: int,
        has_retry_after: bool = False,
    ) -> bool:
        # GitHub can answer 5xx to a POST that did create the comment:
        # sync_comment looks before posting again, to make no duplicate.
        if method.upper() == 'POST' and status_code >= 500:
            return False
        return super().is_retry(method, status_code, has_retry_after)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: HTTPResponse | None = None,  # type: ignore[override]
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        if (
            method is not None
            and method.upper() == 'POST'
            and isinstance(error, (ReadTimeoutError, ProtocolError))
        ):
            # Same reason: the request was sent, it may have been acted on.
            raise error.with_traceback(_stacktrace)
        if (
            response is not None
            and response.status in _RATE_LIMIT_STATUSES
            and response.headers.get('x-ratelimit-remaining') == '0'
        ):
            # GitHub documents these headers as the sign of a spent primary
            # rate limit; GithubRetry goes by the message wording only.
            return Retry.increment(
                self,
                method,
                url,
                response,
                error,
                _pool,
                _stacktrace,
            )
        try:
            return super().increment(
                method,
                url,
                response,
                error,
                _pool,
                _stacktrace,
            )
        except MaxRetryError:
            if response is None or self._inspected is None:
                raise
            # Out of retries on a 403 whose body GithubRetry has read to see
            # that it is a rate limit: the body is gone from the response,
            # so raise with it here rather than let PyGithub see an empty one.
            raise Requester.createException(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                _json_object(self._inspected),
            ) from None

    def get_content(  # type: ignore[override]
        self,
        resp: HTTPResponse,
        url: str,
    ) -> bytes:
        # GithubRetry calls this as self.get_content() to read a 403's body.
        self._inspected = GithubRetry.get_content(resp, url)
        return self._inspected

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        # GithubRetry has already set get_backoff_time to its rate-limit
        # wait where it found one; the headers say it more precisely.
        wait = self.get_backoff_time()
        if response is not None:
            hinted = rate_limit_wait(response.headers, time.time())
            if hinted is not None:
                wait = hinted
        wait = min(wait, self.max_wait)
        if wait > 0:
            time.sleep(wait)


def _connect(
    *,
    api_url: str,
    token: str,
    timeout: float,
    max_retries: int,
    max_wait: float,
) -> Github:
    retry = _BoundedRetry(
        max_wait=max_wait,
        total=max(0, max_retries),
        # GithubRetry adds 403 and looks whether it is a rate limit.
        status_forcelist=[*range(500, 600), 429],
        # PATCH (an edit) and DELETE are idempotent; POST is handled above.
        allowed_methods=Retry.DEFAULT_ALLOWED_METHODS | {'POST', 'PATCH'},
        backoff_factor=1.0,  # 0, 2, 4, 8... s, cut to max_wait by sleep()
        # Hand back the last answer when retries run out, so the failure
        # carries GitHub's status and message rather than "max retries".
        raise_on_status=False,
    )
    # PyGithub prints its INFO records to stderr; GithubRetry's announce
    # waits ("Setting next backoff to 60s") that _BoundedRetry cuts short.
    logging.getLogger('github.GithubRetry').setLevel(logging.WARNING)
    return Github(
        base_url=api_url.rstrip('/'),
        auth=Auth.Token(token),
        timeout=max(1, math.ceil(timeout)),
        user_agent=USER_AGENT,
        per_page=100,
        retry=retry,
        # PyGithub spaces requests 0.25 s apart and writes 1 s apart. A sync
        # makes a handful of requests and at most one write unless one failed,
        # and failed ones are spaced by the retry backoff instead.
        seconds_between_requests=None,
        seconds_between_writes=None,
        # Objects built from a URL are not fetched until needed: no
        # GET /repos/o/r or GET /repos/o/r/issues/n round trips.
        lazy=True,
    )


def _identity(gh: Github) -> Identity:
    """Who our comments are authored by."""
    try:
        return Identity(gh.get_user().login)
    except GithubException as e:
        if e.status == 404 or (e.status == 403 and not _is_rate_limit(e)):
            # An integration token cannot read /user ("Resource not
            # accessible by integration"): a GITHUB_TOKEN writes as the
            # Actions bot, an App installation token as the app's bot.
            return Identity(None, bots=(ACTIONS_BOT_LOGIN,), app=True)
        raise


def _is_rate_limit(e: GithubException) -> bool:
    # Taking a rate limit for a GITHUB_TOKEN would make us look for the
    # wrong author, miss our comment and post a duplicate.
    message = _github_message(e.data)
    return (
        isinstance(e, RateLimitExceededException)
        or bool(_rate_limit_note(e.headers or {}))
        or Requester.isRateLimitError(message)
    )


def _create(
    issue: Issue,
    text: str,
    *,
    marker: str,
    me: Identity,
    retries: int,
    max_wait: float,
) -> None:
    """POST the comment; after an ambiguous failure, look before reposting."""
    failures = 0
    while True:
        try:
            issue.create_comment(text)
            return
        except (GithubException, OSError) as e:
            failures += 1
            if failures > retries or not _outcome_unknown(e):
                raise
        time.sleep(min(max_wait, 2.0**failures))
        if _mine(issue, marker, me, first=True):
            return


def _delete(comment: IssueComment) -> None:
    try:
        comment.delete()
    except GithubException as e:
        # A retried DELETE whose first try went through finds it gone.
        if e.status != 404:
            raise


def _json_object(content: bytes) -> dict[str, Any]:
    """A body as PyGithub would hand it to GithubException."""
    try:
        data = json.loads(content)
    except ValueError:
        return {'data': content.decode('utf-8', 'replace')} if content else {}
    return data if isinstance(data, dict) else {}


def _outcome_unknown(e: Exception) -> bool:
    """Could the failed request have been carried out all the same?"""
    if isinstance(e, GithubException):
        return e.status >= 500
    return True  # a network error after the request may have been sent


def _github_message(data: Any) -> str:
    """GitHub's ``message``, with the ``errors`` details of a 422."""
    if not isinstance(data, dict):
        return ''
    message = data.get('message')
    if not isinstance(message, str):
        # PyGithub wraps a body that is not JSON as {'data': text}.
        raw = data.get('data')
        return raw[:200] if isinstance(raw, str) else ''
    details = []
    for error in data.get('errors') or ():
        if isinstance(error, dict):
            detail = error.get('message') or ' '.join(
                str(error[k]) for k in ('resource', 'field', 'code') if error.get(k)
            )
            if detail:
                details.append(str(detail))
        elif isinstance(error, str):
            details.append(error)
    return f'{message} ({"; ".join(details)})' if details else message


def _rate_limit_note(headers: Mapping[str, Any]) -> str:
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    if 'retry-after' in lowered:
        return f'rate limited, retry after {lowered["retry-after"]} s'
    if lowered.get('x-ratelimit-remaining') == '0':
        reset = lowered.get('x-ratelimit-reset', '')
        if reset.isdigit():
            at = time.strftime('%H:%M:%S UTC', time.gmtime(int(reset)))
            return f'API rate limit exceeded until {at}'
        return 'API rate limit exceeded'
    return ''


def _one_line(text: str, limit: int = 500) -> str:
    text = ' '.join(text.split())
    return text if len(text) <= limit else f'{text[: limit - 3]}...'
