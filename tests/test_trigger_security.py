from __future__ import annotations

import json

import pytest
from conftest import fired, fired_whys

SECRET = 'hunter2-very-secret-value'


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('src/auth/login.py', id='auth_dir'),
        pytest.param('web/userPermissions.ts', id='camel_case_permissions'),
        pytest.param('api/oauth_callback.go', id='oauth'),
        pytest.param('lib/session_store.rb', id='session'),
        pytest.param('crypto/Cipher.java', id='crypto'),
        pytest.param('app/api_keys.py', id='api_key_phrase'),
    ],
)
def test_security_path_words_fire(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert path in fired(cli)['security']['files']


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('AUTHORS', id='authors_noop'),
        pytest.param('docs/authors.md', id='docs_authors_noop'),
        pytest.param('src/tokenizer.py', id='tokenizer_noop'),
        pytest.param('src/keyboard.py', id='keyboard_noop'),
        pytest.param('vendor/auth/lib.py', id='vendored_noop'),
    ],
)
def test_security_path_words_noop(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert 'security' not in fired(cli)


@pytest.mark.parametrize(
    ('line', 'rule'),
    [
        pytest.param(f'password = "{SECRET}"', 'credential assignment', id='password_assignment'),
        pytest.param(
            f'DB_URL = "postgres://admin:{SECRET}@db:5432/x"', 'credentials in URL', id='url_credentials'
        ),
        pytest.param('-----BEGIN RSA PRIVATE KEY-----', 'private key block', id='private_key'),
        pytest.param('aws = "AKIAZ7VRSQXMPLE12345"', 'AWS access key id', id='aws_key'),
        pytest.param('import jwt', 'crypto/auth import (Python)', id='python_jwt_import'),
        pytest.param(
            "const jwt = require('jsonwebtoken')", 'crypto/auth import (JavaScript)', id='js_import'
        ),
        pytest.param('import "crypto/tls"', 'crypto/auth import (Go)', id='go_import'),
    ],
)
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


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('password = get_password()', id='password_from_call_noop'),
        pytest.param('TOKEN_COUNT = 5', id='token_count_noop'),
        pytest.param('import json', id='plain_import_noop'),
    ],
)
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
    assert data['suppressed'] == [
        {
            'trigger': 'security',
            'path': 'src/app/settings.py',
            'line': 1,
            'reason': 'test fixture',
        }
    ]


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


# -- unsafe patterns ---------------------------------------------------------


