"""sync_comment against a real local HTTP fake of GitHub's REST API."""

from __future__ import annotations

import importlib.metadata
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from review_trigger.github.comments import (
    DEFAULT_CLEARED_BODY,
    MARKER,
    MAX_BODY_CHARS,
    MAX_RETRY_WAIT_ENV,
    CommentOutcome,
    is_sticky,
    rate_limit_wait,
    sync_comment,
)

# pytest's default import mode puts tests/ on sys.path, importlib mode not.
_TESTS = os.path.dirname(os.path.abspath(__file__))
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from github_fake import (  # noqa: E402
    DISCONNECT,
    MALFORMED,
    SECONDARY_LIMIT_MESSAGE,
    TRUNCATE,
    FakeGitHub,
)

REPO = 'octo/widgets'
PR = 7
COMMENTS = f'/repos/{REPO}/issues/{PR}/comments'
ONE_COMMENT = f'/repos/{REPO}/issues/comments/*'


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    with FakeGitHub(login='review-bot') as fake:
        yield fake


@pytest.fixture(autouse=True)
def _no_env_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_RETRY_WAIT_ENV, raising=False)


def sync(server: FakeGitHub, body: str | None, **kwargs: Any) -> CommentOutcome:
    """sync_comment with tiny retry waits, against ``server``."""
    options: dict[str, Any] = {
        'api_url': server.url,
        'token': server.token,
        'repo': REPO,
        'number': PR,
        'max_wait': 0.01,
        'timeout': 5,
    }
    options.update(kwargs)
    return sync_comment(body=body, **options)


def _pygithub_version() -> tuple[int, ...]:
    release = importlib.metadata.version('PyGithub').split('.')[:2]
    return tuple(int(part) for part in release)


def sticky(body: str) -> str:
    return f'{MARKER}\n{body}'


def posts(server: FakeGitHub) -> int:
    return len(server.requests_for('POST'))


# -- the sticky lifecycle ----------------------------------------------------


def test_first_run_creates_exactly_one_comment(server: FakeGitHub) -> None:
    outcome = sync(server, 'Triggers: lockfile')

    assert outcome.action == 'created'
    [comment] = server.comments_on(REPO, PR)
    assert comment.body == sticky('Triggers: lockfile')
    assert comment.login == 'review-bot'
    assert outcome.comment_id == comment.id
    assert outcome.url == server.comment_json(comment)['html_url']
    assert outcome.url is not None and outcome.url in outcome.message
    assert [(r.method, r.path) for r in server.writes()] == [('POST', COMMENTS)]
    assert server.requests_for('POST')[0].body == {'body': comment.body}


def test_no_round_trips_for_repo_or_issue(server: FakeGitHub) -> None:
    sync(server, 'x')

    sent = [(r.method, r.path) for r in server.requests]
    if _pygithub_version() < (2, 9):
        # Older PyGithub fetches the repository and the issue all the same.
        extra = {f'/repos/{REPO}', f'/repos/{REPO}/issues/{PR}'}
        sent = [(m, p) for m, p in sent if p not in extra]
    # The second listing looks for a duplicate a concurrent run made.
    assert sent == [('GET', '/user'), ('GET', COMMENTS), ('POST', COMMENTS), ('GET', COMMENTS)]
    listing = server.requests_for('GET', COMMENTS)[0]
    assert listing.query == {'per_page': ['100']}
    assert all('Authorization' not in r.headers for r in server.requests)
    assert all(r.headers.get('User-Agent') == 'review-trigger' for r in server.requests)


def test_second_run_updates_in_place(server: FakeGitHub) -> None:
    first = sync(server, 'Triggers: lockfile')
    second = sync(server, 'Triggers: lockfile, migration')

    assert second.action == 'updated'
    assert second.comment_id == first.comment_id
    [comment] = server.comments_on(REPO, PR)
    assert comment.body == sticky('Triggers: lockfile, migration')
    assert [r.method for r in server.writes()] == ['POST', 'PATCH']
    patch = server.requests_for('PATCH')[0]
    assert patch.path == f'/repos/{REPO}/issues/comments/{comment.id}'


def test_identical_body_is_unchanged_without_a_write(
    server: FakeGitHub,
) -> None:
    first = sync(server, 'same')
    writes = len(server.writes())
    again = sync(server, 'same')

    assert again.action == 'unchanged'
    assert again.comment_id == first.comment_id
    assert again.url == first.url
    assert len(server.writes()) == writes


