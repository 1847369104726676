"""``review-trigger route`` and ``--announce``: the routing table applied to a
plan file (sections 4 and 6 of the design), and the configuration's
``routing:`` reaching every place the table is used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from review_trigger import config as config_mod
from review_trigger import routing
from review_trigger.routing import plan

PLAN = """\
# Project plan

## Done
- [x] Security review of the old login flow
- [x] Set up CI

## Next
- [ ] Security review: new API endpoints in /api/v2/
- [ ] Config edit: raise the request timeout in settings.yaml
- [ ] ADR-005: choose the message queue
"""


def test_plan_with_security_config_and_adr_recommends_reason_tier(committed, cli):
    committed.write('PROJECT_PLAN.md', PLAN)
    res = cli('route')
    assert res.code == 0, res.err
    assert res.out == (
        'Next session planned tasks:\n'
        '  Security review: new API endpoints in /api/v2/ -> Opus (security_review, reason tier)\n'
        '  Config edit: raise the request timeout in settings.yaml -> Haiku (config_edit, execute tier)\n'
        '  ADR-005: choose the message queue -> Opus (adr_writing, reason tier)\n'
        '\n'
        'Recommended model for next session: Opus\n'
        'Reason: The highest tier present is reason (security_review, adr_writing): an Opus '
        'session can handle the lower-tier tasks, but a lower-tier session cannot handle '
        'these safely.\n'
    )


def test_json_carries_the_same(committed, cli):
    committed.write('PROJECT_PLAN.md', PLAN)
    data = json.loads(cli('route', '--format', 'json').out)
    assert [(t['text'], t['task_type'], t['tier'], t['model']) for t in data['tasks']] == [
        ('Security review: new API endpoints in /api/v2/', 'security_review', 'reason', 'Opus'),
        ('Config edit: raise the request timeout in settings.yaml', 'config_edit', 'execute', 'Haiku'),
        ('ADR-005: choose the message queue', 'adr_writing', 'reason', 'Opus'),
    ]
    assert data['recommended'] == {'tier': 'reason', 'model': 'Opus'}
    assert data['reason'].startswith('The highest tier present is reason')
    assert 'session_model' not in data


def test_only_config_edits_recommend_execute_tier(committed, cli):
    committed.write(
        'PROJECT_PLAN.md',
        '## Upcoming\n- Bump the timeout in config.toml\n- Rename the env var in settings.yaml\n',
    )
    res = cli('route')
    assert 'Recommended model for next session: Haiku\n' in res.out
    assert (
        'Reason: All 2 planned tasks are execute-tier (config_edit), so Haiku handles them '
        'at the lowest cost.\n' in res.out
    )
    data = json.loads(cli('route', '--format', 'json').out)
    assert data['recommended'] == {'tier': 'execute', 'model': 'Haiku'}
    assert {t['tier'] for t in data['tasks']} == {'execute'}


def test_unclassified_tasks_are_marked_not_guessed(committed, cli):
    committed.write('PROJECT_PLAN.md', '## TODO\n- Call the vendor\n- Write the changelog\n')
    out = cli('route').out
    assert (
        '  Call the vendor -> unclassified (no task type of the routing table matches; '
        'classify it by hand)\n' in out
    )
    assert 'Recommended model for next session: Sonnet\n' in out
    assert '1 task is unclassified: classify it by hand before starting.' in out
    committed.write('PROJECT_PLAN.md', '## TODO\n- Call the vendor\n')
    data = json.loads(cli('route', '--format', 'json').out)
    assert data['tasks'][0]['task_type'] is None and data['tasks'][0]['model'] is None
    assert data['recommended'] == {'tier': None, 'model': None}


def test_plan_sections_checkboxes_headings_and_fences():
    text = """\
# Plan
- not a task: the plan has a Next section

## Next steps
- [ ] open checkbox
- [x] done checkbox
  - [ ] a detail of the done one
* star item
1. numbered item
### Heading task under Next

```
- inside a fence
```