@pytest.mark.parametrize(
    ('path', 'line', 'rule'),
    [
        pytest.param(
            'src/app/client.py',
            'requests.get(url, verify=False)',
            'TLS verification disabled',
            id='verify_false',
        ),
        pytest.param(
            'pkg/http/client.go',
            '\tTLSClientConfig: &tls.Config{InsecureSkipVerify: true},',
            'TLS verification disabled',
            id='go_insecure_skip_verify',
        ),
        pytest.param(
            'src/agent.ts',
            'const agent = new https.Agent({ rejectUnauthorized: false })',
            'TLS verification disabled',
            id='reject_unauthorized',
        ),
        pytest.param(
            'scripts/run.js',
            "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'",
            'TLS verification disabled',
            id='node_tls_env',
        ),
        pytest.param(
            'src/app/run.py',
            'subprocess.run(cmd, shell=True)',
            'shell command run through a shell',
            id='shell_true',
        ),
        pytest.param(
            'src/app/run.py',
            'os.system("tar xf " + name)',
            'shell command run through a shell',
            id='os_system',
        ),
        pytest.param(
            'src/run.js',
            "const { exec } = require('child_process')",
            'shell command run through a shell',
            id='child_process',
        ),
        pytest.param('src/app/calc.py', 'result = eval(expression)', 'eval of dynamic code', id='eval'),
        pytest.param(
            'src/app/db.py',
            'cur.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
            'SQL built by string formatting',
            id='sql_fstring',
        ),
        pytest.param(
            'src/app/db.py',
            'sql = "SELECT id FROM t WHERE a = \'" + value + "\'"',
            'SQL built by string formatting',
            id='sql_concat',
        ),
        pytest.param(
            'src/db.ts',
            'await db.query(`DELETE FROM users WHERE id = ${id}`)',
            'SQL built by string formatting',
            id='sql_template',
        ),
        pytest.param(
            'internal/store.go',
            '\tq := fmt.Sprintf("SELECT * FROM t WHERE id = %s", id)',
            'SQL built by string formatting',
            id='sql_sprintf',
        ),
        pytest.param('src/app/cache.py', 'obj = pickle.loads(blob)', 'unsafe deserialisation', id='pickle'),
        pytest.param('src/app/conf.py', 'data = yaml.load(text)', 'unsafe deserialisation', id='yaml_load'),
        pytest.param('lib/cache.rb', 'obj = Marshal.load(blob)', 'unsafe deserialisation', id='marshal'),
        pytest.param(
            'src/View.tsx',
            '<div dangerouslySetInnerHTML={{ __html: body }} />',
            'HTML inserted without escaping',
            id='react_html',
        ),
        pytest.param(
            'src/view.js', 'el.innerHTML = message', 'HTML inserted without escaping', id='inner_html'
        ),
        pytest.param('src/app/views.py', '@csrf_exempt', 'CSRF protection disabled', id='csrf_exempt'),
        pytest.param(
            'src/app/views.py',
            "response['Access-Control-Allow-Origin'] = '*'",
            'CORS opened to any origin',
            id='cors_star',
        ),
        pytest.param(
            'src/app/tokens.py',
            'jwt.decode(t, options={"verify_signature": False})',
            'JWT signature verification disabled',
            id='jwt_no_verify',
        ),
        pytest.param(
            'src/app/tokens.py',
            'jwt.decode(t, key, algorithms=["none"])',
            'JWT signature verification disabled',
            id='jwt_alg_none',
        ),
        pytest.param(
            'src/app/users.py',
            'digest = hashlib.md5(password.encode()).hexdigest()',
            'weak hash near a password',
            id='md5_password',
        ),
        pytest.param(
            'CHANGELOG.md',
            '- Fix header bypass (CVE-2026-12345)',
            'security advisory referenced',
            id='cve_in_changelog',
        ),
        pytest.param(
            '.github/workflows/triage.yml',
            '      - run: echo "${{ github.event.issue.title }}"',
            'untrusted event text in a workflow command',
            id='workflow_issue_title_in_run',
        ),
        pytest.param(
            '.github/workflows/ci.yml',
            '          git checkout "${{ github.head_ref }}"',
            'untrusted event text in a workflow command',
            id='workflow_branch_name_in_a_run_block',
        ),
        pytest.param(
            '.github/actions/notify/action.yml',
            '        script: core.info("${{ github.event.pull_request.body }}")',
            'untrusted event text in a workflow command',
            id='composite_action_body_in_script',
        ),
        pytest.param(
            '.github/workflows/ci.yml',
            '      - run: ${{ github.event.comment.body }}',
            'untrusted event text in a workflow command',
            id='workflow_comment_as_the_command',
        ),
        pytest.param(
            '.github/workflows/ci.yml',
            'on: pull_request_target',
            'workflow run on pull_request_target',
            id='pull_request_target',
        ),
        pytest.param(
            '.github/workflows/ci.yml',
            'on: [push, pull_request_target]',
            'workflow run on pull_request_target',
            id='pull_request_target_in_a_list',
        ),
        pytest.param(
            '.github/workflows/ci.yml',
            '  pull_request_target:',
            'workflow run on pull_request_target',
            id='pull_request_target_key',
        ),
    ],
)
def test_unsafe_patterns_fire(committed, cli, path, line, rule):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'security')
    assert any(rule in why for why in whys), whys
    assert all(line not in why for why in whys)


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('src/app/conf.py', 'data = yaml.safe_load(text)', id='yaml_safe_load_noop'),
        pytest.param(
            'src/app/conf.py', 'data = yaml.load(text, Loader=yaml.SafeLoader)', id='yaml_safe_loader_noop'
        ),
        pytest.param('src/app/train.py', 'model.eval()', id='model_eval_noop'),
        pytest.param('src/app/parse.py', 'value = ast.literal_eval(text)', id='literal_eval_noop'),
        pytest.param('src/app/ui.py', 'msg = f"Please select {count} items"', id='select_in_prose_noop'),
        pytest.param(
            'src/app/run.py', 'subprocess.run(["tar", "xf", name], check=True)', id='argv_list_noop'
        ),
        pytest.param('src/app/client.py', 'requests.get(url, verify=True)', id='verify_true_noop'),
        pytest.param('src/view.js', 'el.textContent = message', id='text_content_noop'),
        pytest.param('docs/guide.md', '```python\nimport jwt\n```', id='markdown_code_sample_noop'),
        pytest.param(
            'docs/security.md',
            'Never call `eval(user_input)` or use `verify=False`.',
            id='docs_about_security_noop',
        ),
        # The safe form: the text in an environment variable the shell reads.
        pytest.param(
            '.github/workflows/triage.yml',
            '          TITLE: ${{ github.event.issue.title }}\n        run: echo "$TITLE"',
            id='workflow_event_text_through_env_noop',
        ),
        pytest.param(
            '.github/workflows/ci.yml', '          ref: ${{ github.head_ref }}', id='workflow_input_noop'
        ),
        pytest.param(
            '.github/workflows/ci.yml',
            '      - run: echo "${{ github.event.pull_request.number }} ${{ github.sha }}"',
            id='workflow_numbers_and_shas_noop',
        ),
        pytest.param('.github/workflows/ci.yml', 'on: [push, pull_request]', id='workflow_pull_request_noop'),
        pytest.param(
            '.github/workflows/ci.yml',
            '  group: ${{ github.workflow }}-${{ github.head_ref || github.ref }}',
            id='workflow_concurrency_group_noop',
        ),
        pytest.param(
            '.github/workflows/ci.yml',
            '    name: Build ${{ github.head_ref }}',
            id='workflow_step_name_noop',
        ),
        pytest.param(
            '.github/workflows/ci.yml',
            "    if: github.event_name != 'pull_request_target'",
            id='workflow_event_name_test_noop',
        ),
        pytest.param(
            'docs/ci.md',
            'Never run `${{ github.event.issue.title }}` on `pull_request_target`.',
            id='docs_about_workflows_noop',
        ),
    ],
)
def test_unsafe_pattern_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'security' not in fired(cli)


