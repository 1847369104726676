from __future__ import annotations

import json

import yaml
from conftest import fired

from review_trigger import config, defaults


def test_no_config_means_defaults():
    assert config.load(None) == config.default_config()


def test_custom_trigger_fires_with_its_concern(committed, cli):
    committed.write(
        '.review-trigger.yaml',
        (
            'custom_triggers:\n'
            '  - id: payments-api\n'
            '    description: Payments API changed\n'
            '    paths: ["services/payments/**", "!services/payments/tests/**"]\n'
            '    concern: Check idempotency keys and currency rounding.\n'
        ),
    )
    committed.stage('services/payments/api.go', 'package payments\n')
    committed.stage('services/payments/tests/api_test.go', 'package payments\n')
    found = fired(cli)['payments-api']
    assert found['files'] == ['services/payments/api.go']
    assert found['reason'] == 'Payments API changed'
    out = cli().out
    assert '**payments-api**: Payments API changed' in out
    assert 'Check idempotency keys and currency rounding.' in out


def test_custom_trigger_noop_outside_paths(committed, cli):
    committed.write(
        '.review-trigger.yaml',
        ('custom_triggers:\n  - id: payments-api\n    paths: ["services/payments/**"]\n    concern: c\n'),
    )
    committed.stage('src/app/core.py', 'def run():\n    return 9\n')
    assert 'payments-api' not in fired(cli)


def test_custom_trigger_patterns_and_minimums(committed, cli):
    committed.write(
        '.review-trigger.yaml',
        (
            'custom_triggers:\n'
            '  - id: raw-sql\n'
            '    paths: ["*.py"]\n'
            '    patterns: ["execute\\\\(f[\\"\\x27]"]\n'
            '    min_files: 2\n'
            '    concern: Check for SQL injection.\n'
        ),
    )
    committed.stage('src/app/a.py', 'cur.execute(f"select {x}")\n')
    assert 'raw-sql' not in fired(cli)  # one file, two needed
    committed.stage('src/app/b.py', 'cur.execute(f"delete {y}")\n')
    committed.stage('src/app/c.py', 'cur.execute("select 1")\n')
    found = fired(cli)['raw-sql']
    assert found['files'] == ['src/app/a.py', 'src/app/b.py']


def test_exclude_takes_files_out_of_every_trigger(committed, cli):
    committed.write('.review-trigger.yaml', 'exclude: ["fixtures/"]\n')
    committed.stage('src/app/fixtures/auth_token.py', 'password = "abcdefgh"\n')
    found = fired(cli)
    assert 'security' not in found
    # Still listed as changed.
    data = json.loads(cli('--format', 'json').out)
    assert [c['excluded'] for c in data['changes']] == [True]


def test_extra_words_extend_and_words_replace(committed, cli):
    committed.write('.review-trigger.yaml', 'triggers:\n  security:\n    extra_words: [entitlement]\n')
    committed.stage('src/app/entitlements.py', 'x = 1\n')
    committed.stage('src/auth/a.py', 'x = 1\n')
    assert fired(cli)['security']['files'] == ['src/app/entitlements.py', 'src/auth/a.py']
    committed.write('.review-trigger.yaml', 'triggers:\n  security:\n    words: [entitlement]\n')
    assert fired(cli)['security']['files'] == ['src/app/entitlements.py']


def test_extra_line_patterns(committed, cli):
    committed.write(
        '.review-trigger.yaml',
        (
            'triggers:\n  security:\n    extra_line_patterns:\n'
            "      internal token: 'acme_tok_[A-Za-z0-9]{8}'\n"
        ),
    )
    committed.stage('src/app/x.py', 'T = "acme_tok_ABCDEFGH"\n')
    assert fired(cli)['security']['details'][0]['why'] == 'added line 1: internal token'


def test_pyproject_table(committed, cli):
    committed.stage(
        'pyproject.toml', '[project]\nname = "x"\n\n[tool.review-trigger.triggers.new-files]\nmore_than = 0\n'
    )
    committed.commit('config')
    committed.stage('src/app/one.py', 'X = 1\n')
    assert 'new-files' in fired(cli)


def test_pyproject_table_errors_name_the_key(committed, cli):
    committed.write('pyproject.toml', '[tool.review-trigger]\nreviwer = "o3"\n')
    res = cli()
    assert res.code == 2
    assert "pyproject.toml: tool.review-trigger.reviwer: unknown key 'reviwer'" in res.err


def test_config_option_names_another_file(committed, cli, tmp_path):
    other = tmp_path / 'team.yaml'
    other.write_text('triggers:\n  new-files:\n    more_than: 0\n')
    committed.stage('src/app/one.py', 'X = 1\n')
    assert 'new-files' in fired(cli, '--config', str(other))
    assert 'new-files' not in fired(cli)


