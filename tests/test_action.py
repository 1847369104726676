"""The GitHub Action, run through the harness the way a runner runs it:
action.yml's real steps against a shallow clone of a pull request and a
local FakeGitHub."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

_TESTS = os.path.dirname(os.path.abspath(__file__))
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

import action_harness as h  # noqa: E402
from conftest import measure_coverage, recall_memo, seed_memo, shared_dir  # noqa: E402
from github_fake import FakeGitHub  # noqa: E402

from review_trigger.github import event as ev  # noqa: E402
from review_trigger.github import workflow  # noqa: E402
from review_trigger.github.comments import MARKER  # noqa: E402
from review_trigger.hosts import render  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REPO = 'octo/widgets'
FORK = 'mallory/widgets'
VENV = 'review-trigger-venv'

# The README's workflows, verbatim (test_readme_workflows_match checks that
# the README shows these).
WORKFLOW = """\
name: review-trigger
on:
  pull_request:
permissions:
  contents: read
  pull-requests: write
# A newer push cancels the run for the older one, so results land in order.
concurrency:
  group: review-trigger-${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  review-trigger:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: review
        uses: OWNER/review-trigger@v1
      - if: ${{ !cancelled() && steps.review.outputs.report != '' }}
        uses: actions/upload-artifact@v4
        with:
          name: review-trigger-report
          path: ${{ steps.review.outputs.report }}
          retention-days: 7
"""

COMMENT_WORKFLOW = """\
name: review-trigger comment
on:
  workflow_run:
    workflows: [review-trigger]
    types: [completed]
permissions:
  actions: read
  contents: read
  pull-requests: write
# One comment run per fork run at a time. Runs that race all the same end
# with one comment: each looks again after creating, keeps the oldest and
# deletes the others.
concurrency:
  group: review-trigger-comment-${{ github.event.workflow_run.head_sha }}
jobs:
  comment:
    # Pull requests from forks only: the first workflow comments on the others.
    if: >-
      github.event.workflow_run.event == 'pull_request' &&
      github.event.workflow_run.conclusion != 'cancelled' &&
      github.event.workflow_run.head_repository.full_name != github.repository
    runs-on: ubuntu-latest
    steps:
      # The base repository's default branch: nothing from the fork is
      # checked out or run. The action fetches the pull request's commits
      # and analyses them itself; the report only names the pull request.
      - uses: actions/checkout@v4
      - uses: actions/download-artifact@v4
        with:
          name: review-trigger-report
          run-id: ${{ github.event.workflow_run.id }}
          github-token: ${{ github.token }}
          path: ${{ runner.temp }}/review-trigger-report
      - uses: OWNER/review-trigger@v1
        with:
          from-report: ${{ runner.temp }}/review-trigger-report/report.json
"""

OAUTH = """\
import jwt


def exchange(code: str) -> str:
    return jwt.encode({"code": code}, "k")
"""


# -- fixtures ---------------------------------------------------------------------


def _copy_action(dest: Path) -> Path:
    """The action's folder as the runner downloads it (a copy of the
    repository: action.yml, the package and what building it needs)."""
    dest.mkdir(parents=True)
    for name in ('action.yml', 'pyproject.toml', 'README.md', 'LICENSE'):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, dest / name)
    shutil.copytree(
        ROOT / 'review_trigger',
        dest / 'review_trigger',
        ignore=shutil.ignore_patterns('__pycache__', '*.pyc'),
    )
    return dest


def install(base: Path, inputs: dict[str, str]) -> None:
    """Run the action's install step with ``inputs`` into ``base``: the
    action's folder in ``base/review-trigger``, the virtual environment in
    ``base/temp`` (pip may use the network). Its workspace holds modules
    named like what the step runs (pip, venv) that would leave a mark if the
    step imported them."""
    action_dir = _copy_action(base / 'review-trigger')
    ws = base / 'workspace'
    ws.mkdir()
    mark = base / 'pwned'
    for module in ('pip/__init__.py', 'venv/__init__.py', 'ensurepip/__init__.py'):
        (ws / module).parent.mkdir(parents=True, exist_ok=True)
        (ws / module).write_text(f'open({str(mark)!r}, "w").close()\n')
    runner = h.Runner(
        workspace=ws,
        temp=base / 'temp',
        event_name='pull_request',
        event={},
        repository=REPO,
        api_url='http://127.0.0.1:9',
        server_url='http://127.0.0.1:9',
        token='unused',
    )
    result = h.run_action(
        action_dir, runner, inputs, {'actions/setup-python': h.setup_python}, until='Install review-trigger'
    )
    install = result.steps[-1]
    assert install.name == 'Install review-trigger'
    assert result.outcome == 'success', install.stderr[-3000:]
    assert not mark.exists(), 'the install step imported a module from the workspace'
    venv = base / 'temp' / VENV
    assert (venv / 'bin' / 'review-trigger').exists()
    # Idempotent: a second run of the step in the same job reuses it.
    again = h.run_action(
        action_dir, runner, inputs, {'actions/setup-python': h.setup_python}, until='Install review-trigger'
    )
    assert 'reusing' in again.steps[-1].stdout
    # What the installed copy works out from the default rules, kept for
    # the jobs' checkouts (``Job.providers``).
    seed_memo(base, [str(venv / 'bin' / 'python'), '-I', '-m', 'review_trigger'])
    measure_coverage(venv)


# The two installs the tests use, by the fixture that gives them: the
# folder they are built in (per test run) and the action's inputs.
_INSTALLS = {'installed': ('action', {}), 'installed_review': ('action-review', {'review': 'true'})}


def installed_action(request: pytest.FixtureRequest, fixture: str) -> tuple[Path, Path]:
    """The action's folder and the virtual environment its install step
    made: the real step, run once for the whole test run (every xdist
    worker shares it; a job links it in as the step would leave it). A
    worker that finds it being built builds the other install meanwhile,
    if a test of this run wants that one."""
    name, inputs = _INSTALLS[fixture]
    wanted = {f for item in request.session.items for f in getattr(item, 'fixturenames', ())}
    meanwhile = [
        (other, functools.partial(install, inputs=other_inputs))
        for f, (other, other_inputs) in _INSTALLS.items()
        if f != fixture and f in wanted
    ]
    base = shared_dir(
        request.getfixturevalue('tmp_path_factory'),
        name,
        functools.partial(install, inputs=inputs),
        meanwhile,
    )
    return base / 'review-trigger', base / 'temp' / VENV


@pytest.fixture(scope='session')
def installed(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    return installed_action(request, 'installed')


class Origin:
    """A bare "origin" on disk with main and pull request refs, as GitHub
    keeps them: refs/pull/N/head and refs/pull/N/merge."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bare = root / 'origin.git'
        self.dev = root / 'dev'
        root.mkdir(parents=True)
        h.git(root, 'init', '-q', '--bare', '-b', 'main', str(self.bare))
        h.git(root, 'init', '-q', '-b', 'main', str(self.dev))
        h.git(self.dev, 'remote', 'add', 'origin', str(self.bare))
        self.url = self.bare.as_uri()
        self.heads: dict[int, str] = {}

    def git(self, *args: str) -> str:
        return h.git(self.dev, *args)

    def commit(self, files: dict[str, str | None], message: str = 'change') -> str:
        for name, content in files.items():
            path = self.dev / name
            if content is None:
                self.git('rm', '-q', '--', name)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding='utf-8', newline='')
            self.git('add', '--', name)
        self.git('commit', '-q', '--allow-empty', '-m', message)
        return self.git('rev-parse', 'HEAD').strip()

    def main(self, files: dict[str, str | None], message: str = 'main change') -> str:
        self.git('checkout', '-q', 'main')
        sha = self.commit(files, message)
        self.git('push', '-q', 'origin', 'main')
        return sha

    def main_commits(self, n: int) -> None:
        """``n`` more commits on main, quickly (one git fast-import)."""
        self.git('checkout', '-q', 'main')
        parent = self.git('rev-parse', 'HEAD').strip()
        stream = []
        for i in range(n):
            msg, content = f'main {i}\n', f'{i}\n'
            stream.append(
                f'commit refs/heads/main\n'
                f'committer Test <test@example.com> {1_700_000_000 + i} +0000\n'
                f'data {len(msg)}\n{msg}'
                + (f'from {parent}\n' if i == 0 else '')
                + f'M 100644 inline history.txt\ndata {len(content)}\n{content}\n'
            )
        subprocess.run(
            ['git', 'fast-import', '--quiet'], input=''.join(stream), cwd=self.dev, check=True, text=True
        )
        self.git('reset', '-q', '--hard', 'main')
        self.git('push', '-q', 'origin', 'main')

    def branch(self, name: str, start: str = 'main') -> None:
        self.git('checkout', '-q', '-B', name, start)

    def push_pr(
        self, number: int, branch: str, files: dict[str, str | None], message: str = 'pull request change'
    ) -> str:
        """Commit on ``branch`` and update pull request ``number``'s refs."""
        self.git('checkout', '-q', branch)
        head = self.commit(files, message)
        self.git('push', '-q', '-f', 'origin', f'{head}:refs/pull/{number}/head')
        self.git('checkout', '-q', '--detach', 'main')
        self.git('merge', '-q', '--no-ff', '--no-edit', head)
        merge = self.git('rev-parse', 'HEAD').strip()
        self.git('push', '-q', '-f', 'origin', f'{merge}:refs/pull/{number}/merge')
        self.git('checkout', '-q', branch)
        self.heads[number] = head
        self.merge = merge
        return head

    def event(
        self, number: int, branch: str, *, fork: bool = False, action: str = 'synchronize'
    ) -> dict[str, Any]:
        base = self.git('rev-parse', 'main').strip()
        head_repo = FORK if fork else REPO
        return {
            'action': action,
            'number': number,
            'pull_request': {
                'number': number,
                'title': 'A change',
                'base': {'ref': 'main', 'sha': base, 'label': 'octo:main', 'repo': {'full_name': REPO}},
                'head': {
                    'ref': branch,
                    'sha': self.heads[number],
                    'label': f'{head_repo.split("/")[0]}:{branch}',
                    'repo': {'full_name': head_repo},
                },
            },
            'repository': {'full_name': REPO},
        }


