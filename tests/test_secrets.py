"""A detected secret's value never appears in any output: only its kind and
location."""

from __future__ import annotations

import json

import pytest

# (file content, the secret value that must never be shown, the rule)
CORPUS = [
    pytest.param(
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n'
        '-----END OPENSSH PRIVATE KEY-----\n',
        'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
        'private key block',
        id='openssh_key',
    ),
    pytest.param(
        'aws_access_key_id = AKIAZ7VRSQXMPLE12345\n',
        'AKIAZ7VRSQXMPLE12345',
        'AWS access key id',
        id='aws_key_id',
    ),
    pytest.param(
        'token: ghp_1234567890abcdefghijklmnopqrstuvwxyz\n',
        'ghp_1234567890abcdefghijklmnopqrstuvwxyz',
        'GitHub token',
        id='github_token',
    ),
    pytest.param(
        'SLACK = "xoxb-123456789012-abcdefghijkl"\n',
        'xoxb-123456789012-abcdefghijkl',
        'Slack token',
        id='slack',
    ),
    pytest.param(
        'stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"\n',
        '4eC39HqLyjWDarjtT1zdp7dc',
        'Stripe secret key',
        id='stripe',
    ),
    pytest.param(
        'DB_PASSWORD = "Tr0ub4dor&3-horse"\n',
        'Tr0ub4dor&3-horse',
        'credential assignment',
        id='password_assignment',
    ),
    pytest.param(
        '"client_secret": "s3cr3t-v4lu3-xyz"\n',
        's3cr3t-v4lu3-xyz',
        'credential assignment',
        id='json_client_secret',
    ),
    pytest.param(
        'url = "https://deploy:pa55w0rd-q9@git.example.com/repo.git"\n',
        'pa55w0rd-q9',
        'credentials in URL',
        id='url_userinfo',
    ),
]


@pytest.mark.parametrize(('content', 'secret', 'rule'), CORPUS)
def test_secret_value_never_in_output(committed, cli, tmp_path, content, secret, rule):
    committed.stage('src/app/settings.py', content)
    md = cli()
    js = cli('--format', 'json')
    out_file = tmp_path / 'prompt.md'
    written = cli('--output', str(out_file))
    json_file = tmp_path / 'report.json'
    cli('--format', 'json', '--output', str(json_file))
    data = json.loads(js.out)
    security = {t['id']: t for t in data['triggers']}['security']
    assert any(rule in d['why'] for d in security['details'])
    outputs = [
        md.out,
        md.err,
        js.out,
        js.err,
        written.out,
        written.err,
        out_file.read_text(),
        json_file.read_text(),
    ]
    for text in outputs:
        assert secret not in text
    # Nor any long piece of it.
    for text in outputs:
        assert secret[:12] not in text


def test_secret_in_a_file_name_is_still_just_a_path(committed, cli):
    # A path is shown (it is what the reviewer must find); content never is.
    committed.stage('src/app/keys.py', 'API_KEY = "AKIAZ7VRSQXMPLE12345"\n')
    out = cli().out
    assert '`src/app/keys.py`' in out and 'AKIAZ7VRSQXMPLE12345' not in out


# Shapes detect-secrets and gitleaks find by default, in the files they
# are usually written in. Fabricated values of the right shape.
SHAPES = [
    pytest.param(
        'src/app/llm.py',
        'KEY = "sk-ant-api03-' + 'Ab3dE' * 18 + 'AA"\n',
        'Ab3dE' * 6,
        'Anthropic API key',
        id='anthropic',
    ),
    pytest.param(
        'src/app/llm.py',
        'KEY = "sk-proj-' + 'Zx9Qw' * 12 + '"\n',
        'Zx9Qw' * 6,
        'OpenAI API key',
        id='openai_project',
    ),
    pytest.param(
        'ci/publish.sh',
        'TOKEN=glpat-' + 'aB3dE7gH9jK1mN5pQ7rS' + '\n',
        'aB3dE7gH9jK1mN5pQ7rS',
        'GitLab token',
        id='gitlab',
    ),
    pytest.param(
        'src/app/hub.py',
        'tok = "hf_' + 'abcdefghijklmnopqrstuvwxyzABCDEFGH' + '"\n',
        'abcdefghijklmnopqrstuvwxyzABCDEFGH',
        'Hugging Face token',
        id='huggingface',
    ),
    pytest.param(
        '.npmrc',
        '//registry.npmjs.org/:_authToken=npm_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8' + '\n',
        'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
        'npm token',
        id='npm',
    ),
    pytest.param(
        'src/app/notify.py',
        'URL = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/' + 'c' * 24 + '"\n',
        'c' * 24,
        'Slack webhook URL',
        id='slack_webhook',
    ),
    pytest.param(
        'src/app/storage.py',
        'CONN = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey='
        + 'Q' * 86
        + '==;EndpointSuffix=core.windows.net"\n',
        'Q' * 86,
        'Azure storage account key',
        id='azure_storage',
    ),
    pytest.param(
        'tests/fixtures/auth.py',
        'T = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"\n',
        'dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        'JSON web token',
        id='jwt',
    ),
    pytest.param(
        '.env',
        'DB_PASSWORD=Tr0ub4dor-3-horse\n',
        'Tr0ub4dor-3-horse',
        'credential assignment (unquoted)',
        id='dotenv_unquoted',
    ),
    pytest.param(
        'config/database.yml',
        'production:\n  password: s3cr3t-pr0d-v4lue\n',
        's3cr3t-pr0d-v4lue',
        'credential assignment (unquoted)',
        id='yaml_unquoted',
    ),
    pytest.param(
        'deploy/credentials',
        'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8vT2wKEY\n',
        'wJalrXUtnFEMI/K7MDENG',
        'AWS secret access key',
        id='aws_secret_unquoted',
    ),
]


@pytest.mark.parametrize(('path', 'content', 'secret', 'rule'), SHAPES)
def test_common_shapes_fire_without_leaking(committed, cli, path, content, secret, rule):
    committed.stage(path, content)
    js = cli('--format', 'json')
    md = cli()
    security = {t['id']: t for t in json.loads(js.out)['triggers']}['security']
    assert any(rule in d['why'] for d in security['details']), security['details']
    for text in (js.out, js.err, md.out, md.err):
        assert secret not in text


@pytest.mark.parametrize(
    ('path', 'content'),
    [
        pytest.param('.env.example', 'DB_PASSWORD=changeme\n', id='dotenv_changeme_noop'),
        pytest.param('config/app.yml', 'password: ${DB_PASSWORD}\n', id='yaml_env_reference_noop'),
        pytest.param('config/app.yml', 'secretName: db-credentials\n', id='secret_name_noop'),
        pytest.param(
            'src/app/settings.py', 'password = os.environ["DB_PASSWORD"]\n', id='code_reference_noop'
        ),
        pytest.param('README.md', 'export OPENAI_API_KEY=your-api-key\n', id='docs_placeholder_noop'),
    ],
)
def test_config_assignment_near_misses_noop(committed, cli, path, content):
    committed.stage(path, content)
    assert 'security' not in {t['id'] for t in json.loads(cli('--format', 'json').out)['triggers']}