# -- a workflow's event text: in a command, or in another block -------------------

_NOTIFY = """\
on: pull_request
jobs:
  notify:
    runs-on: ubuntu-latest
    steps:
      - name: Comment
        uses: actions/github-script@v7
        with:
          message: |
            **${{ github.event.pull_request.head.ref }}**: benchmark done
      - run: |
          echo "building"
{command}
"""
_UNSAFE = '          echo "${{ github.event.pull_request.title }}"'
_SAFE = '          echo "$TITLE"\n        env:\n          TITLE: ${{ github.event.pull_request.title }}'


def test_event_text_in_a_run_block_fires_and_in_an_action_input_does_not(committed, cli):
    committed.stage('.github/workflows/notify.yml', _NOTIFY.replace('{command}', _UNSAFE))
    whys = fired_whys(cli, 'security')
    # Line 13, the run block's; not line 10, the comment's message.
    assert whys == ['added line 13: untrusted event text in a workflow command'], whys


def test_event_text_in_a_scripts_own_block_is_in_the_command(committed, cli):
    # Less indented shell lines (`if ...; then`) are the script's, not keys.
    nested = '          if [ -n "$X" ]; then\n    ' + _UNSAFE + '\n          fi'
    committed.stage('.github/workflows/notify.yml', _NOTIFY.replace('{command}', nested))
    assert fired_whys(cli, 'security') == ['added line 14: untrusted event text in a workflow command']


def test_event_text_only_in_an_action_input_is_quiet(committed, cli):
    committed.stage('.github/workflows/notify.yml', _NOTIFY.replace('{command}', '          make'))
    assert 'security' not in fired(cli)


def test_event_text_outside_a_command_is_in_no_part_of_the_prompt(committed, cli):
    # Security fires for another file: its concern and checklist still do
    # not name the workflow's action input.
    committed.stage('.github/workflows/notify.yml', _NOTIFY.replace('{command}', '          make'))
    committed.stage('src/app/core.py', 'def run(user):\n    return user.is_admin\n')
    res = cli()
    assert res.code == 0 and '**security**' in res.out, res.err
    assert 'workflow command' not in res.out


def test_event_text_taken_out_of_a_command_is_a_fix_to_review(committed, cli):
    committed.stage('.github/workflows/notify.yml', _NOTIFY.replace('{command}', _UNSAFE))
    committed.commit('unsafe')
    committed.stage('.github/workflows/notify.yml', _NOTIFY.replace('{command}', _SAFE))
    whys = fired_whys(cli, 'security')
    assert whys == ['removed line 13 (old numbering): untrusted event text in a workflow command'], whys


def test_an_action_input_taken_out_is_no_fix(committed, cli):
    committed.stage('.github/workflows/notify.yml', _NOTIFY.replace('{command}', '          make'))
    committed.commit('comment')
    committed.stage(
        '.github/workflows/notify.yml',
        _NOTIFY.replace('{command}', '          make').replace(
            '**${{ github.event.pull_request.head.ref }}**: ', ''
        ),
    )
    assert 'security' not in fired(cli)


# -- auth logic without a security word in the path ---------------------------


@pytest.mark.parametrize(
    ('line', 'word'),
    [
        pytest.param('if not request.user.has_permission("view"):', 'has permission', id='has_permission'),
        pytest.param('if (user.isAdmin) {', 'is admin', id='is_admin_camel'),
        pytest.param('@login_required', 'login required', id='login_required'),
        pytest.param('res.setHeader("Set-Cookie", value)', 'set cookie', id='set_cookie'),
        pytest.param('token = exchange(refresh_token)', 'refresh token', id='refresh_token'),
        pytest.param('ok = verify(totp_code)', 'totp', id='totp'),
        pytest.param(
            'headers["Authorization"] = f"Bearer {tok}"', 'authorization', id='authorization_header'
        ),
        pytest.param('return secure_compare(a, b)', 'secure compare', id='secure_compare'),
    ],
)
def test_auth_identifiers_fire_anywhere(committed, cli, line, word):
    committed.stage('src/app/render.py', line + '\n')
    whys = fired_whys(cli, 'security')
    assert any(word in why for why in whys), whys


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('resp = client.messages.create(max_tokens=1024)', id='max_tokens_noop'),
        pytest.param('n = client.count_tokens(prompt)', id='count_tokens_noop'),
        pytest.param('usage = response.token_usage.output_tokens', id='output_tokens_noop'),
        pytest.param('tokenizer = AutoTokenizer.from_pretrained(name)', id='tokenizer_noop'),
        pytest.param('os.chmod(path, 0o644)  # fix file permissions', id='file_mode_permission_noop'),
        pytest.param('authors = read_authors()', id='authors_noop'),
        pytest.param('db_session = sessionmaker(bind=engine)()', id='database_session_noop'),
        pytest.param('# the user must have permission to see this', id='comment_noop'),
    ],
)
def test_auth_false_friends_noop(committed, cli, line):
    committed.stage('src/app/render.py', line + '\n')
    assert 'security' not in fired(cli)