@pytest.fixture
def origin(tmp_path: Path) -> Origin:
    o = Origin(tmp_path / 'remote')
    o.commit(
        {
            'README.md': '# widgets\n',
            'src/app/__init__.py': '',
            'src/app/core.py': 'def run():\n    return 1\n',
        },
        'initial',
    )
    o.git('push', '-q', 'origin', 'main')
    return o


@pytest.fixture
def fake() -> Iterator[h.FakeGitHubWithPulls]:
    with h.FakeGitHubWithPulls(github_token_mode=True) as server:
        yield server  # type: ignore[misc]  # __enter__ is typed as the base class's


class Job:
    """Runs jobs for one test: a fresh runner (workspace, RUNNER_TEMP) per
    run, the installed virtual environment linked in as the install step
    would leave it."""

    def __init__(self, tmp: Path, installed: tuple[Path, Path], origin: Origin, fake: FakeGitHub) -> None:
        self.tmp = tmp
        self.action_dir, self.venv = installed
        self.origin = origin
        self.fake = fake
        self.runs = 0
        self.artifacts = h.Artifacts(tmp / 'artifacts')

    def runner(
        self, event_name: str, event: dict[str, Any], *, sha: str = '', token: str | None = None
    ) -> h.Runner:
        self.runs += 1
        base = self.tmp / f'run{self.runs}'
        temp = base / 'temp'
        temp.mkdir(parents=True)
        (temp / VENV).symlink_to(self.venv, target_is_directory=True)
        return h.Runner(
            workspace=base / 'workspace',
            temp=temp,
            event_name=event_name,
            event=event,
            repository=REPO,
            api_url=self.fake.url,
            server_url=self.fake.root,
            token=self.fake.token if token is None else token,
            run_id=1000 + self.runs,
            sha=sha,
            extra_env={'REVIEW_TRIGGER_MAX_RETRY_WAIT': '0.01'},
        )

    def providers(self, fetch_depth: int | None = None) -> dict[str, h.Provider]:
        checkout = h.checkout(self.origin.url)

        def with_depth(with_: dict[str, str], runner: h.Runner) -> h.StepResult:
            if fetch_depth is not None:
                with_ = {**with_, 'fetch-depth': str(fetch_depth)}
            done = checkout(with_, runner)
            # The checkout starts with the memo of an earlier run of the
            # installed copy, as a repository analysed before (the suite's
            # time: each job would work the default rules out again).
            recall_memo(self.venv.parent.parent / 'memo', runner.workspace / (with_.get('path') or ''))
            return done

        return {
            'actions/checkout': with_depth,
            'actions/upload-artifact': self.artifacts.upload,
            'actions/download-artifact': self.artifacts.download,
        }

    def workflow(
        self,
        number: int,
        branch: str,
        *,
        fork: bool = False,
        text: str = WORKFLOW,
        fetch_depth: int | None = None,
    ) -> h.JobResult:
        event = self.origin.event(number, branch, fork=fork)
        runner = self.runner('pull_request', event, sha=self.origin.merge)
        self.last_runner = runner
        return h.run_workflow(
            text,
            runner,
            self.action_dir,
            self.providers(fetch_depth),
            {'actions/setup-python': h.setup_python},
        )

    def action(
        self,
        number: int,
        branch: str,
        inputs: dict[str, str] | None = None,
        *,
        fork: bool = False,
        fetch_depth: int = 1,
        event: dict[str, Any] | None = None,
        event_name: str = 'pull_request',
        ref: str = '',
    ) -> h.ActionResult:
        """checkout (``fetch_depth`` deep; of ``ref``, default the merge
        commit), then the action with ``inputs``."""
        event = event or self.origin.event(number, branch, fork=fork)
        runner = self.runner(event_name, event, sha=self.origin.merge)
        self.last_runner = runner
        self.providers()['actions/checkout']({'fetch-depth': str(fetch_depth), 'ref': ref}, runner)
        return h.run_action(self.action_dir, runner, inputs or {}, {'actions/setup-python': h.setup_python})


