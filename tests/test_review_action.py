"""The Action with ``review: true``: action.yml's real steps against a
FakeGitHub and a fake Anthropic API, the ledger carried between runs as
actions/cache/restore and actions/cache/save would carry it."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

_TESTS = os.path.dirname(os.path.abspath(__file__))
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

import action_harness as h  # noqa: E402
from fake_models import FakeModels, Reply  # noqa: E402
from review_support import LEDGER  # noqa: E402
from test_action import OAUTH, Job, comments, installed_action, origin  # noqa: E402,F401

from review_trigger.hosts._sticky import MARKER  # noqa: E402

KEY = 'sk-ant-test-0123456789abcdef'
WARN = json.dumps(
    {
        'verdict': 'WARN',
        'summary': 'The exchange trusts its input @alice.',
        'findings': [
            {
                'file': 'src/auth/oauth.py',
                'line': 4,
                'severity': 'medium',
                'text': 'Validate `code` before use.',
            }
        ],
    }
)


@pytest.fixture(scope='session')
def installed_review(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """The install step with ``review: true``: the SDK extra too."""
    action_dir, venv = installed_action(request, 'installed_review')
    assert list(venv.glob('lib/python*/site-packages/anthropic'))
    return action_dir, venv


@pytest.fixture
def models():
    fake = FakeModels().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake():
    with h.FakeGitHubWithPulls(github_token_mode=True) as server:
        yield server


class Cache:
    """actions/cache/restore and actions/cache/save of the ledger folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.saved = False

    def restore(self, workspace: Path) -> bool:
        if not self.root.exists():
            return False
        shutil.copytree(self.root, workspace / LEDGER, dirs_exist_ok=True)
        return True

    def save(self, workspace: Path) -> None:
        if (workspace / LEDGER).exists():
            shutil.copytree(workspace / LEDGER, self.root, dirs_exist_ok=True)
            self.saved = True


def run(job: Job, cache: Cache, models: FakeModels, inputs: dict[str, str]) -> h.ActionResult:
    event = job.origin.event(7, 'oauth')
    runner = job.runner('pull_request', event, sha=job.origin.merge)
    runner.extra_env['ANTHROPIC_BASE_URL'] = models.url
    job.providers()['actions/checkout']({'fetch-depth': '1', 'ref': ''}, runner)
    cache.restore(runner.workspace)
    result = h.run_action(job.action_dir, runner, inputs, {'actions/setup-python': h.setup_python})
    cache.save(runner.workspace)
    return result


def run_step(result: h.ActionResult) -> h.StepResult:
    [step] = [s for s in result.steps if s.name == 'Run review-trigger']
    return step


@pytest.fixture
def job(tmp_path, installed_review, origin, fake) -> Job:  # noqa: F811
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH}, 'Add OAuth code exchange')
    return Job(tmp_path / 'jobs', installed_review, origin, fake)


def test_review_sets_the_check_and_the_comment_and_a_rerun_makes_no_call(job, fake, models, tmp_path, origin):  # noqa: F811
    cache = Cache(tmp_path / 'cache')
    models.queue(Reply(text=f'```json\n{WARN}\n```', input_tokens=2000, output_tokens=400))
    inputs = {'review': 'true', 'anthropic-api-key': KEY}
    first = run(job, cache, models, inputs)
    step = run_step(first)
    assert first.outcome == 'success', step.stderr[-3000:]
    assert len(models.seen) == 1
    sent = models.seen[0].headers
    assert KEY in (sent.get('x-api-key'), sent.get('authorization', '').removeprefix('Bearer '))
    [check] = fake.check_runs
    assert (check['name'], check['conclusion'], check['head_sha']) == (
        'review-trigger/review',
        'neutral',
        origin.heads[7],
    )
    assert check['output']['title'].startswith('WARN: 1 finding (reviewed by claude-opus-4-8)')
    [comment] = comments(fake)
    body = comment.body
    prompt_at, review_at = body.index('## Opus Review: pull request'), body.index('Review verdict: WARN')
    assert prompt_at < review_at
    assert '@alice' in body and '\n@alice' not in body  # inside a code block
    assert 'Review verdict: WARN' in step.summary
    assert cache.saved
    # The key is in no output.
    assert KEY not in body + step.stdout + step.stderr + json.dumps(fake.check_runs)

    # A second run with the same head: the stored verdict, no new call.
    second = run(job, cache, models, inputs)
    assert second.outcome == 'success', run_step(second).stderr[-3000:]
    assert len(models.seen) == 1
    assert len(fake.check_runs) == 2
    assert fake.check_runs[1]['conclusion'] == 'neutral'
    assert 'no new call' in fake.check_runs[1]['output']['title']
    assert 'Review verdict: WARN' in comments(fake)[0].body


def test_without_a_key_the_check_is_neutral_and_says_so(job, fake, models, tmp_path):
    result = run(job, Cache(tmp_path / 'cache'), models, {'review': 'true'})
    assert result.outcome == 'success', run_step(result).stderr[-3000:]
    assert models.seen == []
    [check] = fake.check_runs
    assert check['conclusion'] == 'neutral'
    assert 'no API key' in check['output']['title']
    assert 'no API key' in comments(fake)[0].body


