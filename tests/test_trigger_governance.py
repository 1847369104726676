from __future__ import annotations

import pytest
from conftest import fired


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


def test_workflow_change_beyond_pins_fires(committed, cli):
    committed.stage('.github/workflows/ci.yml', WORKFLOW)
    committed.commit('ci')
    committed.stage('.github/workflows/ci.yml', WORKFLOW.replace('@v4', '@v5').replace('make test', 'make'))
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


def test_text_about_suppressions_without_the_marker_is_noop(committed, cli):
    committed.stage('src/app/x.py', 'x = 1  # see the review-trigger docs on ignoring\n')
    committed.commit('x')
    assert fired(cli, '--since', 'HEAD~1').get('governance') is None
