"""The one redaction step: a secret in any field of the change (path, old
path, dependency entry, suppression reason, commit message, definition,
trailer, branch name, the diff) appears in no output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review_trigger import redact
from review_trigger.config import default_config
from review_trigger.memo import Memo

# (secret value, can it be an identifier and a file name)
SHAPES = [
    pytest.param('AKIAZ7VRSQXMPLE12345', True, id='aws_key_id'),
    pytest.param('ghp_1234567890abcdefghijklmnopqrstuvwxyz', True, id='github_token'),
    pytest.param('xoxb-123456789012-abcdefghijkl', False, id='slack'),
    pytest.param('sk_live_4eC39HqLyjWDarjtT1zdp7dc', True, id='stripe'),
    pytest.param('AIzaSyA1234567890abcdefghijklmnopqrstuv', True, id='google'),
]
# Shapes that need their context to be a secret: (text holding it, value).
CONTEXT_SHAPES = [
    pytest.param('DB_PASSWORD = "Tr0ub4dor&3-horse"', 'Tr0ub4dor&3-horse', id='assignment'),
    pytest.param('https://deploy:pa55w0rd-q9@git.example.com/r.git', 'pa55w0rd-q9', id='url'),
    pytest.param(
        '--extra-index-url https://__token__:glpat-AbCdEf1234567890xyz@host/simple',
        'glpat-AbCdEf1234567890xyz',
        id='index_url_token',
    ),
]
PEM = (
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7yn3bRHQ5FHMQ\n'
    'b3BlbnNzaC1rZXktdjEAAAAABG5v\n-----END RSA PRIVATE KEY-----\n'
)


@pytest.fixture(params=['alone', 'memo'])
def red(request: pytest.FixtureRequest, tmp_path: Path) -> redact.Redactor:
    """Without a run's memo every text is searched with every rule; with
    one, only with the rules whose necessary literals it holds."""
    if request.param == 'alone':
        return redact.for_config(default_config())
    return redact.for_config(default_config(), Memo(str(tmp_path)))


@pytest.mark.parametrize(('secret', '_ident'), SHAPES)
def test_each_shape_is_masked(red, secret, _ident):
    masked = red.text(f'see {secret} here')
    assert secret not in masked and masked.startswith('see [secret masked: ')


@pytest.mark.parametrize(('text', 'secret'), CONTEXT_SHAPES)
def test_each_context_shape_is_masked(red, text, secret):
    assert secret not in red.text(text)


def test_a_private_key_block_is_masked_whole(red):
    masked = red.text('+' + PEM.replace('\n', '\n+'))
    assert 'MIIEow' not in masked and 'b3Blbn' not in masked
    assert masked.count('[secret masked: private key block]') == 1


def test_unsafe_patterns_and_imports_are_not_masked(red):
    # The reviewer must see them: they are what to review, not secrets.
    text = 'import jwt\nrequests.get(u, verify=False)\n'
    assert red.text(text) == text


def test_joined_search_finds_every_string(red):
    secret = 'ghp_1234567890abcdefghijklmnopqrstuvwxyz'
    texts = [f'src/m{i}.py' for i in range(2000)] + [f'src/{secret}.py', 'x' * 5]
    found = red.strings(texts)
    assert list(found) == [f'src/{secret}.py']
    assert secret not in found[f'src/{secret}.py']


@pytest.mark.parametrize(('text', 'secret'), CONTEXT_SHAPES)
@pytest.mark.parametrize('filler', [10, redact.GATES_AFTER // 20], ids=['small', 'gated'])
def test_many_texts_are_masked_as_each_alone(red, text, secret, filler):
    # Past GATES_AFTER the texts are searched through the rules' gates;
    # either way each text is masked exactly as on its own.
    texts = [f'src/pkg/module_{i}.py' for i in range(filler)] + [text]
    found = red.strings(texts)
    assert found == {text: red.text(text)}
    assert secret not in found[text]


# Python's re matches these for an ASCII letter under re.IGNORECASE (the
# long s for s, the dotless and dotted i for i, the Kelvin sign for k):
# lower-casing alone keeps the first two, so a literal search would miss
# the secret where the rule finds it.
FOLDED = [
    pytest.param('DB_PA\u017f\u017fWORD = "Tr0ub4dor&3-horse"', 'Tr0ub4dor&3-horse', id='long_s'),
    pytest.param('client_secret = "q8Zr-\u0131-Wv2x9Lm4"', 'q8Zr-\u0131-Wv2x9Lm4', id='dotless_i_in_value'),
    pytest.param('api_\u212aey = "Wv2x9Lm4q8Zr77"', 'Wv2x9Lm4q8Zr77', id='kelvin'),
]


@pytest.mark.parametrize(('text', 'secret'), FOLDED)
@pytest.mark.parametrize('filler', [0, 10, redact.GATES_AFTER // 20], ids=['alone', 'small', 'gated'])
def test_a_secret_spelled_with_case_folds_is_masked(red, text, secret, filler):
    assert secret not in red.text(text)
    texts = [f'src/pkg/module_{i}.py' for i in range(filler)] + [text]
    found = red.strings(texts)
    assert text in found and secret not in found[text]


def test_a_run_s_memo_keeps_the_rules_literals(tmp_path):
    memo = Memo(str(tmp_path))
    red = redact.for_config(default_config(), memo)
    assert len(red.literals) == len(red.rules) and any(red.literals)
    memo.save()
    # The next run reads them back: the same literals, none computed.
    again = redact.for_config(default_config(), Memo(str(tmp_path)))
    assert again.literals == red.literals
    # A rule whose literals a text lacks is not searched with it.
    quiet = 'src/pkg/module.py'
    assert again.text(quiet) == quiet and again.strings([quiet] * 3) == {}


def test_nothing_to_mask_keeps_the_records(red):
    assert red.strings(['a', 'b']) == {}


def test_rule_names_say_which_rules_are_secrets():
    assert redact.is_secret_rule('GitLab token')
    assert redact.is_secret_rule('Slack webhook')
    assert not redact.is_secret_rule('crypto/auth import (Python)')
    assert not redact.is_secret_rule('JWT signature verification disabled')
    assert not redact.is_secret_rule('TLS verification off')


def _fields(repo, secret: str, ident: bool) -> None:
    """A change holding ``secret`` in every field a run renders."""
    name = secret if ident else 'plain'
    repo.stage(f'src/auth/old_{name}.py', 'def old():\n    return 1\n' * 20)
    repo.commit('base')
    repo.git('mv', f'src/auth/old_{name}.py', 'src/auth/moved.py')
    repo.stage(f'src/app/{name}_keys.py', f'KEY = "{secret}"\n')
    repo.stage('src/app/defs.py', f'def {name}():\n    return 1\n')
    repo.stage(
        'src/app/suppressed.py',
        f'TOKEN = "{secret}"  # review-trigger: ignore[security] {secret} is a test value\n',
    )
    repo.stage(
        'requirements.txt',
        f'--extra-index-url https://__token__:{secret}@pypi.example.com/simple\n{name}==1.0\n',
    )
    repo.commit(f'add the {secret} key\n\nCo-authored-by: Claude {secret} <noreply@anthropic.com>')


def _outputs(cli, tmp_path: Path, *args: str) -> list[str]:
    md = cli(*args)
    js = cli('--format', 'json', *args)
    diff = cli('--include-diff', *args)
    out_file = tmp_path / 'prompt.md'
    written = cli('--include-diff', '--output', str(out_file), *args)
    json_file = tmp_path / 'report.json'
    cli('--format', 'json', '--include-diff', '--output', str(json_file), *args)
    for r in (md, js, diff, written):
        assert r.code == 0, r.err
    assert '**What to review:**' in md.out
    return [
        md.out,
        md.err,
        js.out,
        js.err,
        diff.out,
        diff.err,
        written.err,
        out_file.read_text(),
        json_file.read_text(),
    ]


@pytest.mark.parametrize(('secret', 'ident'), SHAPES)
def test_a_secret_in_any_field_is_in_no_output(committed, cli, tmp_path, secret, ident):
    _fields(committed, secret, ident)
    committed.git('branch', f'feature/{secret}')
    outputs = _outputs(cli, tmp_path, '--base', 'HEAD~1', '--head', f'feature/{secret}')
    for text in outputs:
        assert secret not in text
        assert secret[:14] not in text
    data = json.loads(outputs[2])
    # The fields are there, masked: the mask names the rule.
    paths = [c['path'] for c in data['changes']]
    assert any('[secret masked: ' in p for p in paths) == ident
    assert '[secret masked: ' in data['range']['label']
    assert '[secret masked: ' in data['prompt']


def test_a_private_key_in_a_commit_message_and_the_diff(committed, cli, tmp_path):
    committed.stage('deploy/id_rsa', PEM)
    committed.stage('src/auth/login.py', 'x = 1\n')
    committed.commit('add the deploy key\n\n' + PEM)
    outputs = _outputs(cli, tmp_path, '--since', 'HEAD~1')
    for text in outputs:
        assert 'MIIEow' not in text and 'b3BlbnNzaC1r' not in text


@pytest.mark.parametrize(('text', 'secret'), CONTEXT_SHAPES)
def test_a_context_shape_in_the_commit_message(committed, cli, tmp_path, text, secret):
    committed.stage('src/auth/login.py', 'x = 1\n')
    committed.commit(f'connect\n\n{text}\n')
    for out in _outputs(cli, tmp_path, '--since', 'HEAD~1'):
        assert secret not in out


def test_without_secrets_the_report_is_unchanged(committed, cli):
    # The redaction step is the identity on a change with nothing to mask.
    committed.stage('src/auth/login.py', 'def login():\n    return True\n')
    data = json.loads(cli('--format', 'json').out)
    assert [c['path'] for c in data['changes']] == ['src/auth/login.py']
    assert '[secret masked' not in data['prompt']


def test_a_secret_reaches_no_output_of_the_action(committed, tmp_path, monkeypatch, capsys):
    """The Action, in process, against a fake GitHub: the comment, the job
    summary, the annotations, its outputs, the report and the prompt."""
    from action_harness import FakeGitHubWithPulls

    from review_trigger.__main__ import main

    secret = 'ghp_1234567890abcdefghijklmnopqrstuvwxyz'
    base = committed.git('rev-parse', 'HEAD').strip()
    committed.git('checkout', '-q', '-b', f'feature/{secret}')
    committed.stage(f'src/auth/{secret}.py', f'TOKEN = "{secret}"\n')
    committed.stage(
        'requirements.txt', f'--extra-index-url https://__token__:{secret}@pypi.example.com/simple\n'
    )
    head = committed.commit(f'add {secret}\n\nCo-authored-by: Claude {secret} <a@anthropic.com>')
    event = tmp_path / 'event.json'
    event.write_text(
        json.dumps(
            {
                'action': 'synchronize',
                'number': 7,
                'pull_request': {
                    'number': 7,
                    'title': f'Add {secret}',
                    'base': {
                        'ref': 'main',
                        'sha': base,
                        'label': 'octo:main',
                        'repo': {'full_name': 'octo/widgets'},
                    },
                    'head': {
                        'ref': f'feature/{secret}',
                        'sha': head,
                        'label': f'octo:feature/{secret}',
                        'repo': {'full_name': 'octo/widgets'},
                    },
                },
                'repository': {'full_name': 'octo/widgets'},
            }
        )
    )
    summary, outputs = tmp_path / 'summary.md', tmp_path / 'outputs.txt'
    with FakeGitHubWithPulls(github_token_mode=True) as fake:
        fake.pulls[('octo/widgets', 7)] = head
        for k, v in {
            'GITHUB_EVENT_PATH': str(event),
            'GITHUB_EVENT_NAME': 'pull_request',
            'GITHUB_REPOSITORY': 'octo/widgets',
            'GITHUB_API_URL': fake.url,
            'GITHUB_SERVER_URL': fake.root,
            'GITHUB_STEP_SUMMARY': str(summary),
            'GITHUB_OUTPUT': str(outputs),
            'RUNNER_TEMP': str(tmp_path / 'temp'),
            'INPUT_TOKEN': fake.token,
            'INPUT_PATH': str(committed.path),
            'INPUT_INCLUDE_DIFF': 'true',
            'INPUT_MAX_FETCH_DEPTH': '0',
        }.items():
            monkeypatch.setenv(k, v)
        code = main(['github'])
        captured = capsys.readouterr()
        bodies = [c.body for c in fake.comments_on('octo/widgets', 7)]
    assert code == 0, captured.err
    assert bodies and '[secret masked: ' in bodies[0]
    out_dir = tmp_path / 'temp' / 'review-trigger'
    report = (out_dir / 'report.json').read_text()
    assert json.loads(report)['included_diff']['files']
    texts = [
        captured.out,
        captured.err,
        summary.read_text(),
        outputs.read_text(),
        report,
        (out_dir / 'prompt.md').read_text(),
        *bodies,
    ]
    assert '::warning file=' in captured.out  # the annotations are in the checks
    for text in texts:
        assert secret not in text and secret[:14] not in text


def test_a_secret_in_any_piece_of_a_large_text_is_masked(red):
    """Past RE2's piece of text (64 KB), after text in other scripts: each
    literal gate is searched in the pieces an RE2 set found it in, at the
    offsets of the text (not of its UTF-8)."""
    filler = [f'docs/\u4e2d\u6587/page_{i}.md' for i in range(9000)]
    assigned = 'DB_PASSWORD = "Tr0ub4dor&3-horse"'
    token = 'see ghp_1234567890abcdefghijklmnopqrstuvwxyz'
    texts = [*filler[:4500], assigned, *filler[4500:], token]
    assert len('\n'.join(texts).encode()) > 3 * 64 * 1024
    found = red.strings(texts)
    assert found == {assigned: red.text(assigned), token: red.text(token)}
    assert 'Tr0ub4dor' not in found[assigned] and 'ghp_' not in found[token]
