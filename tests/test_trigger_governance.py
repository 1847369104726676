from __future__ import annotations

import pytest
from conftest import fired


@pytest.mark.parametrize('path', [
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
])
def test_governance_files_fire(committed, cli, path):
    committed.stage(path, 'triggers: {}\n' if path.startswith('.review') else 'rules\n')
    found = fired(cli).get('governance')
    assert found is not None and found['files'] == [path]


@pytest.mark.parametrize('path', [
    pytest.param('src/app/CODEOWNERS', id='codeowners_elsewhere_noop'),
    pytest.param('docs/claude-notes.md', id='similar_name_noop'),
    pytest.param('src/app/workflows/ci.yml', id='not_ci_noop'),
])
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