@pytest.fixture
def job(tmp_path: Path, installed: tuple[Path, Path], origin: Origin, fake: FakeGitHub) -> Job:
    return Job(tmp_path / 'jobs', installed, origin, fake)


def comments(fake: FakeGitHub, number: int = 7) -> list[Any]:
    return fake.comments_on(REPO, number)


def prompt_of(result: h.ActionResult) -> str:
    return Path(result.outputs['prompt-file']).read_text(encoding='utf-8')


def run_step(result: h.ActionResult) -> h.StepResult:
    [step] = [s for s in result.steps if s.name == 'Run review-trigger']
    return step


# -- the README workflow: first run, rerun, new push, no longer triggers ------------


def test_readme_workflow_keeps_one_comment_up_to_date(job: Job, origin: Origin, fake: FakeGitHub) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH}, 'Add OAuth code exchange')

    first = job.workflow(7, 'oauth')
    assert first.outcome == 'success', first.steps[-2].stderr
    [action] = first.actions
    assert action.outputs['triggered'] == 'true'
    assert action.outputs['triggers'] == 'security'
    prompt = prompt_of(action)
    assert prompt.startswith('## Opus Review: pull request')
    assert '`src/auth/oauth.py`' in prompt
    report = json.loads(Path(action.outputs['report']).read_text())
    assert report['pull_request'] == {
        'number': 7,
        'repository': REPO,
        'base_sha': origin.git('rev-parse', 'main').strip(),
        'head_sha': origin.heads[7],
        'fork': False,
    }
    assert report['triggered'] is True and report['prompt'] == prompt
    # The artifact step uploaded the report.
    assert job.artifacts.uploads == [('review-trigger-report', action.outputs['report'])]
    # Exactly one comment, holding the prompt, by the token's identity.
    [comment] = comments(fake)
    assert comment.body.startswith(MARKER + '\n')
    assert prompt in comment.body
    assert comment.login == 'github-actions[bot]'
    assert action.outputs['comment-url'].endswith(f'#issuecomment-{comment.id}')
    # The job summary holds the result and the prompt.
    assert '## review-trigger: 1 trigger fired on pull request #7 (security)' in first.summary
    assert prompt in first.summary
    # The triggered file is annotated; nothing else is.
    [warning] = first.annotations('warning')
    assert warning.properties['file'] == 'src/auth/oauth.py'
    assert 'security' in warning.message
    assert not first.annotations('notice') and not first.annotations('error')
    # The job's environment is left alone (no PATH or env changes).
    assert job.last_runner.path_file.read_text() == ''
    assert job.last_runner.env_file.read_text() == ''

    # Re-run, same head: still one comment, not rewritten.
    patches = len(fake.requests_for('PATCH'))
    again = job.workflow(7, 'oauth')
    assert again.outcome == 'success'
    assert len(comments(fake)) == 1
    assert comments(fake)[0].body == comment.body
    assert len(fake.requests_for('PATCH')) == patches
    assert len(fake.requests_for('POST')) == 1

    # A new push that still triggers: the same comment, updated.
    origin.push_pr(7, 'oauth', {'src/auth/session_tokens.py': 'TOKEN_TTL = 60\n'}, 'Add token lifetime')
    third = job.workflow(7, 'oauth')
    assert third.outcome == 'success'
    [updated] = comments(fake)
    assert updated.id == comment.id
    assert '`src/auth/session_tokens.py`' in updated.body
    assert prompt_of(third.actions[0]) in updated.body
    assert len(fake.requests_for('POST')) == 1

    # A push after which nothing triggers: the comment says so.
    origin.push_pr(
        7,
        'oauth',
        {'src/auth/oauth.py': None, 'src/auth/session_tokens.py': None},
        'Move the OAuth work to another pull request',
    )
    fourth = job.workflow(7, 'oauth')
    assert fourth.outcome == 'success'
    [action] = fourth.actions
    assert action.outputs['triggered'] == 'false'
    assert action.outputs['triggers'] == ''
    assert action.outputs['prompt-file'] == ''
    [cleared] = comments(fake)
    assert cleared.id == comment.id
    assert 'no significance trigger fires any more' in cleared.body.lower()
    assert origin.heads[7][:12] in cleared.body
    assert 'no trigger fired on pull request #7' in fourth.summary
    assert not fourth.annotations('warning')


def test_a_pull_request_that_never_triggers_gets_no_comment(
    job: Job, origin: Origin, fake: FakeGitHub
) -> None:
    origin.branch('docs')
    origin.push_pr(7, 'docs', {'src/app/core.py': 'def run():\n    return 2\n'})
    result = job.action(7, 'docs')
    assert result.outcome == 'success'
    assert result.outputs['triggered'] == 'false'
    assert not comments(fake)
    assert not fake.writes()
    assert 'no trigger fired on pull request #7' in result.summary
    assert "none needs the strongest model's review" in result.summary


# -- inputs ---------------------------------------------------------------------------


def test_delete_mode_removes_the_comment_when_nothing_triggers(
    job: Job, origin: Origin, fake: FakeGitHub
) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    assert job.action(7, 'oauth', {'comment-mode': 'delete'}).outcome == 'success'
    assert len(comments(fake)) == 1
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': None})
    result = job.action(7, 'oauth', {'comment-mode': 'delete'})
    assert result.outcome == 'success'
    assert comments(fake) == []
    assert result.outputs['comment-url'] == ''
    assert 'deleted' in result.summary


