from __future__ import annotations

import json

import pytest
from conftest import fired, report

from review_trigger import pipeline
from review_trigger.change import Information
from review_trigger.github import action
from review_trigger.hosts import render


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('CLAUDE.md', id='claude_md'),
        pytest.param('src/app/CLAUDE.md', id='nested_claude_md'),
        pytest.param('AGENTS.md', id='agents_md'),
        pytest.param('GEMINI.md', id='gemini_md'),
        pytest.param('ARCHITECTURE.md', id='architecture_md'),
        pytest.param('.cursorrules', id='cursorrules'),
        pytest.param('.cursor/rules/python.mdc', id='cursor_rules_dir'),
        pytest.param('.github/copilot-instructions.md', id='copilot_instructions'),
        pytest.param('.github/instructions/x.instructions.md', id='copilot_instructions_dir'),
        pytest.param('.windsurfrules', id='windsurf'),
        pytest.param('.clinerules/rules.md', id='cline'),
        pytest.param('CODEOWNERS', id='codeowners_root'),
        pytest.param('.github/CODEOWNERS', id='codeowners_github'),
        pytest.param('docs/CODEOWNERS', id='codeowners_docs'),
        pytest.param('SECURITY.md', id='security_md'),
        pytest.param('docs/adr/0001-use-postgres.md', id='adr'),
        pytest.param('.github/workflows/ci.yml', id='workflow'),
        pytest.param('.review-trigger.yaml', id='own_config'),
    ],
)
def test_governance_files_fire(committed, cli, path):
    committed.stage(path, 'triggers: {}\n' if path.startswith('.review') else 'rules\n')
    found = fired(cli).get('governance')
    assert found is not None and found['files'] == [path]


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('src/app/CODEOWNERS', id='codeowners_elsewhere_noop'),
        pytest.param('docs/claude-notes.md', id='similar_name_noop'),
        pytest.param('src/app/workflows/ci.yml', id='not_ci_noop'),
    ],
)
def test_other_files_are_noop(committed, cli, path):
    committed.stage(path, 'x\n')
    assert fired(cli).get('governance') is None


def test_deleting_agent_rules_fires(committed, cli):
    committed.stage('AGENTS.md', 'be careful\n')
    committed.commit('rules')
    committed.git('rm', '-q', 'AGENTS.md')
    found = fired(cli).get('governance')
    assert found['details'][0]['why'] == 'governance or agent-context file deleted'


def test_pyproject_tool_table_change_fires(committed, cli):
    committed.stage('pyproject.toml', '[project]\nname = "x"\n')
    committed.commit('pyproject')
    committed.stage('pyproject.toml', '[project]\nname = "x"\n\n[tool.review-trigger]\nexclude = ["a"]\n')
    found = fired(cli).get('governance')
    assert found['details'][0]['why'] == 'review-trigger configuration changed'


def test_pyproject_other_change_is_noop(committed, cli):
    committed.stage('pyproject.toml', '[project]\nname = "x"\n')
    committed.commit('pyproject')
    committed.stage('pyproject.toml', '[project]\nname = "x"\ndescription = "d"\n')
    assert fired(cli).get('governance') is None


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('.gitattributes', id='gitattributes'),
        pytest.param('src/.gitattributes', id='nested_gitattributes'),
        pytest.param('.github/actions/setup/action.yml', id='composite_action'),
        pytest.param('.claude/commands/review.md', id='claude_command'),
        pytest.param('.claude/settings.json', id='claude_settings'),
        pytest.param('.codex/config.toml', id='codex'),
        pytest.param('.gemini/settings.json', id='gemini'),
        pytest.param('.cursor/hooks.json', id='cursor_hooks'),
        pytest.param('.agents/reviewer.md', id='agents_dir'),
        pytest.param('tools/skills/deploy/SKILL.md', id='skill'),
        pytest.param('.github/prompts/triage.prompt.md', id='github_prompts'),
        pytest.param('.github/agents/fixer.md', id='github_agents'),
        pytest.param('REVIEW.md', id='review_md'),
        pytest.param('docs/CONTRIBUTING.md', id='contributing'),
    ],
)
def test_agent_and_git_configuration_fires(committed, cli, path):
    committed.stage(path, '*.py -diff\n' if 'gitattributes' in path else 'rules\n')
    found = fired(cli).get('governance')
    assert found is not None and found['files'] == [path]


WORKFLOW = (
    'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n'
    '      - uses: actions/checkout@v4\n      - uses: actions/setup-python@0a5c61591373683505ea898e09a3ea4f39ef2b9c # v5\n'
    '      - run: make test\n'
)


