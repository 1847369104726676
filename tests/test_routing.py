from __future__ import annotations

import json

import pytest

from review_trigger import routing


@pytest.mark.parametrize(
    ('trailer', 'name', 'tier'),
    [
        pytest.param(
            'Claude Sonnet 4.6 <noreply@anthropic.com>', 'Claude Sonnet 4.6', 'generate', id='sonnet'
        ),
        pytest.param(
            'Claude Opus 4.6 (1M context) <noreply@anthropic.com>',
            'Claude Opus 4.6',
            'reason',
            id='opus_context',
        ),
        pytest.param('Claude Haiku 4.5 <noreply@anthropic.com>', 'Claude Haiku 4.5', 'execute', id='haiku'),
        pytest.param(
            'Claude Fable 5 <noreply@anthropic.com>', 'Claude Fable 5', 'unknown', id='name_as_written'
        ),
        pytest.param(
            'Claude Code (cli/claude-opus-4-5=100%)',
            'claude-opus-4-5',
            'reason',
            id='claude_code_generated_by',
        ),
        pytest.param(
            'Claude <noreply@anthropic.com>', 'Claude (model not named)', 'unknown', id='bare_claude'
        ),
        pytest.param(
            'Copilot <175728472+Copilot@users.noreply.github.com>', 'Copilot', 'unknown', id='copilot'
        ),
        pytest.param('Cursor Agent <cursoragent@cursor.com>', 'Cursor Agent', 'unknown', id='cursor'),
        pytest.param(
            'devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>',
            'devin-ai-integration[bot]',
            'unknown',
            id='devin',
        ),
        pytest.param('aider (gpt-4o) <noreply@aider.chat>', 'gpt-4o', 'generate', id='aider_gpt4o'),
        pytest.param('aider (gpt-4o-mini) <noreply@aider.chat>', 'gpt-4o-mini', 'execute', id='aider_mini'),
    ],
)
def test_model_from_trailer(trailer, name, tier):
    model = routing.model_from_trailer(trailer)
    assert model == name
    assert routing.tier_of(model, routing.DEFAULT.patterns) == tier


@pytest.mark.parametrize(
    'trailer',
    [
        pytest.param('Jane Doe <jane@example.com>', id='human_noop'),
        pytest.param('Claudette Smith <cs@example.com>', id='similar_name_noop'),
        pytest.param('Jane Doe <jane@anthropic.com>', id='anthropic_employee_noop'),
        pytest.param('Claude Monet <claude.monet@example.com>', id='person_named_claude_noop'),
    ],
)
def test_human_co_authors_are_not_models(trailer):
    assert routing.model_from_trailer(trailer) is None


@pytest.mark.parametrize(
    ('name', 'tier'),
    [
        ('o3', 'reason'),
        ('o3-mini', 'execute'),
        ('Gemini 2.5 Pro', 'generate'),
        ('gemini-2.0-flash', 'execute'),
        ('Mistral Large', 'generate'),
        ('llama-3', 'unknown'),
    ],
)
def test_vendor_tiers(name, tier):
    assert routing.tier_of(name, routing.DEFAULT.patterns) == tier


def commit_with(repo, path, trailer):
    repo.stage(path, f'# {path}\n')
    message = 'change\n\nbody' + (f'\n\n{trailer}' if trailer else '')
    repo.commit(message)


def test_session_model_from_trailers_in_prompt(committed, cli):
    for i in range(5):
        commit_with(
            committed, f'src/auth/m{i}.py', 'Co-authored-by: Claude Sonnet 4.6 <noreply@anthropic.com>'
        )
    out = cli('--since', 'HEAD~5').out
    assert (
        '**Session model:** claimed by commit trailers (unverified): '
        '`Claude Sonnet 4.6` (generate tier if so)\n'
    ) in out
    data = json.loads(cli('--since', 'HEAD~5', '--format', 'json').out)
    assert data['session_model'] == {
        'source': 'trailers',
        'models': [{'name': 'Claude Sonnet 4.6', 'tier': 'generate', 'commits': 5, 'claimed': True}],
        'commits_without_trailer': 0,
    }


def test_mixed_range_reports_each_model(committed, cli):
    commit_with(committed, 'src/auth/a.py', 'Co-authored-by: Claude Sonnet 4.6 <noreply@anthropic.com>')
    commit_with(committed, 'src/auth/b.py', 'Co-authored-by: Claude Sonnet 4.6 <noreply@anthropic.com>')
    commit_with(committed, 'src/auth/c.py', 'Co-authored-by: Claude Opus 4.6 <noreply@anthropic.com>')
    commit_with(committed, 'src/auth/d.py', None)
    out = cli('--since', 'HEAD~4').out
    assert (
        '**Session model:** claimed by commit trailers (unverified): '
        '`Claude Sonnet 4.6` (generate tier if so, 2 commits), '
        '`Claude Opus 4.6` (reason tier if so, 1 commit); 1 commit without an AI trailer'
    ) in out


