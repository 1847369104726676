"""A local fake of the part of GitHub's REST API that sticky comments use.

A real HTTP server on 127.0.0.1 (a ThreadingHTTPServer on a free port, in a
background thread): tests talk to it over real sockets, nothing is mocked.

It serves, shaped like GitHub's answers:

- ``GET /user`` (403 in GITHUB_TOKEN mode, as for an Actions token)
- ``GET /repos/{o}/{r}/issues/{n}/comments`` with ``page``/``per_page`` and
  a ``Link`` header whose URLs use ``/repositories/{id}/...`` like GitHub's
  (served too)
- ``POST /repos/{o}/{r}/issues/{n}/comments``
- ``GET``, ``PATCH``, ``DELETE /repos/{o}/{r}/issues/comments/{id}``
- ``GET /repos/{o}/{r}`` and ``GET /repos/{o}/{r}/issues/{n}``, in case a
  client fetches them

Every request is recorded (``.requests``); ``Authorization`` must be
``token T`` or ``Bearer T`` (else 401 "Bad credentials") and is left out of
the record. ``fail_next`` scripts the answers to the next matching
requests: any status, headers and JSON, rate limits, malformed JSON, a
dropped connection, a truncated body, a delay, and "apply the request, then
answer with the fault" (GitHub's 502 after creating a comment).

Use it as a context manager, or through the ``github_server`` fixture::

    from github_fake import FakeGitHub

    with FakeGitHub(login='octocat') as gh:
        gh.url          # 'http://127.0.0.1:PORT' -> GITHUB_API_URL
"""

from __future__ import annotations

import fnmatch
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

HOST = '127.0.0.1'
ACTIONS_BOT = {'login': 'github-actions[bot]', 'id': 41898282, 'type': 'Bot'}

DOCS = 'https://docs.github.com/rest'
NOT_ACCESSIBLE = 'Resource not accessible by integration'
PRIMARY_LIMIT_MESSAGE = (
    'API rate limit exceeded for installation ID 1. If you reach out to '
    'GitHub Support for help, please include the request ID.'
)
SECONDARY_LIMIT_MESSAGE = (
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
)
MAX_BODY = 65536
RATE_LIMIT = 5000

# Fault modes.
RESPOND = 'respond'  # answer status/headers/json (or raw body)
MALFORMED = 'malformed'  # 200 (or status) with a body that is not JSON
DISCONNECT = 'disconnect'  # close the connection without answering
TRUNCATE = 'truncate'  # headers promise more body than is sent
MODES = (RESPOND, MALFORMED, DISCONNECT, TRUNCATE)


@dataclass
class Comment:
    """One issue comment as the fake stores it."""

    id: int
    repo: str  # 'owner/name'
    issue: int
    body: str
    login: str
    user_id: int
    user_type: str  # 'User' | 'Bot'
    created_at: str
    updated_at: str
    app: str | None = None  # the slug of the app it was made through


@dataclass
class Request:
    """One request as the fake received it (without Authorization)."""

    method: str
    path: str  # API path, without the server's prefix
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any  # parsed JSON, the raw text, or None
    status: int | None = None  # what the fake answered (None: dropped)


@dataclass
class Fault:
    method: str  # 'GET', ..., or '*'
    path: str  # fnmatch pattern over the API path
    status: int = 500
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    mode: str = RESPOND
    apply: bool = False  # carry the request out, then answer the fault
    delay: float = 0.0  # seconds to wait before answering
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        return self.method in ('*', method) and fnmatch.fnmatchcase(path, self.path)