@pytest.mark.parametrize('mode', ['update', 'delete'])
def test_nothing_fires_and_no_comment_posts_nothing(
    server: FakeGitHub,
    mode: str,
) -> None:
    outcome = sync(server, None, mode=mode)

    assert outcome == CommentOutcome('skipped', None, None, outcome.message)
    assert server.writes() == []
    assert server.comments_on(REPO, PR) == []


def test_nothing_fires_any_more_clears_the_comment(
    server: FakeGitHub,
) -> None:
    first = sync(server, 'Triggers: lockfile')
    cleared = sync(server, None)

    assert cleared.action == 'updated'
    assert cleared.comment_id == first.comment_id
    [comment] = server.comments_on(REPO, PR)
    assert comment.body == sticky(DEFAULT_CLEARED_BODY)
    assert 'no significance trigger fires' in comment.body

    assert sync(server, None).action == 'unchanged'
    custom = sync(server, None, cleared_body='All clear.')
    assert custom.action == 'updated'
    assert server.comments_on(REPO, PR)[0].body == sticky('All clear.')
    assert posts(server) == 1


def test_nothing_fires_any_more_deletes_in_delete_mode(
    server: FakeGitHub,
) -> None:
    first = sync(server, 'Triggers: lockfile')
    outcome = sync(server, None, mode='delete')

    assert outcome.action == 'deleted'
    assert outcome.comment_id == first.comment_id
    assert server.comments_on(REPO, PR) == []
    [delete] = server.requests_for('DELETE')
    assert delete.path == f'/repos/{REPO}/issues/comments/{first.comment_id}'
    assert sync(server, None, mode='delete').action == 'skipped'


def test_sticky_comment_on_page_three_is_found(server: FakeGitHub) -> None:
    for i in range(250):
        if i == 230:
            server.add_comment(REPO, PR, sticky('old'))
        else:
            server.add_comment(REPO, PR, f'chatter {i}', login=f'dev{i % 7}')

    outcome = sync(server, 'new')

    assert outcome.action == 'updated'
    assert posts(server) == 0
    assert len(server.comments_on(REPO, PR)) == 250
    [ours] = [c for c in server.comments_on(REPO, PR) if MARKER in c.body]
    assert ours.body == sticky('new')
    pages = server.requests_for('GET', '*/comments')
    assert [r.query.get('page') for r in pages] == [None, ['2'], ['3']]
    # GitHub's Link URLs use /repositories/{id}: they were followed as is.
    assert pages[1].path.startswith('/repositories/')


def test_one_comment_costs_one_listing_and_no_extra_call(server: FakeGitHub) -> None:
    server.add_comment(REPO, PR, sticky('old'))
    for i in range(98):
        server.add_comment(REPO, PR, f'chatter {i}', login='dev')

    assert sync(server, 'old').action == 'unchanged'
    assert [(r.method, r.path) for r in server.requests] == [('GET', '/user'), ('GET', COMMENTS)]
    server.requests.clear()
    assert sync(server, 'new').action == 'updated'
    assert [r.method for r in server.requests] == ['GET', 'GET', 'PATCH']


def test_a_duplicate_on_a_later_page_is_found_and_deleted(server: FakeGitHub) -> None:
    oldest = server.add_comment(REPO, PR, sticky('old'))
    for i in range(150):
        server.add_comment(REPO, PR, f'chatter {i}', login='dev')
    duplicate = server.add_comment(REPO, PR, sticky('old, posted twice'))

    outcome = sync(server, 'new')

    assert outcome.action == 'updated' and outcome.comment_id == oldest.id
    assert 'deleted 1 duplicate of it' in outcome.message
    assert oldest.body == sticky('new')
    assert duplicate not in server.comments_on(REPO, PR)
    assert len(server.requests_for('GET', '*/comments')) == 2


def test_link_header_is_githubs_format(server: FakeGitHub) -> None:
    for i in range(5):
        server.add_comment(REPO, PR, f'c{i}')
    request = urllib.request.Request(
        f'{server.url}{COMMENTS}?per_page=2&page=2',
        headers={'Authorization': f'Bearer {server.token}'},
    )
    with urllib.request.urlopen(request) as response:
        link = response.headers['Link']
        data = json.load(response)

    base = f'{server.url}/repositories/{server.repo_id(REPO)}/issues/7/comments'
    assert link == (
        f'<{base}?per_page=2&page=1>; rel="prev", '
        f'<{base}?per_page=2&page=3>; rel="next", '
        f'<{base}?per_page=2&page=3>; rel="last", '
        f'<{base}?per_page=2&page=1>; rel="first"'
    )
    assert [c['body'] for c in data] == ['c2', 'c3']
    assert data[0]['user']['login'] == 'review-bot'