## Done
- finished
"""
    assert [t.text for t in plan.tasks_in(text)] == [
        'open checkbox',
        'star item',
        'numbered item',
        'Heading task under Next',
    ]


def test_plan_without_a_section_takes_unchecked_items():
    text = '# Plan\n\nSome prose.\n\n- [ ] first\n- [X] done\n- second\n'
    assert [t.text for t in plan.tasks_in(text)] == ['first', 'second']


def test_a_section_heading_in_fenced_code_is_not_a_section(tmp_path, capsys):
    # The example of a plan, quoted in the plan, must not hide its tasks:
    # with no real section, the unchecked items are the tasks.
    text = '# Plan\n\n````markdown\n## Next\n```\n- [ ] quoted\n````\n\n- [ ] Refactor the payment module\n'
    assert [t.text for t in plan.tasks_in(text)] == ['Refactor the payment module']
    (tmp_path / 'PLAN.md').write_text(text)
    from review_trigger.__main__ import main

    assert main(['route', str(tmp_path / 'PLAN.md')]) == 0
    assert 'Refactor the payment module' in capsys.readouterr().out


def test_a_fence_closes_only_on_a_run_as_long_as_its_opening():
    text = '## Next\n````\n```\n- inside\n````\n- after\n~~~\n- inside tilde\n```\n~~~~\n- last\n'
    assert [t.text for t in plan.tasks_in(text)] == ['after', 'last']


@pytest.mark.parametrize(
    ('text', 'task_type'),
    [
        pytest.param('Refactor the payment module', 'refactoring', id='refactoring'),
        pytest.param('Debug the flaky deadlock in the worker', 'debugging_complex', id='debugging'),
        pytest.param('Implement the Salesforce connector', 'code_generation', id='connector'),
        pytest.param('Write the README usage section', 'documentation', id='documentation'),
        pytest.param(
            'Architecture review: layer boundary enforcement', 'architecture_decision', id='architecture'
        ),
        pytest.param('Add tests for the token refresh', 'security_review', id='highest_tier_wins'),
        pytest.param('Update AUTHORS', None, id='authors_is_not_auth'),
    ],
)
def test_classification_is_word_aware(text, task_type):
    found, _ = plan.classify(text, routing.DEFAULT)
    assert (found.id if found else None) == task_type


def test_plan_option_positional_and_repository_root(committed, cli):
    committed.write('docs/PLAN.md', '## Next\n- Fix lint warnings\n')
    assert 'simple_test' in cli('route', 'docs/PLAN.md').out
    assert 'simple_test' in cli('route', '--plan', 'docs/PLAN.md').out
    committed.write('PROJECT_PLAN.md', '## Next\n- Security review of the API\n')
    (committed.path / 'src').mkdir(exist_ok=True)
    assert 'security_review' in cli('route', '-C', 'src').out
    res = cli('route', 'docs/PLAN.md', '--plan', 'PROJECT_PLAN.md')
    assert res.code == 2 and 'two plan files' in res.err


@pytest.mark.parametrize(
    ('setup', 'message'),
    [
        pytest.param(lambda r: None, 'no plan file', id='missing'),
        pytest.param(lambda r: r.write('PROJECT_PLAN.md', ''), 'lists no upcoming task', id='empty'),
        pytest.param(
            lambda r: r.write('PROJECT_PLAN.md', '## Next\n- [x] all done\n'),
            'lists no upcoming task',
            id='all_done',
        ),
        pytest.param(lambda r: (r.path / 'PROJECT_PLAN.md').mkdir(), 'it is a directory', id='directory'),
        pytest.param(lambda r: r.write('PROJECT_PLAN.md', b'- caf\xe9\n'), 'not UTF-8', id='not_utf8'),
    ],
)
def test_bad_plan_is_one_line_and_exit_2(committed, cli, setup, message):
    setup(committed)
    res = cli('route')
    assert res.code == 2 and res.out == ''
    assert message in res.err and res.err.count('\n') == 1


def test_session_model_flags_tasks_above_its_tier(committed, cli):
    committed.write('PROJECT_PLAN.md', PLAN)
    out = cli('route', '--session-model', 'Claude Sonnet 4.6').out
    assert out.endswith(
        'Current model: Claude Sonnet 4.6 (generate tier)\n'
        "Above this session's tier:\n"
        '  Security review: new API endpoints in /api/v2/ -> Opus (security_review, reason tier)\n'
        '  ADR-005: choose the message queue -> Opus (adr_writing, reason tier)\n'
        'Start a new session with Opus for these, or flag their output for a separate review.\n'
    )
    data = json.loads(cli('route', '--format', 'json', '--session-model', 'Claude Sonnet 4.6').out)
    assert [t['above_session_tier'] for t in data['tasks']] == [True, False, True]
    assert data['session_model'] == {'name': 'Claude Sonnet 4.6', 'tier': 'generate'}
    out = cli('route', '--session-model', 'claude-opus-4-6').out
    assert 'Current model: claude-opus-4-6 (reason tier): no planned task is above this tier.\n' in out


def test_announce(committed, cli):
    res = cli('route', '--announce', '--session-model', 'Claude Sonnet 4.6')
    assert res.code == 0
    assert res.out == (
        'Running as: Claude Sonnet 4.6 (generate tier)\n'
        'Optimal for: code generation, refactoring, documentation, quick lookups, config edits, '
        'simple tests, convention checks\n'
        'NOT optimal for: logic review, architecture decisions, security review, complex '
        'debugging, ADR writing\n'
        '\n'
        'If a task in this session falls into my "NOT optimal" category, I will flag it\n'
        'and recommend switching to Opus before proceeding.\n'
    )
    assert res.out == routing.announcement('Claude Sonnet 4.6', config_mod.default_config())
    unknown = cli('route', '--announce', '--session-model', 'Claude (model not named)').out
    assert unknown.startswith('Running as: Claude (model not named) (tier unknown')
    res = cli('route', '--announce')
    assert res.code == 2 and '--announce needs --session-model' in res.err


def test_next_session_for_the_agent_hooks(committed):
    cfg = config_mod.default_config()
    assert routing.next_session(str(committed.path / 'PROJECT_PLAN.md'), cfg) is None
    committed.write('PROJECT_PLAN.md', '')
    assert routing.next_session(str(committed.path / 'PROJECT_PLAN.md'), cfg) is None
    committed.write('PROJECT_PLAN.md', PLAN)
    text = routing.next_session(str(committed.path / 'PROJECT_PLAN.md'), cfg)
    assert text is not None and 'Recommended model for next session: Opus\n' in text


ROUTING_CONFIG = """\
routing:
  tiers:
    reason:
      model: Opus 4.8
  extra_task_types:
    security_review:
      tier: generate
    ledger_review:
      tier: reason
      label: ledger review
      keywords: [ledger]
