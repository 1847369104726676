"""The configuration's own words reach the outputs too (the reviewer's
name, a custom trigger's id, description and concern, a rule's name, a
price entry): a secret in any of them is masked, in every format and in
every command that shows them; with nothing to mask they are shown as
written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AWS = 'AKIAZ7VRSQXMPLE12345'
GITHUB = 'ghp_1234567890abcdefghijklmnopqrstuvwxyz'
SLACK = 'xoxb-123456789012-abcdefghijkl'  # a valid custom trigger id, too

# (the configuration, with {s} where the value goes; the value; an argument)
FIELDS = [
    pytest.param('reviewer: "Opus {s}"\n', AWS, (), id='reviewer'),
    pytest.param('', GITHUB, ('--reviewer', 'Opus {s}'), id='reviewer_flag'),
    pytest.param(
        'custom_triggers:\n  - id: pay\n    description: "desc {s}"\n    concern: "Check it."\n',
        AWS,
        (),
        id='custom_description',
    ),
    pytest.param(
        'custom_triggers:\n  - id: pay\n    concern: "concern {s}"\n', GITHUB, (), id='custom_concern'
    ),
    pytest.param('custom_triggers:\n  - id: {s}\n    concern: "Check it."\n', SLACK, (), id='custom_id'),
    pytest.param(
        'triggers:\n  security:\n    extra_line_patterns:\n      "rule {s}": "pay_now"\n',
        AWS,
        (),
        id='rule_name',
    ),
    pytest.param(
        'prices:\n  - model: "Opus {s}"\n    match: "opus"\n    input: 1\n    output: 2\n',
        GITHUB,
        (),
        id='price_model',
    ),
]


def _outputs(repo, cli, tmp_path: Path, *args: str) -> list[str]:
    md = cli(*args)
    js = cli('--format', 'json', *args)
    out_file = tmp_path / 'prompt.md'
    written = cli('--include-diff', '--output', str(out_file), *args)
    conf = cli('config')
    conf_json = cli('config', '--format', 'json')
    hook = cli('hook', *args)
    for r in (md, js, written, conf, conf_json, hook):
        assert r.code == 0, r.err
    folder = repo.path / '.git' / 'review-trigger'
    assert '**What to review:**' in md.out
    return [
        md.out,
        md.err,
        js.out,
        js.err,
        written.err,
        out_file.read_text(),
        conf.out,
        conf_json.out,
        hook.out,
        hook.err,
        (folder / 'prompt.md').read_text(),
        (folder / 'report.json').read_text(),
    ]


def _change(repo) -> None:
    repo.stage('src/auth/pay.py', 'pay_now()\n')


@pytest.mark.parametrize(('text', 'secret', 'args'), FIELDS)
def test_a_secret_in_any_configuration_field_is_in_no_output(committed, cli, tmp_path, text, secret, args):
    committed.write('.review-trigger.yaml', text.format(s=secret))
    _change(committed)
    outputs = _outputs(committed, cli, tmp_path, *(a.format(s=secret) for a in args))
    for out in outputs:
        assert secret not in out
        assert secret[:14] not in out
    # The field is there, masked: the mask names the rule.
    assert '[secret masked: ' in json.loads(outputs[2])['prompt']


@pytest.mark.parametrize(('text', 'secret', 'args'), FIELDS)
def test_without_a_secret_the_configuration_s_words_are_shown(committed, cli, tmp_path, text, secret, args):
    plain = 'plainword'
    committed.write('.review-trigger.yaml', text.format(s=plain).replace('id: plainword', 'id: plain-id'))
    _change(committed)
    outputs = _outputs(committed, cli, tmp_path, *(a.format(s=plain) for a in args))
    prompt = json.loads(outputs[2])['prompt']
    assert '[secret masked' not in prompt
    assert plain in prompt or 'plain-id' in prompt


def test_the_report_s_title_and_cost_model_are_masked(committed, cli):
    committed.write(
        '.review-trigger.yaml',
        f'reviewer: "{AWS}"\ncustom_triggers:\n  - id: pay\n    description: "desc {GITHUB}"\n'
        f'    concern: "Check it."\n',
    )
    _change(committed)
    data = json.loads(cli('--format', 'json').out)
    [pay] = [t for t in data['triggers'] if t['id'] == 'pay']
    assert pay['title'] == 'desc [secret masked: GitHub token]'
    assert data['review_cost']['model'] == '[secret masked: AWS access key id]'