def test_removed_permission_check_fires(committed, cli):
    committed.stage(
        'src/app/render.py',
        'def render(user, doc):\n    if not user.has_permission("read", doc):\n'
        '        raise Forbidden()\n    return doc.body\n',
    )
    committed.commit('render')
    committed.stage('src/app/render.py', 'def render(user, doc):\n    return doc.body\n')
    whys = fired_whys(cli, 'security')
    assert whys == ['removed line 2 (old numbering): has permission'], whys


def test_rename_out_of_an_auth_path_fires(committed, cli):
    body = ''.join(f'def step_{i}(ctx):\n    return ctx.run({i})\n\n' for i in range(8))
    committed.stage(
        'src/auth/login.py',
        'def check(user):\n    if not user.active:\n        raise Denied()\n    return True\n\n' + body,
    )
    committed.commit('login')
    (committed.path / 'src' / 'core').mkdir()
    committed.git('mv', 'src/auth/login.py', 'src/core/entry.py')
    committed.stage('src/core/entry.py', 'def check(user):\n    return True\n\n' + body)
    details = fired(cli)['security']['details']
    assert details[0]['path'] == 'src/core/entry.py'
    assert details[0]['why'].startswith('path names security-sensitive code ("auth", old path), renamed')


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('src/auth/package.json', id='manifest_in_auth_folder_noop'),
        pytest.param('docs/ja/security/oauth.md', id='translated_docs_noop'),
        pytest.param('locales/de/login.json', id='translations_noop'),
        pytest.param('src/ws/session.py', id='websocket_session_noop'),
        pytest.param('src/db/session.go', id='database_session_path_noop'),
    ],
)
def test_path_words_only_count_for_code(committed, cli, path):
    committed.stage(path, '{"description": "x"}\n')
    assert 'security' not in fired(cli)


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('src/authtoken/views.py', id='authtoken'),
        pytest.param('src/passwordreset.py', id='passwordreset'),
        pytest.param('internal/mfa.go', id='mfa'),
        pytest.param('internal/jwks.go', id='jwks'),
        pytest.param('middleware/rate_limiter.go', id='rate_limiter'),
        pytest.param('src/middleware/secure-headers/index.ts', id='secure_headers'),
    ],
)
def test_compound_path_words_fire(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert path in fired(cli)['security']['files']


@pytest.mark.parametrize('path', ['docs/img/https.drawio.svg', 'docs/img/flow.drawio'])
def test_a_drawing_is_not_code(committed, cli, path):
    """An SVG or draw.io drawing that labels a box TLS or XSS is a picture;
    a key pasted into one is still found."""
    drawing = '<svg><text>TLS Termination Proxy</text><text>XSS</text><text>token</text></svg>\n'
    committed.stage(path, drawing)
    assert 'security' not in fired(cli)
    committed.stage(path, drawing + '<!-- AKIAZ7VRSQXMPLE12345 -->\n')
    assert path in fired(cli)['security']['files']


# -- placeholders -------------------------------------------------------------


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('api_key = "test-api-key"', id='test_key_noop'),
        pytest.param('api_key = "your-api-key"', id='your_key_noop'),
        pytest.param('password = "changeme"', id='changeme_noop'),
        pytest.param("api_key = 'xxx'", id='xxx_noop'),
        pytest.param('password = ""', id='empty_noop'),
        pytest.param('token = "${GITHUB_TOKEN}"', id='env_reference_noop'),
        pytest.param('api_key = "<token>"', id='angle_placeholder_noop'),
        pytest.param('aws = "AKIAIOSFODNN7EXAMPLE"', id='documented_example_key_noop'),
        pytest.param('secret_name = "db-credentials"', id='secret_name_noop'),
    ],
)
def test_placeholders_are_not_credentials(committed, cli, line):
    committed.stage('src/app/settings.py', line + '\n')
    assert 'security' not in fired(cli)


def test_real_looking_value_in_a_test_still_fires(committed, cli):
    committed.stage('tests/test_client.py', f'password = "{SECRET}"\n')
    assert 'tests/test_client.py' in fired(cli)['security']['files']


def test_vendored_file_gets_secret_shapes(committed, cli):
    committed.stage('vendor/lib/client.py', 'import jwt\nKEY = "AKIAZ7VRSQXMPLE12345"\n')
    details = fired(cli)['security']['details']
    assert details == [
        {'path': 'vendor/lib/client.py', 'why': 'added line 2: AWS access key id', 'items': []}
    ]


def test_generated_file_without_secrets_noop(committed, cli):
    committed.stage('dist/app.generated.js', 'import jwt from "jsonwebtoken"\nel.innerHTML = x\n')
    assert 'security' not in fired(cli)


# -- classes found on real commits: traversal, SSRF, client IP, copied records --


