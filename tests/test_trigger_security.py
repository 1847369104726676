from __future__ import annotations

import json

import pytest
from conftest import fired

SECRET = 'hunter2-very-secret-value'


@pytest.mark.parametrize('path', [
    pytest.param('src/auth/login.py', id='auth_dir'),
    pytest.param('web/userPermissions.ts', id='camel_case_permissions'),
    pytest.param('api/oauth_callback.go', id='oauth'),
    pytest.param('lib/session_store.rb', id='session'),
    pytest.param('crypto/Cipher.java', id='crypto'),
    pytest.param('app/api_keys.py', id='api_key_phrase'),
])
def test_security_path_words_fire(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert path in fired(cli)['security']['files']


@pytest.mark.parametrize('path', [
    pytest.param('AUTHORS', id='authors_noop'),
    pytest.param('docs/authors.md', id='docs_authors_noop'),
    pytest.param('src/tokenizer.py', id='tokenizer_noop'),
    pytest.param('src/keyboard.py', id='keyboard_noop'),
    pytest.param('vendor/auth/lib.py', id='vendored_noop'),
])
def test_security_path_words_noop(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert 'security' not in fired(cli)


@pytest.mark.parametrize(('line', 'rule'), [
    pytest.param(f'password = "{SECRET}"', 'credential assignment', id='password_assignment'),
    pytest.param(f'DB_URL = "postgres://admin:{SECRET}@db:5432/x"', 'credentials in URL', id='url_credentials'),
    pytest.param('-----BEGIN RSA PRIVATE KEY-----', 'private key block', id='private_key'),
    pytest.param('aws = "AKIAZ7VRSQXMPLE12345"', 'AWS access key id', id='aws_key'),
    pytest.param('import jwt', 'crypto/auth import (Python)', id='python_jwt_import'),
    pytest.param("const jwt = require('jsonwebtoken')", 'crypto/auth import (JavaScript)', id='js_import'),
    pytest.param('import "crypto/tls"', 'crypto/auth import (Go)', id='go_import'),
])
def test_security_content_fires_without_leaking(committed, cli, line, rule):
    committed.stage('src/app/settings.py', f'{line}\n')
    res = cli('--format', 'json')
    data = json.loads(res.out)
    security = {t['id']: t for t in data['triggers']}['security']
    assert security['details'] == [
        {'path': 'src/app/settings.py', 'why': f'added line 1: {rule}', 'items': []},
    ]
    md = cli()
    for text in (res.out, res.err, md.out, md.err):
        assert SECRET not in text
        assert 'AKIAZ7VRSQXMPLE12345' not in text


@pytest.mark.parametrize('line', [
    pytest.param('password = get_password()', id='password_from_call_noop'),
    pytest.param('TOKEN_COUNT = 5', id='token_count_noop'),
    pytest.param('import json', id='plain_import_noop'),
])
def test_security_content_noop(committed, cli, line):
    committed.stage('src/app/settings.py', f'{line}\n')
    assert 'security' not in fired(cli)


def test_lock_files_never_fire_content_rules(committed, cli):
    committed.stage('poetry.lock', f'password = "{SECRET}"\n')
    assert 'security' not in fired(cli)


def test_binary_files_are_listed_not_scanned(committed, cli):
    committed.stage('src/app/blob.bin', b'\0\1password = "' + SECRET.encode() + b'"\n')
    res = cli('--format', 'json')
    data = json.loads(res.out)
    assert data['changes'][0]['binary'] is True
    assert 'security' not in {t['id'] for t in data['triggers']}


def test_suppression_with_reason_is_listed(committed, cli):
    committed.stage(
        'src/app/settings.py',
        f'password = "{SECRET}"  # review-trigger: ignore[security] test fixture\n',
    )
    data = json.loads(cli('--format', 'json').out)
    assert 'security' not in {t['id'] for t in data['triggers']}
    assert data['suppressed'] == [{
        'trigger': 'security', 'path': 'src/app/settings.py', 'line': 1,
        'reason': 'test fixture',
    }]


def test_suppression_without_reason_is_ignored(committed, cli):
    committed.stage(
        'src/app/settings.py',
        f'password = "{SECRET}"  # review-trigger: ignore[security]\n',
    )
    data = json.loads(cli('--format', 'json').out)
    assert 'security' in {t['id'] for t in data['triggers']}
    assert any('without a reason' in n for n in data['notes'])


def test_suppressed_line_shows_in_prompt(committed, cli):
    committed.stage('src/auth/x.py', 'import jwt  # review-trigger: ignore[security] reviewed in #12\n')
    out = cli().out
    assert '**Suppressed**' in out
    assert '`reviewed in #12`' in out