def test_pull_request_reads_config_from_base(committed, cli):
    committed.stage('.review-trigger.yaml', 'reviewer: Opus\n')
    committed.commit('config')
    committed.git('checkout', '-q', '-b', 'pr')
    committed.stage('.review-trigger.yaml', 'triggers:\n  security:\n    enabled: false\n')
    committed.stage('src/auth/oauth.py', 'def login():\n    pass\n')
    committed.commit('disable security and add auth')
    found = fired(cli, '--base', 'main', '--head', 'pr')
    assert {'security', 'governance'} <= set(found)
    assert '.review-trigger.yaml' in found['governance']['files']
    # Locally (not a pull request) the work tree's file is in force.
    assert 'security' not in fired(cli, '--since', 'main')


def test_pull_request_with_invalid_base_config_is_an_error(committed, cli):
    committed.stage('.review-trigger.yaml', 'nope: 1\n')
    committed.commit('bad config')
    committed.stage('src/app/x.py', 'X = 1\n')
    committed.commit('x')
    res = cli('--base', 'HEAD~1')
    assert res.code == 2 and "unknown key 'nope'" in res.err


def test_validation_is_cached_until_the_file_changes(committed, cli):
    committed.write('.review-trigger.yaml', 'reviewer: o3\n')
    committed.stage('src/auth/a.py', 'x = 1\n')
    assert cli().out.startswith('## o3 Review:')
    stamp = committed.path / '.git' / 'review-trigger' / 'config-valid'
    assert stamp.exists()
    committed.write('.review-trigger.yaml', 'reviewer: 3\n')
    res = cli()
    assert res.code == 2 and "reviewer: 3 is not of type 'string'" in res.err


def test_init_writes_starter_and_refuses_to_overwrite(committed, cli):
    res = cli('init')
    assert res.code == 0
    text = (committed.path / '.review-trigger.yaml').read_text()
    assert text.startswith('# yaml-language-server: $schema=.review-trigger.schema.json')
    schema = json.loads((committed.path / '.review-trigger.schema.json').read_text())
    assert schema['title'] == 'review-trigger configuration'
    # The starter is itself valid.
    assert cli('config').code == 0
    again = cli('init')
    assert again.code == 2 and 'already exists' in again.err
    assert (committed.path / '.review-trigger.yaml').read_text() == text


def test_what_init_writes_fires_governance_alone(committed, cli):
    """The starter configuration is a governance change; its schema,
    review-trigger's own, is generated: its prose naming ANTHROPIC_API_KEY
    is no credential code, and its example marker is no suppression."""
    assert cli('init').code == 0
    committed.add()
    found = fired(cli)
    assert sorted(found) == ['governance']
    assert [d['why'] for d in found['governance']['details']] == ['governance or agent-context file added']
    # The same schema under another name is read as any JSON file.
    schema = (committed.path / '.review-trigger.schema.json').read_text()
    committed.commit('init')
    committed.stage('config/schema.json', schema)
    assert 'security' in fired(cli)


def test_config_prints_effective_configuration(committed, cli):
    committed.write('.review-trigger.yaml', 'triggers:\n  new-files:\n    more_than: 9\n')
    res = cli('config')
    assert res.out.startswith('# source: .review-trigger.yaml\n')
    data = yaml.safe_load(res.out)
    assert data['triggers']['new-files'] == {'enabled': True, 'more_than': 9}
    assert data['triggers']['security']['words'] == defaults.TRIGGERS['security']['words']
    as_json = json.loads(cli('config', '--format', 'json').out)
    assert as_json == data


def test_schema_command_prints_the_shipped_schema(cli):
    res = cli('schema')
    with open(config.SCHEMA_PATH) as f:
        assert json.loads(res.out) == json.load(f)


def test_every_default_key_is_in_the_schema():
    with open(config.SCHEMA_PATH) as f:
        schema = json.load(f)
    props = schema['properties']['triggers']['properties']
    assert set(props) == set(defaults.TRIGGERS)
    for tid, settings in defaults.TRIGGERS.items():
        assert set(settings) <= set(props[tid]['properties']), tid
    # And the defaults themselves validate.
    config.validate(
        config.effective(config.default_config()) | {'models': {}}, config.Source('defaults', b'', True)
    )


def test_huge_file_is_listed_not_scanned(committed, cli):
    committed.write('.review-trigger.yaml', 'max_scan_bytes: 100\n')
    committed.stage('src/app/big.py', 'password = "abcdefgh"\n' * 20)
    data = json.loads(cli('--format', 'json').out)
    assert [c['path'] for c in data['changes']] == ['src/app/big.py']
    # Not scanned, so not cleared: the file is a security finding itself.
    [security] = [t for t in data['triggers'] if t['id'] == 'security']
    assert security['details'][0]['why'] == '1 file was too large to scan'
    assert data['notes'] == [
        'src/app/big.py: more than 100 bytes added, listed but not scanned for content',
    ]