def test_duplicate_comments_are_all_deleted_in_delete_mode(
    job: Job, origin: Origin, fake: FakeGitHub
) -> None:
    """Two of the bot's own comments (a POST that timed out but landed) and
    someone's quote of one: delete mode deletes both of ours, not the quote."""
    origin.branch('docs')
    origin.push_pr(7, 'docs', {'src/app/core.py': 'def run():\n    return 2\n'})
    stale = f"{MARKER}\n### review-trigger: this pull request needs the strongest model's review\n"
    fake.add_comment(REPO, 7, stale)
    fake.add_comment(REPO, 7, stale)
    quote = fake.add_comment(REPO, 7, f'> {stale}', login='dev')
    result = job.action(7, 'docs', {'comment-mode': 'delete'})
    assert result.outcome == 'success', run_step(result).stderr
    assert comments(fake) == [quote]
    assert 'deleted the 2 review-trigger comments' in result.summary


def test_comment_false_makes_no_request(job: Job, origin: Origin, fake: FakeGitHub) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'comment': 'false'})
    assert result.outcome == 'success'
    assert result.outputs['triggered'] == 'true'
    assert fake.requests == []
    assert prompt_of(result) in result.summary
    assert 'Comment' not in result.summary


def test_fail_on_trigger_fails_after_commenting(job: Job, origin: Origin, fake: FakeGitHub) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'fail-on-trigger': 'true'})
    assert result.outcome == 'failure'
    assert run_step(result).returncode == 1
    assert len(comments(fake)) == 1
    assert result.outputs['triggered'] == 'true'


def test_a_bad_input_is_one_line(job: Job, origin: Origin) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'comment': 'yes'})
    assert result.outcome == 'failure'
    assert run_step(result).returncode == 2
    assert run_step(result).stderr == (
        "review-trigger: error: input comment must be true or false, not 'yes'\n"
    )


def test_configuration_is_read_from_the_base_commit(job: Job, origin: Origin, fake: FakeGitHub) -> None:
    origin.main({'ci/review.yaml': 'triggers:\n  security:\n    enabled: true\n'})
    origin.branch('sneaky')
    # The pull request tries to switch the trigger off in the named file.
    origin.push_pr(
        7,
        'sneaky',
        {
            'ci/review.yaml': 'triggers:\n  security:\n    enabled: false\n',
            'src/auth/oauth.py': OAUTH,
        },
    )
    result = job.action(7, 'sneaky', {'config': 'ci/review.yaml', 'comment': 'false'})
    assert result.outcome == 'success', run_step(result).stderr
    assert result.outputs['triggers'] == 'security'
    missing = job.action(7, 'sneaky', {'config': 'nope.yaml', 'comment': 'false'})
    assert missing.outcome == 'failure'
    assert 'nope.yaml is not in the base commit' in run_step(missing).stderr


# -- forks and failures ---------------------------------------------------------------------


def test_fork_with_a_read_only_token_succeeds_with_the_prompt_in_the_summary(
    job: Job, origin: Origin, fake: FakeGitHub
) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    fake.fail_next_forbidden('POST', f'/repos/{REPO}/issues/7/comments')
    result = job.workflow(7, 'oauth', fork=True)
    assert result.outcome == 'success'
    [action] = result.actions
    assert action.outputs['triggered'] == 'true'
    assert prompt_of(action) in result.summary
    assert comments(fake) == []
    [notice] = result.annotations('notice')
    assert 'HTTP 403' in notice.message and 'workflow_run' in notice.message
    assert 'Resource not accessible by integration' in result.summary
    assert not result.annotations('error')
    # The artifact for the comment workflow was still uploaded.
    assert [name for name, _ in job.artifacts.uploads] == ['review-trigger-report']


def test_a_404_is_a_notice_and_a_server_error_a_warning(job: Job, origin: Origin, fake: FakeGitHub) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    fake.fail_next('GET', f'/repos/{REPO}/issues/7/comments', 404)
    result = job.action(7, 'oauth')
    assert result.outcome == 'success'
    assert [n.message[:40] for n in result.annotations('notice')] == [
        'Could not list the comments on octo/widg'
    ]
    assert 'pull-requests: write' in result.annotations('notice')[0].message

    fake.fail_next('GET', f'/repos/{REPO}/issues/7/comments', 503, times=5)
    result = job.action(7, 'oauth')
    assert result.outcome == 'success'
    [warning] = [w for w in result.annotations('warning') if 'file' not in w.properties]
    assert 'HTTP 503' in warning.message
    assert comments(fake) == []

    # A 5xx that goes away is retried.
    fake.fail_next('GET', f'/repos/{REPO}/issues/7/comments', 502, times=2)
    result = job.action(7, 'oauth')
    assert result.outcome == 'success'
    assert len(comments(fake)) == 1
    assert fake.faults == []


def test_a_bad_token_is_named_as_such_not_as_a_permission(job: Job, origin: Origin, fake: FakeGitHub) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'token': 'expired-token'})
    assert result.outcome == 'success', run_step(result).stderr
    [notice] = result.annotations('notice')
    assert 'HTTP 401: Bad credentials' in notice.message
    assert 'missing, invalid or expired' in notice.message
    assert 'permissions' not in notice.message
    assert 'expired-token' not in result.stdout + result.summary
    assert comments(fake) == []


def test_no_token_is_a_notice(job: Job, origin: Origin, fake: FakeGitHub) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'token': ''})
    assert result.outcome == 'success'
    [notice] = result.annotations('notice')
    assert 'No token' in notice.message
    assert fake.requests == []


def test_pull_request_code_is_never_run(job: Job, origin: Origin, fake: FakeGitHub, tmp_path: Path) -> None:
    """A pull request that ships modules named like the action's (even a
    package named review_trigger) is only ever read."""
    mark = tmp_path / 'pwned'
    payload = f'open({str(mark)!r}, "w").close()\n'
    origin.branch('evil')
    origin.push_pr(
        7,
        'evil',
        {
            'review_trigger/__init__.py': payload,
            'review_trigger/__main__.py': payload,
            'pip/__init__.py': payload,
            'git.py': payload,
            'github/__init__.py': payload,
            'yaml.py': payload,
            'sitecustomize.py': payload,
            'usercustomize.py': payload,
        },
    )
    result = job.action(7, 'evil')
    assert result.outcome == 'success', run_step(result).stderr
    assert not mark.exists()
    assert result.outputs['triggered'] == 'true'  # new packages: architecture


