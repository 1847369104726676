"""Each command's bad input, in process: one line on stderr, exit 2,
nothing written; and where a command works outside a repository."""

from __future__ import annotations

import json

import pytest

PLAN = '# Plan\n\n## Next\n- [ ] Security review: the new login endpoint\n'


def one_line(res, fragment):  # type: ignore[no-untyped-def]
    assert res.code == 2, res
    assert res.out == '' and res.err.count('\n') == 1 and 'Traceback' not in res.err, res.err
    assert fragment in res.err, res.err


@pytest.mark.parametrize(
    ('args', 'fragment'),
    [
        pytest.param(
            ['--worktree', '--head', 'HEAD'], '--head goes with --base, not --worktree', id='worktree'
        ),
        pytest.param(
            ['--since', 'HEAD', '--head', 'HEAD'], '--head goes with --base, not --since', id='since'
        ),
        pytest.param(
            ['--base', 'main', '--config', '../outside.yaml'],
            "config must be a file in the repository, not '../outside.yaml'",
            id='base_config_outside',
        ),
    ],
)
def test_range_options_that_do_not_go_together(committed, cli, args, fragment):
    one_line(cli(*args), fragment)


def test_base_config_missing_from_the_base_commit(committed, cli):
    committed.write('ci/review.yaml', 'exclude: []\n')  # in the work tree only
    res = cli('--base', 'main', '--config', 'ci/review.yaml')
    one_line(res, 'ci/review.yaml')


def test_inside_the_git_directory_is_not_a_work_tree(committed, cli):
    one_line(cli('-C', str(committed.path / '.git' / 'refs')), 'is inside a .git directory, not a work tree')


def test_route_outside_a_repository_uses_the_defaults(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'PROJECT_PLAN.md').write_text(PLAN)
    res = cli('route')
    assert res.code == 0, res.err
    assert 'Security review: the new login endpoint -> Opus (security_review, reason tier)' in res.out
    (tmp_path / 'PROJECT_PLAN.md').unlink()
    one_line(cli('route'), 'no plan file PROJECT_PLAN.md')
    one_line(cli('route', '-C', str(tmp_path / 'missing')), 'missing')


def test_route_plan_files_that_cannot_be_read(committed, cli):
    (committed.path / 'loop.md').symlink_to('loop.md')
    one_line(cli('route', 'loop.md'), 'cannot read plan loop.md: Too many levels of symbolic links')
    committed.write('big.md', PLAN + 'x' * (1 << 20))
    one_line(cli('route', 'big.md'), 'plan big.md: larger than')


def test_announce_with_a_named_config_and_as_json(committed, cli, tmp_path):
    cfg = tmp_path / 'routing.yaml'
    cfg.write_text('models:\n  acme-coder: generate\n')
    res = cli(
        'route', '--config', str(cfg), '--announce', '--session-model', 'acme-coder', '--format', 'json'
    )
    assert res.code == 0, res.err
    data = json.loads(res.out)
    assert (data['model'], data['tier']) == ('acme-coder', 'generate')
    assert data['announcement'].startswith('Running as: acme-coder (generate tier)\n')
    # Without the configuration, the same name is of no known tier.
    res = cli('route', '--announce', '--session-model', 'acme-coder', '--format', 'json')
    assert json.loads(res.out)['tier'] == 'unknown'


def test_init_refuses_files_it_cannot_read(committed, cli):
    (committed.path / 'CLAUDE.md').mkdir()
    one_line(cli('init', '--claude-md'), 'CLAUDE.md: it is a directory')
    committed.write('.claude/settings.json', b'{"hooks": "\xff"}')
    one_line(cli('init', '--agent', 'claude'), 'cannot read .claude/settings.json')
    assert (committed.path / '.claude' / 'settings.json').read_bytes() == b'{"hooks": "\xff"}'


def test_without_git_on_path_the_error_says_so(committed, cli, monkeypatch, tmp_path):
    monkeypatch.setenv('PATH', str(tmp_path / 'no-git-here'))
    one_line(cli(), 'git failed. Is it installed and on PATH?')