def test_no_trailer(committed, cli):
    commit_with(committed, 'src/auth/a.py', None)
    assert '**Session model:** unknown (no AI co-author trailer)' in cli('--since', 'HEAD~1').out


def test_flag_beats_environment_beats_trailers(committed, cli, monkeypatch):
    commit_with(committed, 'src/auth/a.py', 'Co-authored-by: Claude Opus 4.6 <noreply@anthropic.com>')
    monkeypatch.setenv('REVIEW_TRIGGER_SESSION_MODEL', 'gpt-4o')
    assert '**Session model:** `gpt-4o` (generate tier)' in cli('--since', 'HEAD~1').out
    out = cli('--since', 'HEAD~1', '--session-model', 'Claude Haiku 4.5').out
    assert '**Session model:** `Claude Haiku 4.5` (execute tier)' in out


def test_staged_uses_environment(committed, cli, monkeypatch):
    committed.stage('src/auth/a.py', 'x = 1\n')
    monkeypatch.setenv('REVIEW_TRIGGER_SESSION_MODEL', 'sonnet-4.6')
    assert '**Session model:** `sonnet-4.6` (generate tier)' in cli().out


def test_unknown_model_is_named_not_an_error(committed, cli):
    committed.stage('src/auth/a.py', 'x = 1\n')
    res = cli('--session-model', 'acme-coder-9')
    assert res.code == 0 and '`acme-coder-9` (tier unknown)' in res.out


def test_config_extends_model_table_and_reviewer(committed, cli):
    committed.write('.review-trigger.yaml', 'reviewer: o3\nmodels:\n  acme-coder: generate\n')
    committed.stage('src/auth/a.py', 'x = 1\n')
    out = cli('--session-model', 'acme-coder-9').out
    assert out.startswith('## o3 Review: staged changes\n')
    assert '`acme-coder-9` (generate tier)' in out


def test_routing_task_type_next_to_concern(committed, cli):
    committed.stage('src/auth/a.py', 'x = 1\n')
    assert (
        '**security**: security-sensitive code touched (routing: `security_review`, reason tier).'
        in cli().out
    )


@pytest.mark.parametrize(
    ('trailer', 'skipped'),
    [
        pytest.param('Co-authored-by: Claude Opus 4.6 <noreply@anthropic.com>', True, id='reason_tier_skips'),
        pytest.param(
            'Co-authored-by: Claude Sonnet 4.6 <noreply@anthropic.com>', False, id='generate_tier_noop'
        ),
    ],
)
def test_skip_if_reason_tier(committed, cli, trailer, skipped):
    committed.stage('.review-trigger.yaml', 'skip_if_reason_tier: true\n')
    committed.commit('config')
    commit_with(committed, 'src/auth/a.py', trailer)
    out = cli('--since', 'HEAD~1').out
    assert (out == '') is skipped


@pytest.mark.parametrize(
    ('trailer', 'model'),
    [
        pytest.param('Devin Smith <devin@example.com>', None, id='person_named_devin_noop'),
        pytest.param(
            'google-labs-jules[bot] <x@users.noreply.github.com>', 'google-labs-jules[bot]', id='jules_bot'
        ),
        pytest.param('Someone <someone@google.com>', None, id='google_employee_noop'),
    ],
)
def test_people_and_bots(trailer, model):
    assert routing.model_from_trailer(trailer) == model


def _quiet_alarm(seconds: int):  # type: ignore[no-untyped-def]
    """A hang guard, not a timing: the quadratic parse took minutes."""
    import signal

    def boom(*_: object) -> None:
        raise AssertionError(f'trailer parsing did not finish within {seconds} s')

    signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)


@pytest.mark.parametrize(
    'tail',
    [
        pytest.param(' ' * 100_000, id='spaces'),
        pytest.param(' ' * 100_000 + 'x', id='spaces_then_text'),
        pytest.param(' <' * 50_000, id='many_open_brackets'),
    ],
)
def test_huge_trailer_is_parsed_linearly_and_capped(tail):
    import signal

    from review_trigger.change import Commit
    from review_trigger.routing import models

    fields = Commit._fields
    message = (
        'fix\n\nCo-authored-by: a' + tail + '\nCo-authored-by: Claude Opus 4.6 <noreply@anthropic.com>\n'
    )
    commit = Commit(**{f: ('' if f != 'message' else message) for f in fields})  # type: ignore[arg-type]
    _quiet_alarm(20)
    try:
        found = models.models_in(commit)
        # The line past the cap is not a trailer; the next one still is.
        assert found == ['Claude Opus 4.6']
        junk = models.models_in(commit._replace(message='x\n' * 200_000 + 'Model: ' + 'a' * 10**6))
        assert junk == []
    finally:
        signal.alarm(0)