# -- GitHub's limits ---------------------------------------------------------------------


def test_an_oversize_prompt_is_cut_with_an_honest_note(job: Job, origin: Origin, fake: FakeGitHub) -> None:
    origin.branch('big')
    for i in range(31):
        origin.commit(
            {f'src/auth/module_{i:02d}_{"x" * 150}.py': f'V = {i}\n'},
            f'Commit {i}\n\n' + ('A long explanation. ' * 99),
        )
    origin.push_pr(7, 'big', {'src/auth/last.py': 'V = 0\n'})
    result = job.action(7, 'big')
    assert result.outcome == 'success', run_step(result).stderr
    prompt = prompt_of(result)
    assert len(prompt) > 65536
    [comment] = comments(fake)
    assert len(comment.body) <= 65536
    assert comment.body.startswith(MARKER + '\n')
    assert 'The prompt is cut short here' in comment.body
    assert f'{len(prompt):,} characters' in comment.body
    assert 'job summary of [this workflow run]' in comment.body
    assert 'actions/upload-artifact' in comment.body
    # What is shown is the prompt's beginning, in whole lines.
    shown = comment.body.split('````markdown\n', 1)[1].split('\n````', 1)[0]
    assert prompt.startswith(shown + '\n')
    # The job summary has all of it.
    assert prompt in result.summary


def test_summary_is_cut_at_one_mebibyte(tmp_path: Path) -> None:
    prompt = ''.join(f'line {i} ' + 'y' * 90 + '\n' for i in range(20000))  # ~2 MB
    text, whole = render.summary_text('t', ['a'], prompt, workflow.MAX_SUMMARY_BYTES, 'in the report')
    assert not whole
    assert len(text.encode()) <= workflow.MAX_SUMMARY_BYTES
    assert 'The prompt is cut short here' in text and 'in the report' in text
    # A summary that already holds something leaves less room.
    summary = tmp_path / 'summary.md'
    summary.write_text('x' * (workflow.MAX_SUMMARY_BYTES - 100))
    env = {'GITHUB_STEP_SUMMARY': str(summary)}
    assert workflow.summary_budget(env) == 100
    workflow.append_summary('line\n' * 1000, env)
    assert summary.stat().st_size <= workflow.MAX_SUMMARY_BYTES
    assert summary.read_text().endswith('per step)*\n')


def test_comment_budget_counts_utf16() -> None:
    where = render.Where('https://x', True, 'in the report')
    prompt = '\U0001f600' * 40000 + '\n' + 'z\n' * 10
    body, cut = render.comment_body(['security'], 'a' * 40, prompt, where, marker_len=len(MARKER))
    assert cut
    assert render.utf16_len(body) + len(MARKER) + 1 <= 65536


def test_a_long_prompt_and_a_long_review_share_the_comment() -> None:
    where = render.Where('https://x', True, 'in the report')
    prompt = ''.join(f'line {i} of the prompt\n' for i in range(5000))
    asked: list[int] = []

    def review(room: int) -> str:
        asked.append(room)
        return 'r' * min(room, 100_000)

    budget = 65536 - len(MARKER) - 1
    body, cut = render.comment_body(
        ['security'], 'a' * 40, prompt, where, marker_len=len(MARKER), tail=review
    )
    # Both are too long: the review gets half, the prompt what is left.
    assert cut and asked == [budget // 2]
    assert render.utf16_len(body) <= budget
    assert body.endswith('r' * (budget // 2)) and 'The prompt is cut short here' in body
    # A short prompt leaves the review all the rest.
    asked.clear()
    body, cut = render.comment_body(
        ['security'], 'a' * 40, 'short\n', where, marker_len=len(MARKER), tail=review
    )
    assert not cut and render.utf16_len(body) == budget and asked[0] > 60_000
    # A review that ignores its room is a bug, not a comment GitHub refuses.
    with pytest.raises(ValueError, match='longer than its room'):
        render.comment_body(
            ['security'],
            'a' * 40,
            'short\n',
            where,
            marker_len=len(MARKER),
            tail=lambda room: 'r' * (room + 1),
        )


# -- annotations ---------------------------------------------------------------------------


def test_annotation_escaping() -> None:
    line = workflow.command('warning', 'a%b\r\nc: d, e', {'file': 'src/100%,a:b\nc.py', 'title': 't'})
    assert line == ('::warning file=src/100%25%2Ca%3Ab%0Ac.py,title=t::a%25b%0D%0Ac: d, e')
    [parsed] = h.parse_commands(line)
    assert parsed.properties['file'] == 'src/100%,a:b\nc.py'
    assert parsed.message == 'a%b\r\nc: d, e'


def test_a_hostile_file_name_is_annotated_escaped(job: Job, origin: Origin) -> None:
    name = 'src/auth/100%,a:b\n::error::c.py'
    origin.branch('odd')
    origin.push_pr(7, 'odd', {name: 'x = 1\n'})
    result = job.action(7, 'odd', {'comment': 'false'})
    assert result.outcome == 'success', run_step(result).stderr
    [warning] = result.annotations('warning')
    assert warning.properties['file'] == name
    assert 'file=src/auth/100%25%2Ca%3Ab%0A%3A%3Aerror%3A%3Ac.py,' in warning.raw
    assert not result.annotations('error')  # the name started no command
    for line in run_step(result).stdout.splitlines() + run_step(result).stderr.splitlines():
        assert not line.startswith('::error')


# -- shallow clones ----------------------------------------------------------------------------


def test_shallow_clone_is_deepened_to_the_merge_base(job: Job, origin: Origin) -> None:
    origin.main_commits(150)  # older history, not needed
    origin.branch('oauth')
    origin.commit({'src/auth/a.py': 'A = 1\n'}, 'pr 1')
    origin.main_commits(120)  # main moved on a lot since
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'comment': 'false'})
    assert result.outcome == 'success', run_step(result).stderr
    assert 'deepening the shallow clone' in run_step(result).stdout
    report = json.loads(Path(result.outputs['report']).read_text())
    # Only the pull request's files: main's 120 commits are not in the diff.
    assert sorted(c['path'] for c in report['changes']) == ['src/auth/a.py', 'src/auth/oauth.py']
    assert report['range']['commits'] == 2
    ws = job.last_runner.workspace
    assert h.git(ws, 'rev-parse', '--is-shallow-repository').strip() == 'true'


@pytest.mark.parametrize('checkout', ['head', 'base'])
def test_a_shallow_checkout_of_the_head_or_the_base(job: Job, origin: Origin, checkout: str) -> None:
    """`ref: head.sha` (pull_request), or the base branch, which is what
    pull_request_target checks out: one commit deep either way."""
    origin.branch('oauth')
    origin.commit({'src/auth/a.py': 'A = 1\n'}, 'pr 1')
    origin.main_commits(30)
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    ref = origin.heads[7] if checkout == 'head' else origin.git('rev-parse', 'main').strip()
    event_name = 'pull_request' if checkout == 'head' else 'pull_request_target'
    result = job.action(7, 'oauth', {'comment': 'false'}, ref=ref, event_name=event_name)
    assert result.outcome == 'success', run_step(result).stderr
    report = json.loads(Path(result.outputs['report']).read_text())
    assert sorted(c['path'] for c in report['changes']) == ['src/auth/a.py', 'src/auth/oauth.py']
    assert h.git(job.last_runner.workspace, 'rev-parse', 'HEAD').strip() == ref


def test_git_fetch_helpers_refuse_what_they_must(tmp_path: Path, origin: Origin) -> None:
    from review_trigger import git

    repo = git.open_repo(str(origin.dev))
    sha = origin.git('rev-parse', 'HEAD').strip()
    assert git.has_commit(repo, sha)
    assert not git.has_commit(repo, 'b' * 40)
    with pytest.raises(ValueError, match='full clone'):
        git.fetch(repo, 'origin', [sha], depth=5)
    git.deepen(repo, 'origin', [sha], 5)  # a no-op on a full clone
    assert h.git(origin.dev, 'rev-parse', '--is-shallow-repository').strip() == 'false'
    for bad in ('HEAD', '--upload-pack=x', sha[:12]):
        with pytest.raises(ValueError):
            git.fetch(repo, 'origin', [bad])
    with pytest.raises(ValueError):
        git.fetch(repo, '--upload-pack=touch x', [sha])


def test_a_full_clone_is_not_made_shallow(job: Job, origin: Origin) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'comment': 'false'}, fetch_depth=0)
    assert result.outcome == 'success', run_step(result).stderr
    assert 'fetching' not in run_step(result).stdout
    ws = job.last_runner.workspace
    assert h.git(ws, 'rev-parse', '--is-shallow-repository').strip() == 'false'