AWS = 'AKIAABCDEFGHIJKLMNOP'
GITHUB = 'ghp_1234567890abcdefghijklmnopqrstuvwxyz'


@pytest.mark.parametrize(
    ('config', 'args', 'secret'),
    [
        pytest.param(f'max_scan_bytes: "{AWS}"\n', [], AWS, id='config_value'),
        pytest.param(f'custom_triggers:\n  - id: {GITHUB}\n    concern: x\n', [], GITHUB, id='custom_id'),
        pytest.param(f'triggers:\n  {GITHUB}: {{}}\n', [], GITHUB, id='unknown_key'),
        pytest.param(None, ['--since', f'nonexist-{AWS}'], AWS, id='since'),
        pytest.param(None, ['--config', f'{GITHUB}.yaml'], GITHUB, id='config_path'),
        pytest.param(None, ['--session-model', 'x', '--bogus', AWS], AWS, id='argparse'),
    ],
)
def test_an_error_message_masks_secret_shapes(committed, cli, config, args, secret):
    if config is not None:
        committed.write('.review-trigger.yaml', config)
    res = cli(*args)
    one_line(res, '[secret masked: ')
    assert secret not in res.err and secret[:12] not in res.err


def test_an_error_message_without_a_secret_is_unchanged(committed, cli):
    one_line(cli('--since', 'nonexist-rev'), "unknown revision 'nonexist-rev'")


@pytest.mark.parametrize('option', ['-C', '--config', '--output', '--since'])
def test_a_newline_in_a_path_or_revision_is_shown_escaped(committed, cli, tmp_path, option):
    value = str(tmp_path / 'no\nsuch' / 'x') if option != '--since' else 'no\nsuch'
    if option == '--output':
        (tmp_path / 'no\nsuch').write_text('a file, not a directory')
    res = cli(option, value)
    one_line(res, 'no\\nsuch')
    assert not (tmp_path / 'no\nsuch' / 'x').exists()


@pytest.mark.parametrize(
    ('config_name', 'text', 'fragment'),
    [
        pytest.param(
            '.review-trigger.yaml',
            'triggers:\n  security: {enabled: true}\n  security: {enabled: false}\n',
            ".review-trigger.yaml line 3: duplicate key 'security' (first on line 2)",
            id='duplicate_key',
        ),
        pytest.param(
            '.review-trigger.yaml',
            'exclude: ["a"]\ncustom_triggers:\n  - {id: x, concern: y, id: z}\n',
            "line 3: duplicate key 'id'",
            id='duplicate_key_flow',
        ),
        pytest.param(
            'pyproject.toml',
            '[tool]\nreview-trigger = 5\n',
            'pyproject.toml: tool.review-trigger must be a table, not an integer',
            id='pyproject_not_a_table',
        ),
        pytest.param(
            '.review-trigger.yaml',
            'triggers: [\n',
            '.review-trigger.yaml (line 1): invalid YAML',
            id='eof_line',
        ),
    ],
)
def test_configuration_mistakes_are_one_line(committed, cli, config_name, text, fragment):
    committed.write(config_name, text)
    one_line(cli(), fragment)


def test_distinct_keys_and_aliases_are_not_duplicates(committed, cli):
    committed.write(
        '.review-trigger.yaml',
        'triggers:\n  security: &on {enabled: true}\n  governance: *on\n  document: *on\n',
    )
    assert cli().code == 0


@pytest.mark.parametrize('option', ['--since', '--base'])
def test_a_range_where_one_revision_goes_is_refused(committed, cli, option):
    committed.commit('two')
    one_line(cli(option, 'HEAD~1..HEAD'), f'{option} takes one revision, not a range')
    assert cli(option, 'HEAD~1').code == 0


@pytest.mark.parametrize('rev', ['HEAD^{/fix..bug}', ':/fix..bug', 'HEAD@{1..}'])
def test_a_message_search_with_two_dots_is_one_revision(committed, cli, rev):
    committed.commit('fix..bug')
    committed.commit('later')
    res = cli('--since', rev)
    assert 'takes one revision' not in res.err
    if not rev.startswith('HEAD@'):
        assert res.code == 0, res.err