def test_fake_refuses_requests_without_the_token(server: FakeGitHub) -> None:
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(f'{server.url}/user')
    assert excinfo.value.code == 401
    assert json.load(excinfo.value)['message'] == 'Bad credentials'


def test_other_users_comments_with_the_marker_are_never_touched(
    server: FakeGitHub,
) -> None:
    quoted = server.add_comment(
        REPO,
        PR,
        f'> {sticky("quoted")}\nwhy?',
        login='mallory',
    )

    assert sync(server, 'mine').action == 'created'
    assert sync(server, 'mine, again').action == 'updated'
    assert sync(server, None, mode='delete').action == 'deleted'

    assert server.comments_on(REPO, PR) == [quoted]
    assert quoted.body == f'> {sticky("quoted")}\nwhy?'
    assert not [r for r in server.writes() if str(quoted.id) in r.path]


def test_the_oldest_own_sticky_comment_is_kept_and_the_others_deleted(server: FakeGitHub) -> None:
    oldest = server.add_comment(REPO, PR, sticky('one'))
    chatter = server.add_comment(REPO, PR, 'looks good', login='dev')
    quoted = server.add_comment(REPO, PR, f'> {sticky("one")}\nwhy?', login='mallory')
    newer = server.add_comment(REPO, PR, sticky('two'))

    outcome = sync(server, 'three')

    assert outcome.action == 'updated' and outcome.comment_id == oldest.id
    assert server.comments_on(REPO, PR) == [oldest, chatter, quoted]
    assert oldest.body == sticky('three')
    assert [r.path for r in server.requests_for('DELETE')] == [f'/repos/{REPO}/issues/comments/{newer.id}']


def test_duplicates_are_deleted_when_the_comment_is_up_to_date(server: FakeGitHub) -> None:
    """A POST that timed out on our side and landed at GitHub: the rerun
    with the same body leaves one comment, and writes only the delete."""
    oldest = server.add_comment(REPO, PR, sticky('same'))
    server.add_comment(REPO, PR, sticky('same'))

    outcome = sync(server, 'same')

    assert outcome.action == 'unchanged' and outcome.comment_id == oldest.id
    assert 'deleted 1 duplicate of it' in outcome.message
    assert server.comments_on(REPO, PR) == [oldest]
    assert [r.method for r in server.writes()] == ['DELETE']
    # Converged: the next run writes nothing.
    again = sync(server, 'same')
    assert again.action == 'unchanged' and 'duplicate' not in again.message
    assert [r.method for r in server.writes()] == ['DELETE']


@pytest.mark.parametrize('mode', ['update', 'delete'])
def test_nothing_fires_any_more_with_duplicates_leaves_one_or_none(server: FakeGitHub, mode: str) -> None:
    oldest = server.add_comment(REPO, PR, sticky('needs review'))
    quoted = server.add_comment(REPO, PR, f'> {sticky("needs review")}', login='mallory')
    server.add_comment(REPO, PR, sticky('needs review'))
    server.add_comment(REPO, PR, sticky('needs review'))

    outcome = sync(server, None, mode=mode)

    if mode == 'delete':
        assert outcome.action == 'deleted'
        assert 'deleted the 3 review-trigger comments' in outcome.message
        assert server.comments_on(REPO, PR) == [quoted]
    else:
        assert outcome.action == 'updated' and 'deleted 2 duplicates of it' in outcome.message
        assert server.comments_on(REPO, PR) == [oldest, quoted]
        assert oldest.body == sticky(DEFAULT_CLEARED_BODY)
    assert quoted.body == f'> {sticky("needs review")}'