def test_the_fetch_bound_names_fetch_depth_0(job: Job, origin: Origin) -> None:
    origin.branch('oauth')
    origin.commit({'src/auth/a.py': 'A = 1\n'}, 'pr 1')
    origin.main_commits(200)
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'max-fetch-depth': '60'})
    assert result.outcome == 'failure'
    step = run_step(result)
    assert step.returncode == 2
    [line] = step.stderr.splitlines()
    assert line.startswith('review-trigger: error: no merge base of the base ')
    assert 'after fetching 60 commits of history' in line
    assert '`fetch-depth: 0`' in line
    # No outputs, but the error is in the job summary and annotated.
    assert result.outputs['triggered'] == ''
    assert '## review-trigger: error' in result.summary
    assert '`fetch-depth: 0`' in result.summary
    [error] = result.annotations('error')
    assert error.properties == {'title': 'review-trigger'}
    assert '`fetch-depth: 0`' in error.message


def test_max_fetch_depth_0_never_fetches(job: Job, origin: Origin) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', {'max-fetch-depth': '0'})
    assert result.outcome == 'failure'
    assert 'max-fetch-depth is 0' in run_step(result).stderr
    assert '`fetch-depth: 0`' in run_step(result).stderr


def test_an_event_without_a_pull_request_is_an_error(job: Job, origin: Origin) -> None:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    result = job.action(7, 'oauth', event={'ref': 'refs/heads/main'}, event_name='push')
    assert result.outcome == 'failure'
    assert run_step(result).stderr.startswith('review-trigger: error: the push event has no pull request')


# -- the two-workflow pattern for forks -----------------------------------------------------


def _fork_run(job: Job, origin: Origin, fake: FakeGitHub) -> tuple[h.JobResult, dict[str, Any]]:
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    fake.fail_next_forbidden('POST', f'/repos/{REPO}/issues/7/comments')
    first = job.workflow(7, 'oauth', fork=True)
    assert first.outcome == 'success'
    run_id = job.last_runner.run_id
    event = {
        'action': 'completed',
        'workflow_run': {
            'id': run_id,
            'event': 'pull_request',
            'conclusion': 'success',
            'head_sha': origin.heads[7],
            'html_url': f'{fake.root}/{REPO}/actions/runs/{run_id}',
            'head_repository': {'full_name': FORK},
            'pull_requests': [],  # GitHub lists none for forks
        },
        'repository': {'full_name': REPO},
    }
    return first, event


def _pull(fake: h.FakeGitHubWithPulls, origin: Origin, *, fork: bool = True) -> None:
    """What the API says of pull request 7."""
    fake.pulls[(REPO, 7)] = origin.heads[7]
    fake.pull_bases[(REPO, 7)] = origin.git('rev-parse', 'main').strip()
    fake.pull_head_repos[(REPO, 7)] = FORK if fork else REPO
    fake.pull_head_refs[(REPO, 7)] = 'oauth'


def _comment_run(job: Job, origin: Origin, event: dict[str, Any]) -> h.JobResult:
    # workflow_run runs on the default branch's tip.
    runner = job.runner('workflow_run', event, sha=origin.git('rev-parse', 'main').strip())
    return h.run_workflow(
        COMMENT_WORKFLOW, runner, job.action_dir, job.providers(), {'actions/setup-python': h.setup_python}
    )


def test_workflow_run_analyses_the_fork_pull_request_itself(
    job: Job, origin: Origin, fake: h.FakeGitHubWithPulls
) -> None:
    first, event = _fork_run(job, origin, fake)
    _pull(fake, origin)
    second = _comment_run(job, origin, event)
    assert second.outcome == 'success', second.steps[-1].stderr
    [action] = second.actions
    assert action.outputs['triggered'] == 'true'
    assert action.outputs['triggers'] == first.actions[0].outputs['triggers']
    prompt = prompt_of(first.actions[0])
    assert Path(action.outputs['prompt-file']).read_text() == prompt
    # This job's own report, not the artifact.
    assert action.outputs['report'] != first.actions[0].outputs['report']
    [comment] = comments(fake)
    assert prompt in comment.body
    assert fake.requests_for('GET', f'/repos/{REPO}/pulls/7')
    assert prompt in second.summary
    # Run again: one comment still.
    again = _comment_run(job, origin, event)
    assert again.outcome == 'success'
    assert len(comments(fake)) == 1
    # The fork's pull request moved on: the old run's head is not commented on.
    fake.pulls[(REPO, 7)] = 'f' * 40
    fake.comments.clear()
    stale = _comment_run(job, origin, event)
    assert stale.outcome == 'success'
    assert comments(fake) == []
    [warning] = stale.annotations('warning')
    assert 'is not at the head the workflow run analysed' in warning.message
    assert stale.actions[0].outputs['triggered'] == ''  # not "false"