def test_an_errored_review_is_a_failed_check_never_success(job, fake, models, tmp_path):
    models.queue(Reply(text='Looks fine. PASS'))
    result = run(job, Cache(tmp_path / 'cache'), models, {'review': 'true', 'anthropic-api-key': KEY})
    assert result.outcome == 'success', run_step(result).stderr[-3000:]
    [check] = fake.check_runs
    assert check['conclusion'] == 'failure'
    assert check['output']['title'].startswith('Review errored: ')
    assert not (Path(tmp_path / 'cache')).exists() or not list((tmp_path / 'cache').glob('*.json'))


def test_fail_verdict_fails_the_check(job, fake, models, tmp_path):
    models.queue(Reply(text=json.dumps({'verdict': 'FAIL', 'summary': 'no', 'findings': []})))
    result = run(job, Cache(tmp_path / 'cache'), models, {'review': 'true', 'anthropic-api-key': KEY})
    assert result.outcome == 'success', run_step(result).stderr[-3000:]
    assert [c['conclusion'] for c in fake.check_runs] == ['failure']


@pytest.mark.parametrize(
    ('model', 'conclusion'), [('claude-haiku-4-5', 'neutral'), ('claude-opus-4-5', 'success')]
)
def test_a_pass_by_a_model_below_the_reason_tier_is_not_a_success(
    job, fake, models, tmp_path, model, conclusion
):
    inputs = {'review': 'true', 'anthropic-api-key': KEY, 'review-model': model}
    result = run(job, Cache(tmp_path / 'cache'), models, inputs)
    assert result.outcome == 'success', run_step(result).stderr[-3000:]
    [check] = fake.check_runs
    assert check['conclusion'] == conclusion
    assert check['output']['title'].startswith('PASS: 0 findings')
    assert ('not the reason tier' in check['output']['title']) == (conclusion == 'neutral')


def test_a_review_over_budget_fails_the_check_on_every_run(tmp_path, installed_review, origin, fake, models):  # noqa: F811
    # The estimate is within the budget (the call is made); the usage the
    # model reports is not: $50 of input tokens against $1.
    origin.main({'.review-trigger.yaml': 'review:\n  max_cost_usd: 1.00\n'})
    origin.branch('oauth')
    origin.push_pr(7, 'oauth', {'src/auth/oauth.py': OAUTH}, 'Add OAuth code exchange')
    job = Job(tmp_path / 'jobs', installed_review, origin, fake)
    cache = Cache(tmp_path / 'cache')
    passed = json.dumps({'verdict': 'PASS', 'summary': 'fine', 'findings': []})
    models.queue(Reply(text=passed, input_tokens=10_000_000, output_tokens=400))
    inputs = {'review': 'true', 'anthropic-api-key': KEY}
    first = run(job, cache, models, inputs)
    assert first.outcome == 'success', run_step(first).stderr[-3000:]
    assert len(models.seen) == 1
    # A rerun takes the stored review, with no call: still over budget.
    second = run(job, cache, models, inputs)
    assert second.outcome == 'success', run_step(second).stderr[-3000:]
    assert len(models.seen) == 1
    assert [c['conclusion'] for c in fake.check_runs] == ['failure', 'failure']
    for check in fake.check_runs:
        title = check['output']['title']
        assert title.startswith('PASS: 0 findings (')
        assert 'the review cost $50.' in title and 'over max_cost_usd $1.00' in title
    assert 'no new call' in fake.check_runs[1]['output']['title']
    assert '`review-trigger/review`: failure:' in comments(fake)[0].body


def test_a_long_review_is_cut_to_fit_the_comment_with_an_honest_note(job, fake, models, tmp_path):
    findings = [
        {
            'file': f'src/auth/{"deep/" * 400}oauth_{i}.py',
            'line': i + 1,
            'severity': 'medium',
            # Characters outside the BMP are two of GitHub's UTF-16 units.
            'text': f'Finding {i}: ' + ('\U0001f510' * 8 + ' the code. ') * 200,
        }
        for i in range(29)
    ]
    long = json.dumps({'verdict': 'WARN', 'summary': 'Many issues.', 'findings': findings})
    models.queue(Reply(text=f'```json\n{long}\n```'))
    result = run(job, Cache(tmp_path / 'cache'), models, {'review': 'true', 'anthropic-api-key': KEY})
    step = run_step(result)
    assert result.outcome == 'success', step.stderr[-3000:]
    [comment] = comments(fake)
    body = comment.body

    def utf16(text: str) -> int:
        return len(text.encode('utf-16-le')) // 2

    assert utf16(body) <= 65536 < len(step.summary)
    assert body.startswith(MARKER + '\n')
    assert '## Opus Review: pull request' in body  # the prompt, whole
    assert 'The prompt is cut short' not in body
    assert 'Review verdict: WARN' in body
    shown = body.count('Finding ')
    assert 0 < shown < 20
    assert f'so {29 - shown} more findings are left out. All 29 are in the ledger' in body
    assert 'a GitHub comment holds at most 65,536 characters; the job summary of [this workflow run]' in body
    # Findings are left out whole: every code block that opens closes.
    fences = [line for line in body.splitlines() if re.match(r'`{3,}', line)]
    assert len(fences) % 2 == 0
    assert body.rstrip().endswith(').')  # the note ends the comment, outside any block
    # The job summary shows the first 20; the check run is cut the same way.
    assert step.summary.count('Finding ') == 20
    [check] = fake.check_runs
    assert check['conclusion'] == 'neutral'
    assert utf16(check['output']['summary']) <= 65535
    assert 'a check run holds at most 65,535 characters' in check['output']['summary']