def test_github_token_mode_uses_the_actions_bot() -> None:
    with FakeGitHub(github_token_mode=True) as server:
        # A user's comment with the marker is not the bot's.
        server.add_comment(REPO, PR, sticky('by hand'), login='review-bot')
        created = sync(server, 'first')
        updated = sync(server, 'second')

        assert (created.action, updated.action) == ('created', 'updated')
        assert created.comment_id == updated.comment_id
        ours = server.comments_on(REPO, PR)[-1]
        assert ours.login == 'github-actions[bot]'
        assert ours.body == sticky('second')
        assert server.comments_on(REPO, PR)[0].body == sticky('by hand')
        assert {r.status for r in server.requests_for('GET', '/user')} == {403}


def test_enterprise_server_prefix() -> None:
    with FakeGitHub(prefix='/api/v3') as server:
        assert server.url.endswith('/api/v3')
        assert sync(server, 'one').action == 'created'
        assert sync(server, 'two').action == 'updated'
        assert sync(server, None, mode='delete').action == 'deleted'
        assert server.comments_on(REPO, PR) == []


# -- failures are outcomes, not exceptions ----------------------------------


def test_resource_not_accessible_fails_without_retrying(
    server: FakeGitHub,
) -> None:
    server.fail_next_forbidden('POST', COMMENTS)

    outcome = sync(server, 'from a fork')

    assert outcome == CommentOutcome('failed', None, None, outcome.message, status=403)
    assert 'HTTP 403' in outcome.message
    assert 'Resource not accessible by integration' in outcome.message
    assert '\n' not in outcome.message
    assert posts(server) == 1
    assert server.comments_on(REPO, PR) == []


def test_validation_error_fails(server: FakeGitHub) -> None:
    sync(server, 'one')
    server.fail_next(
        'PATCH',
        ONE_COMMENT,
        422,
        json={
            'message': 'Validation Failed',
            'errors': [
                {'resource': 'IssueComment', 'code': 'custom', 'field': 'body', 'message': 'body is locked'}
            ],
        },
    )

    outcome = sync(server, 'two')

    assert outcome.action == 'failed'
    assert 'HTTP 422: Validation Failed (body is locked)' in outcome.message
    assert 'update the comment' in outcome.message
    assert len(server.requests_for('PATCH')) == 1


def test_not_found_fails(server: FakeGitHub) -> None:
    server.fail_next('GET', COMMENTS, 404)

    outcome = sync(server, 'x')

    assert outcome.action == 'failed'
    assert 'HTTP 404: Not Found' in outcome.message
    assert server.writes() == []


def test_bad_token_fails_and_is_not_shown(server: FakeGitHub) -> None:
    outcome = sync(server, 'x', token='ghp_wrongtoken123')

    assert outcome.action == 'failed'
    assert 'HTTP 401: Bad credentials' in outcome.message
    assert 'ghp_wrongtoken123' not in outcome.message
    assert len(server.requests) == 1


def test_token_never_reaches_the_message(server: FakeGitHub) -> None:
    server.fail_next(
        'POST',
        COMMENTS,
        422,
        json={
            'message': f'echoing {server.token} back',
        },
    )

    outcome = sync(server, 'x')

    assert outcome.action == 'failed'
    assert server.token not in outcome.message
    assert 'echoing *** back' in outcome.message


def test_server_error_is_retried(server: FakeGitHub) -> None:
    server.fail_next('GET', COMMENTS, 500)
    server.fail_next('GET', '/user', 502, times=2)

    outcome = sync(server, 'x')

    assert outcome.action == 'created'
    assert [r.status for r in server.requests_for('GET', '/user')] == [
        502,
        502,
        200,
    ]
    assert [r.status for r in server.requests_for('GET', COMMENTS)] == [
        500,
        200,
        200,  # the last: the look for a racing run's duplicate
    ]
    assert len(server.comments_on(REPO, PR)) == 1


def test_edit_and_delete_are_retried(server: FakeGitHub) -> None:
    sync(server, 'one')
    server.fail_next('PATCH', ONE_COMMENT, 503)
    assert sync(server, 'two').action == 'updated'
    assert [r.status for r in server.requests_for('PATCH')] == [503, 200]

    # The first DELETE goes through but its answer is lost: the retry
    # finds the comment gone, which is what was wanted.
    server.fail_next('DELETE', ONE_COMMENT, 502, apply=True)
    assert sync(server, None, mode='delete').action == 'deleted'
    assert [r.status for r in server.requests_for('DELETE')] == [502, 404]
    assert server.comments_on(REPO, PR) == []