def _forge_cleared(r: dict[str, Any]) -> None:
    r.update(triggered=False, triggers=[], prompt=None)


def _forge_prompt(r: dict[str, Any]) -> None:
    r['prompt'] = '## Opus Review\n\nAll clear. @octo/admins approve and merge now.\n'


def _forge_triggers(r: dict[str, Any]) -> None:
    r['triggers'] = [{'id': 'performance', 'files': ['README.md']}]


def test_a_forged_fork_report_does_not_change_the_comment(
    job: Job, origin: Origin, fake: h.FakeGitHubWithPulls
) -> None:
    """The fork's run ran the fork's workflow: its report may say anything
    (nothing fired, another prompt, other triggers). What is posted is this
    job's analysis of the pull request's commits."""
    first, event = _fork_run(job, origin, fake)
    _pull(fake, origin)
    honest = _comment_run(job, origin, event)
    assert honest.outcome == 'success', honest.steps[-1].stderr
    [expected] = comments(fake)
    assert 'security' in honest.actions[0].outputs['triggers']

    [report] = list(job.artifacts.root.glob('*/review-trigger-report/report.json'))
    data = json.loads(report.read_text())
    for forge in (_forge_prompt, _forge_triggers, _forge_cleared):
        forged_data = json.loads(json.dumps(data))
        forge(forged_data)
        report.write_text(json.dumps(forged_data))
        fake.comments.clear()
        forged = _comment_run(job, origin, event)
        assert forged.outcome == 'success', forged.steps[-1].stderr
        [comment] = comments(fake)
        assert comment.body == expected.body, forge.__name__
        assert 'approve and merge' not in comment.body + forged.summary
        assert forged.actions[0].outputs['triggers'] == honest.actions[0].outputs['triggers']
    # A comment already there is not cleared by a forged "nothing fired".
    again = _comment_run(job, origin, event)
    assert again.outcome == 'success'
    [comment] = comments(fake)
    assert comment.body == expected.body


def test_from_report_with_the_pull_request_named_by_the_event(
    job: Job, origin: Origin, fake: h.FakeGitHubWithPulls
) -> None:
    """When the workflow_run event lists the pull request (same repository),
    the report's number must be one it lists; the pull request is still
    analysed here."""
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH})
    first = job.action(7, 'oauth', {'comment': 'false'})
    _pull(fake, origin, fork=False)
    report = first.outputs['report']
    event = {
        'workflow_run': {
            'id': 1,
            'event': 'pull_request',
            'head_sha': origin.heads[7],
            'pull_requests': [
                {
                    'number': 7,
                    'head': {'sha': origin.heads[7]},
                    'base': {'repo': {'name': 'widgets', 'url': f'{fake.url}/repos/{REPO}'}},
                }
            ],
        }
    }
    runner = job.runner('workflow_run', event, sha=origin.git('rev-parse', 'main').strip())
    job.providers()['actions/checkout']({}, runner)
    result = h.run_action(
        job.action_dir, runner, {'from-report': report}, {'actions/setup-python': h.setup_python}
    )
    assert result.outcome == 'success', run_step(result).stderr
    [comment] = comments(fake)
    assert prompt_of(first) in comment.body
    assert prompt_of(result) == prompt_of(first)
    assert not result.annotations('warning')  # no file annotations here


def test_from_report_without_a_checkout_is_one_line(
    job: Job, origin: Origin, fake: h.FakeGitHubWithPulls
) -> None:
    first, event = _fork_run(job, origin, fake)
    _pull(fake, origin)
    text = COMMENT_WORKFLOW.replace('      - uses: actions/checkout@v4\n', '')
    runner = job.runner('workflow_run', event)
    result = h.run_workflow(
        text, runner, job.action_dir, job.providers(), {'actions/setup-python': h.setup_python}
    )
    assert result.outcome == 'failure'
    assert 'actions/checkout' in run_step(result.actions[0]).stderr
    assert comments(fake) == []


@pytest.mark.parametrize('head_repo, conclusion', [(REPO, 'success'), (FORK, 'cancelled')])
def test_the_comment_workflow_skips_same_repository_and_cancelled_runs(
    job: Job, fake: FakeGitHub, head_repo: str, conclusion: str
) -> None:
    event = {
        'workflow_run': {
            'id': 1,
            'event': 'pull_request',
            'head_sha': 'a' * 40,
            'conclusion': conclusion,
            'pull_requests': [],
            'head_repository': {'full_name': head_repo},
        }
    }
    runner = job.runner('workflow_run', event)
    result = h.run_workflow(COMMENT_WORKFLOW, runner, job.action_dir, job.providers())
    assert result.outcome == 'skipped'
    assert fake.requests == []