@pytest.mark.parametrize(
    ('path', 'line', 'rule'),
    [
        pytest.param(
            'middleware/static.go', 'filePath := path.Clean("./" + p)', 'path traversal guard', id='go_clean'
        ),
        pytest.param(
            'src/app/files.py', "if '..' in name.split('/'):", 'path traversal guard', id='dotdot_in'
        ),
        pytest.param(
            'src/app/files.py',
            'full = os.path.realpath(os.path.join(root, name))',
            'path traversal guard',
            id='realpath',
        ),
        pytest.param(
            'src/app/files.py',
            'return send_from_directory(root, name)',
            'path traversal guard',
            id='send_from_directory',
        ),
        pytest.param(
            'src/link/parse.ts',
            'function isBlockedIpv4 (ip: string): boolean {',
            'blocked ipv',
            id='ssrf_guard',
        ),
        pytest.param(
            'src/lib/ip.ts',
            "const ip = headers.get('x-forwarded-for')",
            'x forwarded for',
            id='client_ip_header',
        ),
        pytest.param(
            'src/admin/UserEditForm.tsx',
            "<Form values={{ ...user, password: '' }}>",
            'credential field of a copied record',
            id='spread_password',
        ),
        pytest.param(
            'src/app/api.ts',
            'const { passwordHash, ...safe } = user',
            'credential field of a copied record',
            id='strip_hash',
        ),
        pytest.param(
            'src/app/api.py',
            'return {**user, "password": None}',
            'credential field of a copied record',
            id='py_dict',
        ),
    ],
)
def test_real_commit_classes_fire(committed, cli, path, line, rule):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'security')
    assert any(rule in why for why in whys), whys


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('src/app/view.ts', "import { x } from '../utils'", id='relative_import_noop'),
        pytest.param('src/app/router.go', 'full := path.Join(prefix, route)', id='path_join_noop'),
        pytest.param('src/app/net.ts', 'const addr = parseAddress(host)', id='address_parse_noop'),
        pytest.param(
            'src/app/http.ts', "const id = headers.get('x-request-id')", id='request_id_header_noop'
        ),
        pytest.param(
            'src/app/llm.ts', 'const req = { ...opts, max_tokens: 1024 }', id='spread_llm_tokens_noop'
        ),
        pytest.param(
            'src/app/form.ts', 'const schema = z.object({ password: z.string() })', id='schema_field_noop'
        ),
        pytest.param(
            'src/app/ui.ts', 'const props = { ...base, tokenCount: n }', id='spread_token_count_noop'
        ),
    ],
)
def test_real_commit_class_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'security' not in fired(cli)


def test_removed_credential_field_of_a_copied_record_fires(committed, cli):
    # The form now gets the user record's password (hash) as its default.
    committed.stage('src/admin/UserEditForm.tsx', "<Form\n  values={{ ...user, password: '' }}\n>\n")
    committed.commit('form')
    committed.stage('src/admin/UserEditForm.tsx', '<Form values={user}>\n')
    whys = fired_whys(cli, 'security')
    assert whys == ['removed line 2 (old numbering): credential field of a copied record'], whys


VIEW = (
    'async def schema(self, request):\n'
    '    name = request.url_vars["database"]\n'
    '{before}'
    '    await self.ds.ensure_permission(\n'
    '        action="view-database",\n'
    '        actor=request.actor,\n'
    '    )\n'
    '{after}'
    '    return await self.render(name)\n'
)
EXISTS = '    if name not in self.ds.databases:\n        return self.not_found()\n'
PADDING = ''.join(f'    step_{i} = {i}\n' for i in range(8))


def test_check_moved_before_an_existence_test_fires(committed, cli):
    # The permission check's lines stay; the test of existence moves
    # after it, so a caller without permission can no longer probe.
    committed.stage('src/app/views.py', VIEW.format(before=EXISTS, after=''))
    committed.commit('view')
    committed.stage('src/app/views.py', VIEW.format(before='', after=EXISTS))
    whys = fired_whys(cli, 'security')
    assert whys == ['removed line 3 (old numbering) next to an authorization check'], whys


@pytest.mark.parametrize(
    ('path', 'old', 'new'),
    [
        pytest.param(
            'src/app/views.py',
            VIEW.format(before='', after=PADDING + '    x = 1\n'),
            VIEW.format(before='', after=PADDING + '    x = 2\n'),
            id='edit_far_from_the_check_noop',
        ),
        pytest.param(
            'src/app/views.py',
            VIEW.format(before='    logger.error("no access", name)\n', after=''),
            VIEW.format(before='    logger.warning("no access", name)\n', after=''),
            id='log_level_next_to_the_check_noop',
        ),
        pytest.param(
            'tests/test_views.py',
            VIEW.format(before=EXISTS, after=''),
            VIEW.format(before='', after=EXISTS),
            id='test_file_noop',
        ),
        pytest.param(
            'MIT-LICENSE',
            'Copyright (c) 2025 A\n\nPermission is hereby granted, free of charge,\n',
            'Copyright (c) 2026 A\n\nPermission is hereby granted, free of charge,\n',
            id='licence_permission_noop',
        ),
    ],
)
def test_changes_not_next_to_a_check_noop(committed, cli, path, old, new):
    committed.stage(path, old)
    committed.commit('view')
    committed.stage(path, new)
    assert 'security' not in fired(cli)


@pytest.mark.parametrize(
    ('path', 'fires'),
    [
        pytest.param('src/secrets/vault_client.py', True, id='secrets_vault'),
        pytest.param('infra/vault/policy.go', True, id='vault_policy'),
        pytest.param('resources/js/Pages/Vault/Contact/Show.vue', False, id='vault_of_contacts_noop'),
        pytest.param(
            'app/Services/MoveContactToAnotherVault.php', False, id='contact_moved_between_vaults_noop'
        ),
    ],
)
def test_vault_path_word_is_a_secrets_store_not_a_collection(committed, cli, path, fires):
    committed.stage(path, 'x = 1\n')
    assert ('security' in fired(cli)) is fires