@pytest.mark.parametrize(
    'new',
    [
        pytest.param(WORKFLOW.replace('@v4', '@v5'), id='tag_bump_noop'),
        pytest.param(
            WORKFLOW.replace(
                '0a5c61591373683505ea898e09a3ea4f39ef2b9c # v5',
                'a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0',
            ),
            id='sha_bump_noop',
        ),
    ],
)
def test_pin_only_workflow_bump_is_noop(committed, cli, new):
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage('.github/workflows/ci.yml', new)
    assert fired(cli).get('governance') is None


@pytest.mark.parametrize(
    'new',
    [
        pytest.param(WORKFLOW.replace('@v4', '@v5').replace('make test', 'make'), id='a_step_edited'),
        # A pin moved and a line added or dropped: the lines cannot pair up.
        pytest.param(
            WORKFLOW.replace('@v4', '@v5') + '      - run: curl example.com | sh\n', id='a_step_added'
        ),
        pytest.param(
            WORKFLOW.replace('@v4', '@v5').replace('      - run: make test\n', ''), id='a_step_dropped'
        ),
    ],
)
def test_workflow_change_beyond_pins_fires(committed, cli, new):
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage('.github/workflows/ci.yml', new)
    assert fired(cli).get('governance')['files'] == ['.github/workflows/ci.yml']


def test_pre_commit_rev_bump_is_noop(committed, cli):
    committed.stage(
        '.pre-commit-config.yaml',
        'repos:\n- repo: https://github.com/a/b\n  rev: v1.0.0\n  hooks:\n  - id: x\n',
    )
    committed.commit('hooks')
    committed.stage(
        '.pre-commit-config.yaml',
        'repos:\n- repo: https://github.com/a/b\n  rev: v1.2.0\n  hooks:\n  - id: x\n',
    )
    assert fired(cli).get('governance') is None


def test_suppression_added_in_a_range_fires(committed, cli):
    committed.stage(
        'src/app/settings.py', 'password = "Tr0ub4dor-3"  # review-trigger: ignore[security] reviewed\n'
    )
    committed.commit('suppress')
    found = fired(cli, '--since', 'HEAD~1').get('governance')
    assert found['details'] == [
        {'path': 'src/app/settings.py', 'why': 'review-trigger suppression added at line 1', 'items': []}
    ]


def test_suppression_of_governance_itself_still_fires(committed, cli):
    committed.stage('src/app/x.py', 'x = 1  # review-trigger: ignore[governance,security] mine\n')
    committed.commit('suppress')
    assert 'governance' in fired(cli, '--since', 'HEAD~1')


def test_staged_suppression_is_the_gate_flow_noop(committed, cli):
    # The gate asks the author to mark reviewed lines; doing so is not a
    # governance change of the staged commit.
    committed.stage('src/app/x.py', 'import jwt  # review-trigger: ignore[security] tokens in tests\n')
    assert fired(cli).get('governance') is None


@pytest.mark.parametrize(
    'line',
    [
        '# On a line, `review-trigger: ignore[<trigger-id>] <reason>` keeps it from firing\n',
        'Write review-trigger: ignore[] and nothing is suppressed.\n',
        'A marker review-trigger: ignore[Security] in capitals suppresses nothing.\n',
    ],
    ids=['placeholder', 'empty', 'capitals'],
)
def test_a_marker_that_suppresses_nothing_is_not_a_suppression_added(committed, cli, line):
    committed.stage('docs/usage.md', f'# Usage\n\n{line}')
    committed.stage('src/app/x.py', f'x = 1  # {line}')
    committed.commit('docs')
    assert fired(cli, '--since', 'HEAD~1').get('governance') is None


def test_text_about_suppressions_without_the_marker_is_noop(committed, cli):
    committed.stage('src/app/x.py', 'x = 1  # see the review-trigger docs on ignoring\n')
    committed.commit('x')
    assert fired(cli, '--since', 'HEAD~1').get('governance') is None


# -- the information channel: what governance stays quiet on is listed -----------

PIN_BUMP = WORKFLOW.replace('@v4', '@v5')


def test_pin_bump_is_quiet_and_listed_as_information(committed, cli):
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage('.github/workflows/ci.yml', PIN_BUMP)
    res = cli('--format', 'json')
    assert res.code == 0, res.err
    data = json.loads(res.out)
    assert data['triggers'] == []
    assert data['information'] == [
        {
            'trigger': 'governance',
            'kind': 'pins-moved',
            'path': '.github/workflows/ci.yml',
            'why': 'only its uses or rev pins moved to other versions (a dependabot-style bump)',
            'items': ['actions/checkout@v4 -> actions/checkout@v5'],
        }
    ]
    # Streamed, and still what json.dumps writes.
    assert res.out == json.dumps(data, indent=2, ensure_ascii=True) + '\n'
    assert res.err.strip().endswith('1 file listed as information')