"""


def test_configured_routing_changes_route_announcement_and_prompt(committed, cli):
    committed.write(
        'PROJECT_PLAN.md', '## Next\n- Security review of the login\n- Reconcile the ledger totals\n'
    )
    before = cli('route').out
    committed.write('.review-trigger.yaml', ROUTING_CONFIG)
    out = cli('route').out
    assert out != before
    assert '  Security review of the login -> Sonnet (security_review, generate tier)\n' in out
    assert '  Reconcile the ledger totals -> Opus 4.8 (ledger_review, reason tier)\n' in out
    assert 'Recommended model for next session: Opus 4.8\n' in out
    announced = cli('route', '--announce', '--session-model', 'sonnet').out
    assert 'Optimal for: code generation, refactoring, documentation, security review, quick' in announced
    assert (
        'NOT optimal for: logic review, architecture decisions, complex debugging, '
        'ADR writing, ledger review\n' in announced
    )
    committed.stage('src/auth/login.py', 'x = 1\n')
    prompt = cli().out
    assert '(routing: `security_review`, generate tier)' in prompt
    shown = json.loads(cli('config', '--format', 'json').out)['routing']
    assert shown['tiers']['reason']['model'] == 'Opus 4.8'
    assert shown['task_types']['ledger_review']['keywords'] == ['ledger']


def test_configured_model_names_per_tier(committed, cli):
    committed.write(
        '.review-trigger.yaml', 'routing:\n  tiers:\n    generate:\n      extra_models: [acme coder]\n'
    )
    assert cli('route', '--announce', '--session-model', 'Acme Coder 9').out.startswith(
        'Running as: Acme Coder 9 (generate tier)\n'
    )
    committed.stage('src/auth/a.py', 'x = 1\n')
    assert '`Acme Coder 9` (generate tier)' in cli('--session-model', 'Acme Coder 9').out


@pytest.mark.parametrize(
    ('text', 'message'),
    [
        pytest.param(
            'routing:\n  extra_task_types:\n    new_thing: {keywords: [x]}\n',
            "task type 'new_thing' needs a tier",
            id='new_type_without_tier',
        ),
        pytest.param(
            'routing:\n  task_types:\n    only_one: {tier: execute}\n',
            "task type 'code_review_logic' is not in the routing table",
            id='trigger_type_removed',
        ),
        pytest.param(
            'custom_triggers:\n  - {id: pay, description: Pay, paths: ["pay/"], '
            'concern: Check it., task_type: nonsense}\n',
            "'nonsense' is not a task type",
            id='custom_trigger_unknown_type',
        ),
        pytest.param('routing:\n  tiers:\n    reason: {modle: x}\n', "unknown key 'modle'", id='typo'),
        pytest.param(
            'routing:\n  extra_task_types:\n    x: {tier: expert}\n',
            'routing.extra_task_types.x.tier',
            id='bad_tier',
        ),
    ],
)
def test_bad_routing_configuration_is_exit_2(committed, cli, text, message):
    committed.write('.review-trigger.yaml', text)
    committed.write('PROJECT_PLAN.md', PLAN)
    res = cli('route')
    assert res.code == 2 and res.out == ''
    assert message in res.err and res.err.count('\n') == 1


def test_every_trigger_task_type_is_in_the_table():
    from review_trigger.triggers import REGISTRY

    for trigger in REGISTRY.values():
        assert routing.DEFAULT.task(trigger.task_type) is not None, trigger.id
    assert len(routing.DEFAULT.task_types) == 12  # section 2's eleven and ADR writing
    assert [t.id for t in routing.DEFAULT.tiers] == ['execute', 'generate', 'reason']


def test_the_effective_routing_validates_and_round_trips():
    cfg = config_mod.default_config()
    data = config_mod.effective(cfg)
    config_mod.validate(data, config_mod.Source('defaults', b'', True))
    assert config_mod.merge({'routing': data['routing']}).routing == cfg.routing


def test_importing_routing_stays_light():
    code = (
        'import sys, review_trigger.routing\n'
        'print(sorted(m for m in sys.modules if m.startswith("review_trigger.routing.")'
        ' or m in ("yaml", "jsonschema", "difflib")))'
    )
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['review_trigger.routing.models', 'review_trigger.routing.table']"


def test_readme_shows_the_shipped_table():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / 'README.md').read_text()
    for t in routing.DEFAULT.task_types:
        assert (
            f'| {t.title} | ' in readme
            and f'| {t.tier} | {routing.DEFAULT.tier(t.tier).model} | {t.cost} | {t.why} |' in readme
        ), t.id
    for tier in routing.DEFAULT.tiers:
        assert f'| {tier.id} ({tier.role}) | ' + ' | '.join(m for _, m in tier.vendors) + ' |' in readme


def test_plan_text_is_shown_as_data(committed, cli):
    committed.write('PROJECT_PLAN.md', '## Next\n- Refactor \x1b[2J the parser\n')
    out = cli('route').out
    assert '\x1b' not in out
    assert '  "Refactor \\x1b[2J the parser" -> Sonnet (refactoring, generate tier)\n' in out
    assert 'Reason: The planned task is generate-tier (refactoring), so Sonnet is enough' in out
    # JSON carries the text itself, escaped by JSON.
    assert (
        json.loads(cli('route', '--format', 'json').out)['tasks'][0]['text'] == 'Refactor \x1b[2J the parser'
    )


@pytest.mark.parametrize('before', [0, 100, 128, 150])
def test_a_secret_in_a_long_task_is_masked_before_the_task_is_cut(committed, cli, before):
    # A task is cut to a line's length when shown: a secret across the cut
    # would lose its shape, and part of it would show.
    token = 'ghp_' + 'aBcD1234' * 4 + '6789'
    committed.write('PROJECT_PLAN.md', f'## Next\n- Rotate {"x" * before} {token} in the auth config\n')
    shown = [cli('route').out, cli('route', '--format', 'json').out]
    shown.append(
        routing.next_session(str(committed.path / 'PROJECT_PLAN.md'), config_mod.default_config()) or ''
    )
    for text in shown:
        assert 'Rotate' in text
        assert 'aBcD' not in text and 'ghp_aB' not in text
