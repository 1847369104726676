"""A detected secret's value never appears in any output: only its kind and
location."""
from __future__ import annotations

import json

import pytest

# (file content, the secret value that must never be shown, the rule)
CORPUS = [
    pytest.param('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n'
                 '-----END OPENSSH PRIVATE KEY-----\n',
                 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'private key block', id='openssh_key'),
    pytest.param('aws_access_key_id = AKIAZ7VRSQXMPLE12345\n', 'AKIAZ7VRSQXMPLE12345',
                 'AWS access key id', id='aws_key_id'),
    pytest.param('token: ghp_1234567890abcdefghijklmnopqrstuvwxyz\n',
                 'ghp_1234567890abcdefghijklmnopqrstuvwxyz', 'GitHub token', id='github_token'),
    pytest.param('SLACK = "xoxb-123456789012-abcdefghijkl"\n', 'xoxb-123456789012-abcdefghijkl',
                 'Slack token', id='slack'),
    pytest.param('stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"\n',
                 '4eC39HqLyjWDarjtT1zdp7dc', 'Stripe secret key', id='stripe'),
    pytest.param('DB_PASSWORD = "Tr0ub4dor&3-horse"\n', 'Tr0ub4dor&3-horse',
                 'credential assignment', id='password_assignment'),
    pytest.param('"client_secret": "s3cr3t-v4lu3-xyz"\n', 's3cr3t-v4lu3-xyz',
                 'credential assignment', id='json_client_secret'),
    pytest.param('url = "https://deploy:pa55w0rd-q9@git.example.com/repo.git"\n', 'pa55w0rd-q9',
                 'credentials in URL', id='url_userinfo'),
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
    outputs = [md.out, md.err, js.out, js.err, written.out, written.err,
               out_file.read_text(), json_file.read_text()]
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