@pytest.mark.parametrize(
    ('path', 'line', 'word'),
    [
        # The issue's examples: a request-size limit against a DoS, and
        # the checkout credential neutralised.
        pytest.param(
            'src/app.ts', 'app.use(bodyLimit({ maxSize: 50 * 1024 }))', 'body limit', id='body_limit'
        ),
        pytest.param(
            'server/main.go',
            'r.Body = http.MaxBytesReader(w, r.Body, 1<<20)',
            'max bytes reader',
            id='go_max_bytes',
        ),
        pytest.param(
            'src/git.ts',
            "await git.config('http.https://github.com/.extraheader', '')",
            'extraheader',
            id='neutralize_checkout_credential',
        ),
    ],
)
def test_issue_examples_fire(committed, cli, path, line, word):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'security')
    assert any(word in why for why in whys), whys


def test_compound_oauthlib_path_fires(committed, cli):
    committed.stage('src/oauthlib_client.py', 'x = 1\n')
    assert fired(cli)['security']['files'] == ['src/oauthlib_client.py']


# -- round four: payment sessions, guest access (real-commit classes) ------------


@pytest.mark.parametrize(
    ('path', 'fires'),
    [
        pytest.param('src/auth/session.ts', True, id='login_session'),
        pytest.param('app/sessions/store.rb', True, id='session_store'),
        # A payment provider's checkout session is a purchase, not a login.
        pytest.param(
            'packages/ee/server-only/stripe/create-checkout-session.ts',
            False,
            id='stripe_checkout_session_noop',
        ),
        pytest.param('shop/checkout/session.py', False, id='shop_checkout_session_noop'),
    ],
)
def test_session_path_word_is_a_login_not_a_checkout(committed, cli, path, fires):
    committed.stage(path, "    billing_address_collection: 'required',\n")
    assert ('security' in fired(cli)) is fires


@pytest.mark.parametrize(
    ('line', 'word'),
    [
        pytest.param(
            '            skip_existing_check = self.is_guest_checkout() and settings.ALLOW_GUEST_WITH_ACCOUNT',
            'is guest',
            id='guest_checkout_skips_sign_in',
        ),
        pytest.param('    if request.user.is_anonymous:', 'is anonymous', id='django_is_anonymous'),
        pytest.param('  allowAnonymous: true,', 'allow anonymous', id='allow_anonymous_option'),
        pytest.param('GUEST_ACCESS_ENABLED = True', 'guest access', id='guest_access_setting'),
    ],
)
def test_guest_and_anonymous_access_fire(committed, cli, line, word):
    committed.stage('src/shop/forms.py', line + '\n')
    whys = fired_whys(cli, 'security')
    assert any(word in why for why in whys), whys


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('guest_count = len(booking.guests)', id='hotel_guests_noop'),
        pytest.param('GUEST_LIST = ["ana", "bo"]', id='guest_list_noop'),
        pytest.param('label = "Anonymous survey"', id='anonymous_label_noop'),
    ],
)
def test_guest_words_without_access_noop(committed, cli, line):
    committed.stage('src/shop/forms.py', line + '\n')
    assert 'security' not in fired(cli)


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('    if settings.ROW_SECURITY:', id='row_security_setting'),
        pytest.param('ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;', id='postgres_rls'),
        pytest.param('    row_level_security = True', id='row_level_security_flag'),
    ],
)
def test_row_level_security_fires(committed, cli, line):
    committed.stage('insuree/reports/family_overview.py', line + '\n')
    whys = fired_whys(cli, 'security')
    assert any('row' in why and 'security' in why for why in whys), whys


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('ROW_HEIGHT = 24', id='row_height_noop'),
        pytest.param('security_deposit = row.amount', id='security_deposit_noop'),
        pytest.param('rows = table.select_rows(security_level)', id='rows_and_a_level_noop'),
    ],
)
def test_row_words_without_row_security_noop(committed, cli, line):
    committed.stage('insuree/reports/family_overview.py', line + '\n')
    assert 'security' not in fired(cli)


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param(
            'insuree/tests/test_reports.py',
            '        headers={"HTTP_AUTHORIZATION": f"Bearer {self.admin_token}"}',
            id='django_test_client_noop',
        ),
        pytest.param(
            'api/spec/requests/address_books_spec.rb',
            "                headers: { Authorization: 'Bearer galleon' }",
            id='rspec_request_noop',
        ),
        pytest.param(
            'test/orders.test.ts',
            "  const res = await request(app).get('/orders').set('Authorization', `Bearer ${token}`);",
            id='supertest_noop',
        ),
        pytest.param(
            'api/spec/requests/spree/api/stores_spec.rb',
            '        it "can update an existing store with reverse_charge_status" do',
            id='rspec_description_noop',
        ),
        pytest.param(
            'src/posts.test.ts',
            "test('an author can delete a draft', async () => {",
            id='jest_description_noop',
        ),
    ],
)
def test_a_test_client_sending_its_token_or_a_description_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'security' not in fired(cli)