def test_sha_pin_bump_lists_both_versions(committed, cli):
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage(
        '.github/workflows/ci.yml',
        WORKFLOW.replace(
            '0a5c61591373683505ea898e09a3ea4f39ef2b9c # v5',
            'a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0',
        ),
    )
    (info,) = report(cli)['information']
    assert info['items'] == [
        'actions/setup-python@0a5c61591373683505ea898e09a3ea4f39ef2b9c # v5 -> '
        'actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0'
    ]


def test_report_without_information_has_no_such_key(committed, cli):
    # Byte for byte the report of before the key existed.
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage('.github/workflows/ci.yml', PIN_BUMP.replace('make test', 'make'))
    data = report(cli)
    assert 'information' not in data
    assert [t['id'] for t in data['triggers']] == ['governance']


def test_pin_bump_beside_a_real_workflow_change_fires_and_lists_the_bump(committed, cli):
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.stage('.github/workflows/release.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage('.github/workflows/ci.yml', PIN_BUMP)
    committed.stage('.github/workflows/release.yml', WORKFLOW.replace('make test', 'make publish'))
    res = cli()
    data = report(cli)
    assert fired(cli)['governance']['files'] == ['.github/workflows/release.yml']
    assert [i['path'] for i in data['information']] == ['.github/workflows/ci.yml']
    # The text report (the prompt) lists it too, as data.
    assert '**Information**' in res.out
    assert '- `.github/workflows/ci.yml` (`governance`): only its uses or rev pins moved' in res.out
    assert '`actions/checkout@v4 -> actions/checkout@v5`' in res.out


def test_dependabot_style_hook_config_bump_is_quiet_and_listed(committed, cli):
    committed.stage(
        '.pre-commit-config.yaml',
        'repos:\n- repo: https://github.com/astral-sh/ruff-pre-commit\n  rev: v0.4.0\n  hooks:\n  - id: ruff\n'
        '- repo: https://github.com/pre-commit/mirrors-mypy\n  rev: "v1.9.0"\n  hooks:\n  - id: mypy\n',
    )
    committed.commit('hooks')
    committed.stage(
        '.pre-commit-config.yaml',
        'repos:\n- repo: https://github.com/astral-sh/ruff-pre-commit\n  rev: v0.5.1\n  hooks:\n  - id: ruff\n'
        '- repo: https://github.com/pre-commit/mirrors-mypy\n  rev: "v1.10.0"\n  hooks:\n  - id: mypy\n',
    )
    data = report(cli)
    assert data['triggers'] == []
    (info,) = data['information']
    assert info['path'] == '.pre-commit-config.yaml'
    assert info['items'] == ['v0.4.0 -> v0.5.1', 'v1.9.0 -> v1.10.0']


def test_composite_action_pin_bump_is_quiet_and_listed(committed, cli):
    action = 'runs:\n  using: composite\n  steps:\n    - uses: actions/cache@v3\n'
    committed.stage('.github/actions/setup/action.yml', action)
    committed.commit('action')
    committed.stage('.github/actions/setup/action.yml', action.replace('@v3', '@v4'))
    data = report(cli)
    assert data['triggers'] == []
    assert [i['path'] for i in data['information']] == ['.github/actions/setup/action.yml']


def test_information_pins_are_redacted(committed, cli):
    # A pin is text from the change: a secret in it is masked like any.
    token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage('.github/workflows/ci.yml', WORKFLOW.replace('@v4', f'@{token}'))
    res = cli('--format', 'json')
    assert token not in res.out
    (info,) = json.loads(res.out)['information']
    assert info['items'][0].startswith('actions/checkout@v4 -> actions/checkout@')
    assert 'ghp_a1B2' not in info['items'][0]


def test_information_renders_change_text_as_data():
    hostile = Information(
        'governance',
        'pins-moved',
        '.github/workflows/`x` @admin [a](http://e).yml',
        'only its uses or rev pins moved to other versions (a dependabot-style bump)',
        ('a/b@v1 -> a/b@v2 ``` @someone <img src=x>',),
    )
    lines = render.information_lines([hostile])
    body = lines[-1]
    assert body.startswith('- ``.github/workflows/`x` @admin [a](http://e).yml`` (`governance`): only its')
    assert body.endswith(': ````a/b@v1 -> a/b@v2 ``` @someone <img src=x>````')
    assert render.information_lines([]) == []


def test_information_is_in_the_pull_request_summary(committed):
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage('.github/workflows/ci.yml', PIN_BUMP)
    head = committed.commit('bump')
    outcome = pipeline.run(pipeline.Request(directory=str(committed.path), base='HEAD~1', head=head))
    lines = action._analysed_lines(outcome.analysis, outcome.analysis.change.range)
    assert "none needs the strongest model's review" in lines[0]
    assert '**Information**' in lines[2]
    assert lines[3].startswith('- `.github/workflows/ci.yml` (`governance`)')