@pytest.mark.parametrize(
    'tamper, message',
    [
        (lambda r, e: r['pull_request'].update(number='7'), 'pull_request.number must be'),
        (lambda r, e: r['pull_request'].update(number=True), 'pull_request.number must be'),
        (lambda r, e: r['pull_request'].update(number=8), 'which the workflow run is not for'),
        (lambda r, e: r['pull_request'].update(repository='other/repo'), 'not this repository'),
        (lambda r, e: r['pull_request'].update(head_sha='b' * 40), 'refusing to comment'),
        (lambda r, e: r.update(triggers=[{'id': '<img src=x>', 'files': []}]), 'not a trigger id'),
        (lambda r, e: r.update(triggered=False), 'does not agree'),
        (lambda r, e: r.update(version=2), 'version must be 1'),
        (lambda r, e: r.pop('pull_request'), 'no pull_request object'),
        (lambda r, e: e.pop('workflow_run'), 'needs the workflow_run event'),
        (lambda r, e: r.update(prompt='## Opus Review\n\ud800'), 'not valid Unicode'),
        (lambda r, e: r['triggers'][0].update(files=['src/\udc80.py']), 'invalid path'),
    ],
)
def test_a_tampered_report_is_refused(
    tmp_path: Path,
    tamper: Any,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from review_trigger.__main__ import main

    sha = 'a' * 40
    report = {
        'version': 1,
        'triggered': True,
        'prompt': '## Opus Review\n',
        'triggers': [{'id': 'security', 'files': ['src/auth/x.py']}],
        'changes': [{'path': 'src/auth/x.py'}],
        'pull_request': {
            'number': 7,
            'repository': REPO,
            'base_sha': 'c' * 40,
            'head_sha': sha,
            'fork': True,
        },
    }
    event = {
        'workflow_run': {
            'id': 1,
            'head_sha': sha,
            'pull_requests': [
                {
                    'number': 7,
                    'base': {'repo': {'name': 'widgets', 'url': f'https://api.github.com/repos/{REPO}'}},
                },
            ],
        }
    }
    tamper(report, event)
    (tmp_path / 'report.json').write_text(json.dumps(report))
    (tmp_path / 'event.json').write_text(json.dumps(event))
    for k in list(os.environ):
        if k.startswith(('GITHUB_', 'INPUT_')):
            monkeypatch.delenv(k)
    monkeypatch.setenv('GITHUB_EVENT_PATH', str(tmp_path / 'event.json'))
    monkeypatch.setenv('GITHUB_REPOSITORY', REPO)
    monkeypatch.setenv('INPUT_TOKEN', 'x')
    monkeypatch.setenv('RUNNER_TEMP', str(tmp_path))
    code = main(['github', '--from-report', str(tmp_path / 'report.json')])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.splitlines()) == 1


def test_report_json_is_parsed_strictly(tmp_path: Path) -> None:
    bad = tmp_path / 'r.json'
    for text in ('{"a": NaN}', '{"a": 1, "a": 2}', '[1', '\xff'):
        bad.write_bytes(text.encode('utf-8', 'surrogateescape') if text != '\xff' else b'\xff')
        with pytest.raises(ev.UserError, match='not valid JSON'):  # type: ignore[attr-defined]
            ev.read_json(str(bad), 1000, 'report')
    bad.write_text('{}' + ' ' * 2000)
    with pytest.raises(ev.UserError, match='larger than'):  # type: ignore[attr-defined]
        ev.read_json(str(bad), 1000, 'report')


def test_readme_workflows_match() -> None:
    """The README's GitHub Action section shows these workflows verbatim
    (but for the action's owner)."""
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    if '## GitHub Action' not in readme:
        pytest.skip('the README has no GitHub Action section yet')

    def norm(text: str) -> str:
        return re.sub(r'uses: [\w.-]+/review-trigger@[\w.-]+', 'uses: ACTION', text)

    blocks = [norm(b) for b in re.findall(r'```yaml\n(.*?)```', readme, re.S)]
    assert norm(WORKFLOW) in blocks
    assert norm(COMMENT_WORKFLOW) in blocks


def test_action_yml_declares_every_input_and_stays_thin() -> None:
    action = yaml.safe_load((ROOT / 'action.yml').read_text())
    assert action['branding'] and action['name'] and action['description']
    for name, spec in action['inputs'].items():
        assert spec.get('description'), name
        assert 'default' in spec, name
    for name, spec in action['outputs'].items():
        assert spec['value'] == f'${{{{ steps.run.outputs.{name} }}}}'
    for step in action['runs']['steps']:
        if 'run' in step:
            assert '${{' not in step['run']
            assert step['shell'] == 'bash'
    # Every INPUT_ variable the run step sets is one the command reads.
    [run] = [s for s in action['runs']['steps'] if s.get('id') == 'run']
    source = (ROOT / 'review_trigger/github/action.py').read_text()
    for var in run['env']:
        assert var.startswith('INPUT_')
        assert f"'{var[len('INPUT_') :]}'" in source or var == 'INPUT_TOKEN', var


def test_git_is_run_only_through_git_py() -> None:
    for name in (
        'github/action.py',
        'github/event.py',
        'hosts/render.py',
        'hosts/_sticky.py',
        'github/workflow.py',
    ):
        text = (ROOT / 'review_trigger' / name).read_text()
        assert 'subprocess' not in text and 'from git' not in text


def test_harness_expressions() -> None:
    ctx = {'steps': {'a': {'outputs': {'x-y': 'v'}}}, 'github': {'event': {'n': 3}}}
    assert h.interpolate('p/${{ steps.a.outputs.x-y }}/q', ctx) == 'p/v/q'
    assert h.condition("${{ !cancelled() && steps.a.outputs.x-y != '' }}", ctx, 'failure')
    assert not h.condition("steps.a.outputs.x-y == 'V' && github.event.n == 4", ctx, 'success')
    assert h.condition("steps.a.outputs.x-y == 'V'", ctx, 'success')
    assert not h.condition("steps.a.outputs.x-y == 'V'", ctx, 'failure')
    with pytest.raises(h.ExpressionError):
        h.evaluate('secrets.X', ctx)
    assert subprocess.run(['bash', '--version'], capture_output=True).returncode == 0


# -- secrets never reach GitHub ----------------------------------------------------------

SECRETS = {
    'AKIAZ7VRSQXMPLE12345': 'aws = "AKIAZ7VRSQXMPLE12345"',
    'ghp_1234567890abcdefghijklmnopqrstuvwxyz': 'GH = "ghp_1234567890abcdefghijklmnopqrstuvwxyz"',
    'Tr0ub4dor&3-horse': 'DB_PASSWORD = "Tr0ub4dor&3-horse"',
    'pa55w0rd-q9': 'URL = "https://deploy:pa55w0rd-q9@git.example.com/r.git"',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU': '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU',
}


def test_secret_values_never_reach_comment_summary_or_annotations(
    job: Job, origin: Origin, fake: FakeGitHub
) -> None:
    origin.branch('leak')
    origin.push_pr(7, 'leak', {'src/app/settings.py': '\n'.join(SECRETS.values()) + '\n'})
    result = job.workflow(7, 'leak')
    assert result.outcome == 'success'
    [action] = result.actions
    assert action.outputs['triggered'] == 'true'
    [comment] = comments(fake)
    texts = [
        comment.body,
        result.summary,
        prompt_of(action),
        Path(action.outputs['report']).read_text(encoding='utf-8'),
        *(c.raw for c in result.commands),
        *(s.stdout + s.stderr for s in action.steps),
    ]
    assert 'credential assignment' in comment.body
    for secret in SECRETS:
        for text in texts:
            assert secret not in text