@pytest.mark.parametrize(
    ('path', 'line', 'word'),
    [
        pytest.param(
            'insuree/tests/test_reports.py',
            '        self.assertEqual(response.status_code, status.HTTP_401_UNAUTHORIZED)',
            'unauthorized',
            id='a_test_expecting_a_refusal',
        ),
        pytest.param(
            'tests/test_vaults.py',
            '    vault.users.add(user, through_defaults={"permission": Vault.PERMISSION_VIEW})',
            'permission',
            id='a_test_granting_a_permission',
        ),
        pytest.param(
            'spec/models/ability_spec.rb',
            '      can :update, Spree::Store',
            'can update',
            id='an_ability_in_a_test',
        ),
        pytest.param(
            'src/app/client.py',
            '        headers={"HTTP_AUTHORIZATION": f"Bearer {self.admin_token}"}',
            'authorization',
            id='the_same_header_in_code',
        ),
    ],
)
def test_other_auth_words_in_tests_and_headers_in_code_fire(committed, cli, path, line, word):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'security')
    assert any(word in why for why in whys), whys


# -- round six: payment sessions, passwords hashed when set, docstrings --------


@pytest.mark.parametrize(
    'path',
    [
        pytest.param(
            'providers/stripe/app/models/gateway/payment_sessions.rb', id='gateway_payment_session_noop'
        ),
        pytest.param('src/payments/session.ts', id='payments_session_noop'),
    ],
)
def test_a_payment_session_is_a_purchase_noop(committed, cli, path):
    committed.stage(path, '    country: ship_address.country_code,\n')
    assert 'security' not in fired(cli)


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('            user.password = "password".encodeAsPassword()', id='grails_codec'),
        pytest.param('    user.password = bcrypt.hashpw(raw.encode(), bcrypt.gensalt())', id='bcrypt'),
        pytest.param('        account.passwordDigest = digest(plain)', id='digest'),
    ],
)
def test_password_hashed_when_set_fires(committed, cli, line):
    committed.stage('app/services/UserImportService.groovy', line + '\n')
    whys = fired_whys(cli, 'security')
    assert any('password hashed when set' in w for w in whys), whys


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('    form.passwordHint = encodeURIComponent(hint)', id='uri_encoding_noop'),
        pytest.param('    password_field = form.fields["password"]', id='no_hashing_call_noop'),
        pytest.param('    label = "Password"', id='label_noop'),
    ],
)
def test_password_hashed_when_set_near_misses_noop(committed, cli, line):
    committed.stage('app/services/forms.py', line + '\n')
    assert 'security' not in fired(cli)


DOCSTRING_VIEW = (
    '@frappe.whitelist()\n'
    'def create_customer(customer: dict) -> dict:\n'
    '    """Create a customer.\n'
    '\n'
    '    {doc}\n'
    '    """\n'
    '    frappe.has_permission("HD Customer", "create", throw=True)\n'
    '    return {result}\n'
)


def test_docstring_prose_next_to_a_check_noop(committed, cli):
    committed.stage(
        'helpdesk/api/customer.py', DOCSTRING_VIEW.format(doc='Returns its name.', result='doc.name')
    )
    committed.commit('view')
    committed.stage(
        'helpdesk/api/customer.py',
        DOCSTRING_VIEW.format(doc='Returns its name and the e-mails invited.', result='doc.name'),
    )
    assert 'security' not in fired(cli)


def test_code_after_a_docstring_next_to_a_check_fires(committed, cli):
    committed.stage(
        'helpdesk/api/customer.py', DOCSTRING_VIEW.format(doc='Returns its name.', result='doc.name')
    )
    committed.commit('view')
    committed.stage('helpdesk/api/customer.py', DOCSTRING_VIEW.format(doc='Returns its name.', result='doc'))
    whys = fired_whys(cli, 'security')
    assert whys == ['added line 8 next to an authorization check'], whys


# -- round seven: shell quoting, secrets from a random source, SSRF ranges ----