def test_post_that_failed_but_was_carried_out_is_not_repeated(
    server: FakeGitHub,
) -> None:
    server.fail_next('POST', COMMENTS, 502, apply=True)

    outcome = sync(server, 'x')

    assert outcome.action == 'created'
    [comment] = server.comments_on(REPO, PR)
    assert outcome.comment_id == comment.id
    assert posts(server) == 1


def test_post_dropped_after_it_was_carried_out_is_not_repeated(
    server: FakeGitHub,
) -> None:
    server.fail_next('POST', COMMENTS, mode=DISCONNECT, apply=True)

    assert sync(server, 'x').action == 'created'
    assert len(server.comments_on(REPO, PR)) == 1
    assert posts(server) == 1


def test_post_that_failed_is_repeated_after_looking(
    server: FakeGitHub,
) -> None:
    server.fail_next('POST', COMMENTS, 500)

    assert sync(server, 'x').action == 'created'
    assert len(server.comments_on(REPO, PR)) == 1
    methods = [r.method for r in server.requests_for('*', COMMENTS)]
    assert methods == ['GET', 'POST', 'GET', 'POST', 'GET']


@pytest.mark.parametrize('status', [429, 403])
def test_secondary_rate_limit_with_retry_after_is_retried(
    server: FakeGitHub,
    status: int,
) -> None:
    server.fail_next_rate_limit('POST', COMMENTS, status=status, retry_after=1)

    outcome = sync(server, 'x')

    assert outcome.action == 'created'
    assert [r.status for r in server.requests_for('POST')] == [status, 201]
    assert len(server.comments_on(REPO, PR)) == 1


def test_retry_after_is_honoured_below_the_cap(server: FakeGitHub) -> None:
    server.fail_next_rate_limit('GET', COMMENTS, status=429, retry_after=1)

    start = time.monotonic()
    outcome = sync(server, 'x', max_wait=5)

    assert outcome.action == 'created'
    assert 1 <= time.monotonic() - start < 4


def test_secondary_rate_limit_message_alone_is_retried(
    server: FakeGitHub,
) -> None:
    server.fail_next(
        'GET',
        COMMENTS,
        403,
        json={
            'message': SECONDARY_LIMIT_MESSAGE,
        },
    )

    assert sync(server, 'x').action == 'created'
    assert len(server.requests_for('GET', COMMENTS)) == 3


@pytest.mark.parametrize('status', [403, 429])
def test_primary_rate_limit_waits_for_reset_but_bounded(
    server: FakeGitHub,
    status: int,
) -> None:
    server.fail_next_rate_limit('GET', COMMENTS, status=status, reset_in=3600)

    start = time.monotonic()
    outcome = sync(server, 'x', max_wait=0.2)

    assert outcome.action == 'created'
    assert time.monotonic() - start < 3
    assert [r.status for r in server.requests_for('GET', COMMENTS)] == [
        status,
        200,
        200,
    ]