class FakeGitHub:
    """GitHub's comment API in memory, over real HTTP on 127.0.0.1.

    ``login``/``user_id``: the identity behind ``token``, which is what
    ``GET /user`` answers and who writes comments. ``github_token_mode``:
    act like an Actions GITHUB_TOKEN instead: ``GET /user`` is 403 and
    comments are written by ``github-actions[bot]``. ``prefix``: serve
    under a path, e.g. '/api/v3' like GitHub Enterprise Server.
    """

    # The request handler class (default _Handler); a subclass may serve
    # more routes.
    handler: type[_Handler] | None = None

    def __init__(
        self,
        *,
        token: str = 'fake-token',
        login: str = 'review-bot',
        user_id: int = 4242,
        github_token_mode: bool = False,
        app_slug: str | None = None,
        prefix: str = '',
    ) -> None:
        self.token = token
        self.login = login
        self.user_id = user_id
        self.github_token_mode = github_token_mode
        # An App installation token: GET /user is 403 as well, and comments
        # are written by "<slug>[bot]" through the app.
        self.app_slug = app_slug
        # Called just before a POST creates its comment: a racing run's POST
        # landing first.
        self.before_create: Callable[[], object] | None = None
        # The comments listing answers 200 with a JSON object, not an array.
        self.list_as_object = False
        self.prefix = prefix.rstrip('/')
        self.comments: list[Comment] = []
        # POST /repos/{o}/{r}/check-runs and /statuses/{sha}: the bodies, in order.
        self.check_runs: list[dict[str, Any]] = []
        self.statuses: list[dict[str, Any]] = []
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.lock = threading.RLock()
        self._next_id = 1_000_000_001
        self._clock = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
        self._repo_ids: dict[str, int] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FakeGitHub:
        server = _Server((HOST, 0), self.handler or _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={'poll_interval': 0.05},
            name='fake-github',
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def root(self) -> str:
        """``http://127.0.0.1:PORT``: where html_url links point."""
        assert self._server is not None, 'not started'
        return f'http://{HOST}:{self._server.server_address[1]}'

    @property
    def url(self) -> str:
        """The API base URL, what GITHUB_API_URL would be."""
        return self.root + self.prefix

    # -- state -------------------------------------------------------------

    @property
    def author(self) -> dict[str, Any]:
        """Who the token's writes are authored by."""
        if self.app_slug is not None:
            return {'login': f'{self.app_slug}[bot]', 'id': 77000001, 'type': 'Bot'}
        if self.github_token_mode:
            return dict(ACTIONS_BOT)
        return {'login': self.login, 'id': self.user_id, 'type': 'User'}

    def add_comment(
        self,
        repo: str,
        issue: int,
        body: str,
        *,
        login: str | None = None,
        user_id: int | None = None,
        user_type: str = 'User',
        app: str | None = None,
    ) -> Comment:
        """Seed a comment; by default authored by the token's identity."""
        with self.lock:
            if login is None:
                author = self.author
                login, user_id, user_type = (
                    author['login'],
                    author['id'],
                    author['type'],
                )
            elif user_id is None:
                user_id = 100 + sum(map(ord, login))
            stamp = self._tick()
            comment = Comment(
                id=self._next_id,
                repo=repo,
                issue=issue,
                body=body,
                login=login,
                user_id=int(user_id or 0),
                user_type=user_type,
                created_at=stamp,
                updated_at=stamp,
                app=app,
            )
            self._next_id += 1
            self.comments.append(comment)
            return comment

    def comments_on(self, repo: str, issue: int) -> list[Comment]:
        with self.lock:
            return [c for c in self.comments if c.repo == repo and c.issue == issue]

    def requests_for(
        self,
        method: str = '*',
        path: str = '*',
    ) -> list[Request]:
        """Recorded requests matching a method ('*': any) and fnmatch path."""
        with self.lock:
            return [
                r for r in self.requests if method in ('*', r.method) and fnmatch.fnmatchcase(r.path, path)
            ]

    def writes(self) -> list[Request]:
        """Every recorded request that is not a GET."""
        with self.lock:
            return [r for r in self.requests if r.method != 'GET']

    # -- fault injection ---------------------------------------------------

    def fail_next(
        self,
        method: str,
        path: str,
        status: int | None = None,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
        mode: str = RESPOND,
        apply: bool = False,
        delay: float = 0.0,
    ) -> Fault:
        """Answer the next ``times`` requests matching method+path so.

        ``path`` is an fnmatch pattern over the API path (no prefix, no
        query), e.g. '/repos/o/r/issues/comments/*'. ``status`` defaults to
        500, or to 200 for the MALFORMED and TRUNCATE modes. ``json``
        defaults to GitHub's error shape for ``status``. Faults queue up:
        the first matching one is used first.
        """
        if mode not in MODES:
            raise ValueError(f'mode must be one of {MODES}')
        if status is None:
            status = 500 if mode == RESPOND else 200
        if json is None and mode == RESPOND and status >= 400:
            json = {
                'message': _REASONS.get(status, 'Error'),
                'documentation_url': DOCS,
                'status': str(status),
            }
        fault = Fault(
            method=method.upper(),
            path=path,
            status=status,
            json=json,
            headers=dict(headers or {}),
            mode=mode,
            apply=apply,
            delay=delay,
            times=times,
        )
        with self.lock:
            self.faults.append(fault)
        return fault

    def fail_next_forbidden(
        self,
        method: str,
        path: str,
        *,
        message: str = NOT_ACCESSIBLE,
        times: int = 1,
    ) -> Fault:
        """403 "Resource not accessible by integration" (fork PRs)."""
        return self.fail_next(
            method,
            path,
            403,
            times=times,
            json={'message': message, 'documentation_url': DOCS, 'status': '403'},
        )

    def fail_next_rate_limit(
        self,
        method: str,
        path: str,
        *,
        status: int = 403,
        retry_after: int | None = None,
        reset_in: int | None = None,
        times: int = 1,
    ) -> Fault:
        """A rate limit as GitHub signals it.

        With ``retry_after``: a secondary rate limit with ``retry-after``.
        Else a spent primary one: ``x-ratelimit-remaining: 0`` and
        ``x-ratelimit-reset`` ``reset_in`` seconds from now (default 60).
        """
        if retry_after is not None:
            headers = {'retry-after': str(retry_after)}
            message = SECONDARY_LIMIT_MESSAGE
        else:
            reset = int(time.time()) + (60 if reset_in is None else reset_in)
            headers = {
                'x-ratelimit-limit': str(RATE_LIMIT),
                'x-ratelimit-remaining': '0',
                'x-ratelimit-used': str(RATE_LIMIT),
                'x-ratelimit-reset': str(reset),
                'x-ratelimit-resource': 'core',
            }
            message = PRIMARY_LIMIT_MESSAGE
        return self.fail_next(
            method,
            path,
            status,
            headers=headers,
            times=times,
            json={'message': message, 'documentation_url': DOCS, 'status': str(status)},
        )

    # -- internals ---------------------------------------------------------

    def _tick(self) -> str:
        self._clock += timedelta(seconds=1)
        return self._clock.strftime('%Y-%m-%dT%H:%M:%SZ')

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def repo_id(self, repo: str) -> int:
        with self.lock:
            return self._repo_ids.setdefault(repo, 500 + len(self._repo_ids))

    def _repo_by_id(self, repo_id: int) -> str | None:
        with self.lock:
            for name, rid in self._repo_ids.items():
                if rid == repo_id:
                    return name
        return None

    def user_json(
        self,
        login: str,
        user_id: int,
        user_type: str,
    ) -> dict[str, Any]:
        return {
            'login': login,
            'id': user_id,
            'node_id': f'U_fake{user_id}',
            'avatar_url': f'{self.root}/avatars/u/{user_id}',
            'url': f'{self.url}/users/{login}',
            'html_url': f'{self.root}/{login}',
            'type': user_type,
            'site_admin': False,
        }

    def comment_json(self, c: Comment) -> dict[str, Any]:
        repo_url = f'{self.url}/repos/{c.repo}'
        return {
            'url': f'{repo_url}/issues/comments/{c.id}',
            'html_url': (f'{self.root}/{c.repo}/pull/{c.issue}#issuecomment-{c.id}'),
            'issue_url': f'{repo_url}/issues/{c.issue}',
            'id': c.id,
            'node_id': f'IC_fake{c.id}',
            'user': self.user_json(c.login, c.user_id, c.user_type),
            'created_at': c.created_at,
            'updated_at': c.updated_at,
            'author_association': ('NONE' if c.user_type == 'Bot' else 'CONTRIBUTOR'),
            'body': c.body,
            'reactions': {
                'url': f'{repo_url}/issues/comments/{c.id}/reactions',
                'total_count': 0,
                '+1': 0,
                '-1': 0,
                'laugh': 0,
                'hooray': 0,
                'confused': 0,
                'heart': 0,
                'rocket': 0,
                'eyes': 0,
            },
            'performed_via_github_app': None
            if c.app is None
            else {
                'id': 900 + len(c.app),
                'slug': c.app,
                'node_id': f'A_{c.app}',
                'name': c.app,
                'owner': self.user_json('octo', 1, 'Organization'),
            },
        }


_REASONS = {
    400: 'Problems parsing JSON',
    401: 'Bad credentials',
    403: 'Forbidden',
    404: 'Not Found',
    410: 'Gone',
    422: 'Validation Failed',
    429: 'Too Many Requests',
    500: 'Server Error',
    502: 'Server Error',
    503: 'Service Unavailable',
    504: "We couldn't respond to your request in time.",
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeGitHub

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or drop connections are part of the tests.
        pass


class _Reply(Exception):
    """Raised by a route to answer with an error."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(status)
        self.status = status
        self.payload: dict[str, Any] = {
            'message': message or _REASONS.get(status, 'Error'),
            'documentation_url': DOCS,
            'status': str(status),
            **(extra or {}),
        }


_ISSUE_COMMENTS = re.compile(
    r'/repos/([^/]+/[^/]+)/issues/(\d+)/comments|'
    r'/repositories/(\d+)/issues/(\d+)/comments',
)
_CHECK_RUNS = re.compile(r'/repos/([^/]+/[^/]+)/check-runs')
_STATUSES = re.compile(r'/repos/([^/]+/[^/]+)/statuses/([0-9a-f]{40})')
_COMMENT = re.compile(r'/repos/([^/]+/[^/]+)/issues/comments/(\d+)')
_ISSUE = re.compile(r'/repos/([^/]+/[^/]+)/issues/(\d+)')
_REPO = re.compile(r'/repos/([^/]+/[^/]+)')


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive, as GitHub does
    # Headers and body leave in one write, without Nagle's delay: else each
    # answer waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    wbufsize = -1
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    # -- plumbing ----------------------------------------------------------

    def _dispatch(self) -> None:
        fake = self.server.fake
        split = urlsplit(self.path)
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length) if length else b''
        body: Any = None
        if raw:
            text = raw.decode('utf-8', 'replace')
            try:
                body = json.loads(text)
            except ValueError:
                body = text
        path = split.path
        inside = (
            not fake.prefix
            or path == fake.prefix
            or path.startswith(
                fake.prefix + '/',
            )
        )
        api_path = path[len(fake.prefix) :] if inside else path
        record = Request(
            method=self.command,
            path=api_path,
            query=parse_qs(split.query),
            headers={k: v for k, v in self.headers.items() if k.lower() != 'authorization'},
            body=body,
        )
        with fake.lock:
            fake.requests.append(record)

        fault = fake._take_fault(self.command, api_path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is None or fault.apply:
            status, headers, payload = self._answer(
                inside,
                api_path,
                split.query,
                body,
            )
            if fault is None:
                record.status = status
                self._send(status, headers, payload)
                return
        assert fault is not None
        dropped = fault.mode in (DISCONNECT, TRUNCATE)
        record.status = None if dropped else fault.status
        self._send_fault(fault)

    def _answer(
        self,
        inside: bool,
        path: str,
        query: str,
        body: Any,
    ) -> tuple[int, dict[str, str], Any]:
        fake = self.server.fake
        try:
            if not inside:
                raise _Reply(404)
            if not self._authorized():
                raise _Reply(401, 'Bad credentials')
            with fake.lock:
                return self._route(path, parse_qs(query), body)
        except _Reply as reply:
            return reply.status, {}, reply.payload

    def _authorized(self) -> bool:
        fake = self.server.fake
        header = self.headers.get('Authorization') or ''
        scheme, _, value = header.partition(' ')
        return scheme.lower() in ('token', 'bearer') and value == fake.token

    def _route(
        self,
        path: str,
        query: dict[str, list[str]],
        body: Any,
    ) -> tuple[int, dict[str, str], Any]:
        fake = self.server.fake
        method = self.command
        if path == '/user' and method == 'GET':
            if fake.github_token_mode or fake.app_slug is not None:
                raise _Reply(403, NOT_ACCESSIBLE)
            return 200, {}, fake.user_json(fake.login, fake.user_id, 'User')

        m = _CHECK_RUNS.fullmatch(path)
        if m and method == 'POST':
            if not isinstance(body, dict) or not body.get('name') or not body.get('head_sha'):
                raise _Reply(422, 'Invalid request')
            if body.get('conclusion') not in (
                None,
                'success',
                'neutral',
                'failure',
                'cancelled',
                'skipped',
                'timed_out',
                'action_required',
            ):
                raise _Reply(422, 'Invalid conclusion')
            run = {**body, 'repo': m.group(1), 'id': len(fake.check_runs) + 1}
            fake.check_runs.append(run)
            return 201, {}, run
        m = _STATUSES.fullmatch(path)
        if m and method == 'POST':
            if not isinstance(body, dict) or body.get('state') not in (
                'error',
                'failure',
                'pending',
                'success',
            ):
                raise _Reply(422, 'Invalid state')
            status = {**body, 'repo': m.group(1), 'sha': m.group(2)}
            fake.statuses.append(status)
            return 201, {}, status

        m = _ISSUE_COMMENTS.fullmatch(path)
        if m:
            if m.group(1):
                repo, issue = m.group(1), int(m.group(2))
            else:
                found = fake._repo_by_id(int(m.group(3)))
                if found is None:
                    raise _Reply(404)
                repo, issue = found, int(m.group(4))
            if method == 'GET':
                return self._list(path, repo, issue, query)
            if method == 'POST':
                return self._create(repo, issue, body)
            raise _Reply(404)

        m = _COMMENT.fullmatch(path)
        if m:
            return self._one_comment(m.group(1), int(m.group(2)), body)

        m = _ISSUE.fullmatch(path)
        if m and method == 'GET':
            repo, number = m.group(1), int(m.group(2))
            return (
                200,
                {},
                {
                    'url': f'{fake.url}/repos/{repo}/issues/{number}',
                    'html_url': f'{fake.root}/{repo}/pull/{number}',
                    'comments_url': (f'{fake.url}/repos/{repo}/issues/{number}/comments'),
                    'number': number,
                    'state': 'open',
                    'title': f'Pull request {number}',
                    'pull_request': {
                        'url': f'{fake.url}/repos/{repo}/pulls/{number}',
                    },
                    'comments': len(fake.comments_on(repo, number)),
                },
            )

        m = _REPO.fullmatch(path)
        if m and method == 'GET':
            repo = m.group(1)
            return (
                200,
                {},
                {
                    'id': fake.repo_id(repo),
                    'name': repo.split('/')[1],
                    'full_name': repo,
                    'url': f'{fake.url}/repos/{repo}',
                    'html_url': f'{fake.root}/{repo}',
                },
            )
        raise _Reply(404)

    def _list(
        self,
        path: str,
        repo: str,
        issue: int,
        query: dict[str, list[str]],
    ) -> tuple[int, dict[str, str], Any]:
        fake = self.server.fake
        if fake.list_as_object:
            return 200, {}, {'message': 'not a list'}
        per_page = min(100, max(1, _int(query.get('per_page'), 30)))
        page = max(1, _int(query.get('page'), 1))
        comments = fake.comments_on(repo, issue)
        chunk = comments[(page - 1) * per_page : page * per_page]
        last = max(1, -(-len(comments) // per_page))
        # Like GitHub's, the links use the numeric repository path.
        base = f'{fake.url}/repositories/{fake.repo_id(repo)}/issues/{issue}/comments'

        def link(n: int, rel: str) -> str:
            query = urlencode({'per_page': per_page, 'page': n})
            return f'<{base}?{query}>; rel="{rel}"'

        links = []
        if page > 1:
            links.append(link(min(page - 1, last), 'prev'))
        if page < last:
            links += [link(page + 1, 'next'), link(last, 'last')]
        if page > 1:
            links.append(link(1, 'first'))
        headers = {'Link': ', '.join(links)} if links else {}
        return 200, headers, [fake.comment_json(c) for c in chunk]

    def _create(
        self,
        repo: str,
        issue: int,
        body: Any,
    ) -> tuple[int, dict[str, str], Any]:
        fake = self.server.fake
        text = self._body_text(body)
        if fake.before_create is not None:
            race, fake.before_create = fake.before_create, None
            race()
        author = fake.author
        comment = fake.add_comment(
            repo,
            issue,
            text,
            login=author['login'],
            user_id=author['id'],
            user_type=author['type'],
            app=fake.app_slug,
        )
        data = fake.comment_json(comment)
        return 201, {'Location': data['url']}, data

    def _one_comment(
        self,
        repo: str,
        comment_id: int,
        body: Any,
    ) -> tuple[int, dict[str, str], Any]:
        fake = self.server.fake
        comment = next(
            (c for c in fake.comments if c.id == comment_id and c.repo == repo),
            None,
        )
        if comment is None:
            raise _Reply(404)
        if self.command == 'GET':
            return 200, {}, fake.comment_json(comment)
        if self.command == 'PATCH':
            comment.body = self._body_text(body)
            comment.updated_at = fake._tick()
            return 200, {}, fake.comment_json(comment)
        if self.command == 'DELETE':
            fake.comments.remove(comment)
            return 204, {}, None
        raise _Reply(404)

    @staticmethod
    def _body_text(body: Any) -> str:
        if not isinstance(body, dict) or not isinstance(body.get('body'), str):
            raise _Reply(422, 'Invalid request.\n\n"body" wasn\'t supplied.')
        text: str = body['body']
        if len(text) > MAX_BODY:
            raise _Reply(
                422,
                'Validation Failed',
                {
                    'errors': [
                        {
                            'resource': 'IssueComment',
                            'code': 'unprocessable',
                            'field': 'data',
                            'message': (f'Body is too long (maximum is {MAX_BODY} characters)'),
                        }
                    ]
                },
            )
        return text

    def _common_headers(self) -> dict[str, str]:
        return {
            'Content-Type': 'application/json; charset=utf-8',
            'X-GitHub-Media-Type': 'github.v3; format=json',
            'X-GitHub-Request-Id': f'FAKE:{len(self.server.fake.requests)}',
            'X-RateLimit-Limit': str(RATE_LIMIT),
            'X-RateLimit-Remaining': str(RATE_LIMIT - 1),
            'X-RateLimit-Reset': str(int(time.time()) + 3600),
            'X-RateLimit-Used': '1',
            'X-RateLimit-Resource': 'core',
        }

    def _send(
        self,
        status: int,
        headers: dict[str, str],
        payload: Any,
    ) -> None:
        data = b'' if payload is None else json.dumps(payload).encode()
        self._write(status, {**self._common_headers(), **headers}, data)

    def _write(
        self,
        status: int,
        headers: dict[str, str],
        data: bytes,
    ) -> None:
        self.send_response(status)
        merged = {k.lower(): (k, v) for k, v in headers.items()}
        for name, value in merged.values():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_fault(self, fault: Fault) -> None:
        if fault.mode == DISCONNECT:
            self._drop()
            return
        headers = {**self._common_headers(), **fault.headers}
        if fault.mode == MALFORMED:
            self._write(fault.status, headers, b'{"id": 1, "body": "trunc')
            return
        data = b'' if fault.json is None else json.dumps(fault.json).encode()
        if fault.mode == TRUNCATE:
            data = data or b'{"id": 1, "body": "cut short by the fake"}'
            self.send_response(fault.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header('Content-Length', str(len(data) + 100))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self._drop()
            return
        self._write(fault.status, headers, data)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _int(values: list[str] | None, default: int) -> int:
    try:
        return int(values[0]) if values else default
    except ValueError:
        return default


@pytest.fixture
def github_server() -> Iterator[FakeGitHub]:
    """A started FakeGitHub (user-token mode), stopped after the test."""
    with FakeGitHub() as server:
        yield server