@pytest.mark.parametrize(
    ('path', 'line', 'rule'),
    [
        pytest.param(
            'hc/integrations/shell/transport.py',
            '            "$NAME": shlex.quote(check.name),',
            'shell argument quoted',
            id='python_shlex_quote',
        ),
        pytest.param(
            'app/Services/Thumbnailer.php',
            "        $cmd = 'convert ' . escapeshellarg($file) . ' thumb.png';",
            'shell argument quoted',
            id='php_escapeshellarg',
        ),
        pytest.param(
            'lib/backup/archive.rb',
            '    system("tar xf #{Shellwords.escape(path)}")',
            'shell argument quoted',
            id='ruby_shellwords',
        ),
        pytest.param(
            'api/src/main/java/org/clinic/api/impl/UserServiceImpl.java',
            '\t\tString token = RandomStringUtils.randomAlphanumeric(20);',
            'secret drawn from a random source',
            id='java_random_token',
        ),
        pytest.param(
            'src/accounts/invite.ts',
            '  const salt = crypto.randomBytes(16);',
            'secret drawn from a random source',
            id='node_random_salt',
        ),
        pytest.param(
            'hc/api/models.py',
            '        self.api_key = secrets.token_urlsafe(32)',
            'secret drawn from a random source',
            id='python_secrets_api_key',
        ),
        pytest.param(
            'app/models/invitation.rb',
            '    self.reset_token = SecureRandom.hex(20)',
            'secret drawn from a random source',
            id='ruby_reset_token',
        ),
        pytest.param(
            'src/Core/Utilities/IPAddressExtensions.cs',
            '        if (IPAddress.IsLoopback(ip))',
            'internal address range checked',
            id='csharp_loopback',
        ),
        pytest.param(
            'internal/fetch/guard.go',
            '\tif ip.IsLinkLocalUnicast() || ip.IsLoopback() {',
            'internal address range checked',
            id='go_link_local',
        ),
        pytest.param(
            'webhooks/delivery.py',
            'METADATA_ADDRESS = "169.254.169.254"',
            'internal address range checked',
            id='cloud_metadata_address',
        ),
        pytest.param(
            'src/main/java/org/hooks/UrlGuard.java',
            '        if (address.isSiteLocalAddress()) {',
            'internal address range checked',
            id='java_site_local',
        ),
    ],
)
def test_round_seven_classes_fire(committed, cli, path, line, rule):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'security')
    assert any(rule in why for why in whys), whys
    assert all(line.strip() not in why for why in whys)


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('src/links.py', 'url = "/checks/" + quote(name)', id='url_quote_noop'),
        pytest.param('src/llm/chat.py', 'max_tokens = random.randint(64, 256)', id='llm_tokens_noop'),
        pytest.param('src/ui/theme.py', 'color = random.choice(COLORS)', id='random_color_noop'),
        pytest.param('src/ui/feed.js', 'const delay = Math.random() * 1000;', id='random_delay_noop'),
        pytest.param('src/posts/views.py', '    if post.is_private:', id='private_post_noop'),
        pytest.param('src/server/config.go', '\tListen: "127.0.0.1:8080",', id='listen_address_noop'),
    ],
)
def test_round_seven_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'security' not in fired(cli), line


@pytest.mark.parametrize(
    ('path', 'line', 'rule'),
    [
        pytest.param(
            'hc/integrations/shell/transport.py',
            '    ctx["$NAME"] = shlex.quote(check.name)',
            'shell argument quoted',
            id='quoting_removed',
        ),
        pytest.param(
            'src/Core/Utilities/IPAddressExtensions.cs',
            '        if (IPAddress.IsLoopback(ip)) return true;',
            'internal address range checked',
            id='ssrf_guard_removed',
        ),
    ],
)
def test_round_seven_guards_removed_fire(committed, cli, path, line, rule):
    committed.stage(path, 'def run(check, ctx):\n' + line + '\n    return ctx\n')
    committed.commit('guarded')
    committed.stage(path, 'def run(check, ctx):\n    return ctx\n')
    whys = fired_whys(cli, 'security')
    assert any('removed line 2' in why and rule in why for why in whys), whys


RESOURCE = (
    'package org.tracker.resources;\n'
    '\n'
    'import alpine.server.auth.PermissionRequired;\n'
    'import java.util.List;\n'
    '{imports}'
    '\n'
    'public final class VulnsResource {{\n'
    '{fields}'
    '\n'
    '    @PermissionRequired(Permissions.VIEW_PORTFOLIO)\n'
    '    public Response list(String source) {{\n'
    '        return ok({result});\n'
    '    }}\n'
    '}}\n'
)


def _resource(imports: str = '', fields: str = '', result: str = 'source') -> str:
    return RESOURCE.format(imports=imports, fields=fields, result=result)


@pytest.mark.parametrize(
    'changed',
    [
        pytest.param({'imports': 'import java.util.Map;\n'}, id='import_next_to_an_imported_check_noop'),
        pytest.param(
            {'fields': '    private final PluginManager plugins;\n'}, id='field_above_an_annotation_noop'
        ),
    ],
)
def test_lines_no_check_guards_noop(committed, cli, changed):
    path = 'apiserver/src/main/java/org/tracker/resources/VulnsResource.java'
    committed.stage(path, _resource())
    committed.commit('resource')
    committed.stage(path, _resource(**changed))
    assert 'security' not in fired(cli)


def test_a_line_below_an_annotation_check_fires(committed, cli):
    path = 'apiserver/src/main/java/org/tracker/resources/VulnsResource.java'
    committed.stage(path, _resource())
    committed.commit('resource')
    committed.stage(path, _resource(result='source, all'))
    whys = fired_whys(cli, 'security')
    assert whys == ['added line 10 next to an authorization check'], whys


DECORATED_VIEW = '{above}@login_required\ndef orders(request):\n    return render(request, {template})\n'


def test_a_line_above_a_decorator_check_noop(committed, cli):
    committed.stage('shop/views.py', DECORATED_VIEW.format(above='', template='"orders.html"'))
    committed.commit('view')
    committed.stage(
        'shop/views.py', DECORATED_VIEW.format(above='PAGE = "orders.html"\n\n', template='"orders.html"')
    )
    assert 'security' not in fired(cli)


def test_a_line_below_a_decorator_check_fires(committed, cli):
    committed.stage('shop/views.py', DECORATED_VIEW.format(above='', template='"orders.html"'))
    committed.commit('view')
    committed.stage('shop/views.py', DECORATED_VIEW.format(above='', template='PAGE'))
    whys = fired_whys(cli, 'security')
    assert whys == ['added line 3 next to an authorization check'], whys