def test_max_wait_from_the_environment(
    server: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(MAX_RETRY_WAIT_ENV, '0.1')
    server.fail_next_rate_limit('POST', COMMENTS, reset_in=3600)

    start = time.monotonic()
    outcome = sync(server, 'x', max_wait=None)

    assert outcome.action == 'created'
    assert time.monotonic() - start < 3

    monkeypatch.setenv(MAX_RETRY_WAIT_ENV, 'soon')
    with pytest.raises(ValueError, match=MAX_RETRY_WAIT_ENV):
        sync(server, 'x', max_wait=None)


def test_persistent_rate_limit_fails_with_githubs_message(
    server: FakeGitHub,
) -> None:
    server.fail_next(
        'GET',
        '/user',
        403,
        times=10,
        json={
            'message': SECONDARY_LIMIT_MESSAGE,
        },
    )

    outcome = sync(server, 'x', max_retries=2)

    # Not mistaken for a GITHUB_TOKEN's 403 on /user, which would look
    # for the wrong author and post a duplicate.
    assert outcome.action == 'failed'
    assert 'secondary rate limit' in outcome.message
    assert len(server.requests_for('GET', '/user')) == 3
    assert server.writes() == []


def test_persistent_server_error_fails_after_bounded_retries(
    server: FakeGitHub,
) -> None:
    server.fail_next('GET', COMMENTS, 500, times=100)

    start = time.monotonic()
    outcome = sync(server, 'x', max_retries=3)

    assert outcome.action == 'failed'
    assert 'HTTP 500: Server Error' in outcome.message
    assert len(server.requests_for('GET', COMMENTS)) == 4
    assert time.monotonic() - start < 3
    assert server.writes() == []


def test_persistent_post_error_fails_after_bounded_retries(
    server: FakeGitHub,
) -> None:
    server.fail_next('POST', COMMENTS, 500, times=100)

    outcome = sync(server, 'x', max_retries=2)

    assert outcome.action == 'failed'
    assert 'create the comment' in outcome.message
    assert posts(server) == 3
    assert server.comments_on(REPO, PR) == []


def test_dropped_connection_is_retried(server: FakeGitHub) -> None:
    server.fail_next('GET', COMMENTS, mode=DISCONNECT)
    server.fail_next('GET', '/user', mode=DISCONNECT)

    assert sync(server, 'x').action == 'created'
    assert len(server.requests_for('GET', '/user')) == 2
    assert len(server.requests_for('GET', COMMENTS)) == 3


def test_body_cut_short_fails(server: FakeGitHub) -> None:
    # urllib3 retries up to the response headers only: a body cut short
    # afterwards is not retried, it fails the sync (the next run redoes it).
    server.fail_next('GET', COMMENTS, mode=TRUNCATE)

    outcome = sync(server, 'x')

    assert outcome.action == 'failed'
    # IncompleteRead with urllib3 2; 1.26 hands over the half JSON.
    assert 'list the comments' in outcome.message
    assert server.writes() == []


def test_network_down_fails(server: FakeGitHub) -> None:
    server.fail_next('*', '*', mode=DISCONNECT, times=100)

    outcome = sync(server, 'x', max_retries=1)

    assert outcome.action == 'failed'
    assert 'Connection' in outcome.message
    assert len(server.requests) == 2


def test_connection_refused_fails() -> None:
    with FakeGitHub() as gone:
        url = gone.url
    outcome = sync_comment(
        api_url=url,
        token='ghs_16C7e42F292c6912E7710c838347Ae178B4a',
        repo=REPO,
        number=PR,
        body='x',
        max_retries=1,
        max_wait=0.01,
    )
    assert outcome.action == 'failed'
    assert 'ConnectionError' in outcome.message


def test_timeout_fails(server: FakeGitHub) -> None:
    server.fail_next('GET', '/user', 200, delay=1.5, times=5)

    start = time.monotonic()
    outcome = sync(server, 'x', timeout=0.5, max_retries=0)

    assert outcome.action == 'failed'
    assert 'Timeout' in outcome.message
    assert time.monotonic() - start < 1.5
    assert server.writes() == []


def test_malformed_json_fails(server: FakeGitHub) -> None:
    server.fail_next('GET', COMMENTS, mode=MALFORMED)

    outcome = sync(server, 'x')

    assert outcome.action == 'failed'
    assert 'list the comments' in outcome.message
    assert server.writes() == []


# -- arguments ----------------------------------------------------------------


def test_body_at_the_limit_is_posted(server: FakeGitHub) -> None:
    body = 'x' * (MAX_BODY_CHARS - len(MARKER) - 1)

    assert sync(server, body).action == 'created'
    assert len(server.comments_on(REPO, PR)[0].body) == MAX_BODY_CHARS


def test_oversize_body_raises_before_any_request(server: FakeGitHub) -> None:
    body = 'x' * (MAX_BODY_CHARS - len(MARKER))

    with pytest.raises(ValueError, match='truncate'):
        sync(server, body)
    with pytest.raises(ValueError, match='truncate'):
        sync(server, None, cleared_body=body)
    assert server.requests == []


@pytest.mark.parametrize(
    'kwargs',
    [
        {'mode': 'remove'},
        {'repo': 'widgets'},
        {'repo': 'octo/widgets/extra'},
        {'number': 0},
        {'marker': ''},
        {'token': ''},
        {'api_url': 'ftp://example.com'},
        {'max_wait': -1},
    ],
)
def test_bad_arguments_raise(
    server: FakeGitHub,
    kwargs: dict[str, Any],
) -> None:
    with pytest.raises(ValueError):
        sync(server, 'x', **kwargs)
    assert server.requests == []


# -- pure helpers -------------------------------------------------------------


def test_is_sticky_needs_marker_and_author() -> None:
    assert is_sticky(sticky('x'), 'Review-Bot', marker=MARKER, login='review-bot')
    assert not is_sticky('x', 'review-bot', marker=MARKER, login='review-bot')
    assert not is_sticky(sticky('x'), 'mallory', marker=MARKER, login='review-bot')
    assert not is_sticky(sticky('x'), None, marker=MARKER, login='review-bot')
    assert not is_sticky(None, 'review-bot', marker=MARKER, login='review-bot')


def test_rate_limit_wait() -> None:
    assert rate_limit_wait({'Retry-After': '30'}, now=0) == 30
    assert (
        rate_limit_wait(
            {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100'},
            now=40,
        )
        == 61
    )
    assert (
        rate_limit_wait(
            {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100'},
            now=500,
        )
        == 1
    )
    assert (
        rate_limit_wait(
            {'x-ratelimit-remaining': '12', 'x-ratelimit-reset': '100'},
            now=40,
        )
        is None
    )
    assert rate_limit_wait({}, now=0) is None


# -- races and App tokens ------------------------------------------------------


def test_two_runs_creating_at_once_leave_one_comment_the_oldest(server: FakeGitHub) -> None:
    # A racing run's comment lands between our look and our POST.
    server.before_create = lambda: server.add_comment(REPO, PR, sticky('from the other run'))
    outcome = sync(server, 'ours')
    [kept] = server.comments_on(REPO, PR)
    assert outcome.action == 'created' and outcome.comment_id == kept.id
    # The oldest is kept (the other run's), and holds this run's text.
    assert kept.body == sticky('ours')
    assert server.requests_for('DELETE')
    # Someone else's comment quoting the marker is never touched.
    server.add_comment(REPO, PR, sticky('quoted'), login='mallory')
    assert sync(server, 'ours').action == 'unchanged'
    assert len(server.comments_on(REPO, PR)) == 2


def test_a_create_without_a_race_deletes_nothing(server: FakeGitHub) -> None:
    assert sync(server, 'one').action == 'created'
    assert not server.requests_for('DELETE')
    assert len(server.comments_on(REPO, PR)) == 1


def test_an_app_installation_token_finds_its_own_comment() -> None:
    with FakeGitHub(app_slug='review-app') as server:
        first = sync(server, 'one')
        assert first.action == 'created'
        [comment] = server.comments_on(REPO, PR)
        assert comment.login == 'review-app[bot]'
        again = sync(server, 'two')
        assert again.action == 'updated' and again.comment_id == first.comment_id
        assert len(server.comments_on(REPO, PR)) == 1
        # A bot of another app quoting the marker, not made through its app,
        # is not ours.
        server.add_comment(REPO, PR, sticky('spoof'), login='other[bot]', user_type='Bot')
        assert sync(server, 'two').action == 'unchanged'
        assert len(server.comments_on(REPO, PR)) == 2


def test_a_listing_that_is_an_object_is_a_failure_not_a_crash(server: FakeGitHub) -> None:
    server.list_as_object = True
    outcome = sync(server, 'x')
    assert outcome.action == 'failed'
    assert 'Could not list the comments' in outcome.message


# -- what a failure says when GitHub's body does not ------------------------


@pytest.mark.parametrize(
    ('headers', 'said'),
    [
        pytest.param({'retry-after': '30'}, 'HTTP 403: rate limited, retry after 30 s', id='secondary'),
        pytest.param(
            {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1767225600'},
            'HTTP 403: API rate limit exceeded until 00:00:00 UTC',
            id='primary_with_reset',
        ),
        pytest.param(
            {'x-ratelimit-remaining': '0'}, 'HTTP 403: API rate limit exceeded', id='primary_no_reset'
        ),
    ],
)
def test_a_rate_limit_without_a_message_is_named_from_its_headers(
    server: FakeGitHub, headers: dict[str, str], said: str
) -> None:
    server.fail_next('GET', COMMENTS, 403, json={}, headers=headers, times=5)

    outcome = sync(server, 'x', max_retries=0)

    assert outcome.action == 'failed' and outcome.status == 403
    assert said in outcome.message, outcome.message
    assert server.writes() == []


def test_validation_errors_given_as_strings_are_listed(server: FakeGitHub) -> None:
    server.fail_next(
        'POST', COMMENTS, 422, json={'message': 'Validation Failed', 'errors': ['body is too long']}
    )

    outcome = sync(server, 'x')

    assert outcome.action == 'failed'
    assert 'HTTP 422: Validation Failed (body is too long)' in outcome.message
