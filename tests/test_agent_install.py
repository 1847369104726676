"""``review-trigger init --agent NAME``: the hooks merged into each agent's
project settings, once, with what is there kept."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo

SETTINGS = {
    'claude': ('.claude/settings.json', ('SessionStart', 'Stop')),
    'codex': ('.codex/hooks.json', ('SessionStart', 'Stop')),
    'gemini': ('.gemini/settings.json', ('SessionStart', 'AfterAgent')),
    'cursor': ('.cursor/hooks.json', ('sessionStart', 'beforeSubmitPrompt', 'stop')),
}


def _ours(agent: str, data: dict[str, Any], event: str) -> list[str]:
    """The review-trigger commands installed for ``event``."""
    entries = data['hooks'][event]
    commands = (
        [e['command'] for e in entries]
        if agent == 'cursor'
        else [h['command'] for g in entries for h in g['hooks']]
    )
    return [c for c in commands if 'review-trigger agent-hook' in c]


@pytest.mark.parametrize('agent', list(SETTINGS))
def test_install_creates_the_settings_once(agent: str, committed: Repo, cli) -> None:
    rel, events = SETTINGS[agent]
    res = cli('init', '--agent', agent)
    assert res.code == 0, res.err
    path = committed.path / rel
    data = json.loads(path.read_text())
    for event in events:
        assert _ours(agent, data, event) == [f'review-trigger agent-hook --agent {agent}']
    first = path.read_bytes()
    again = cli('init', '--agent', agent)
    assert again.code == 0
    assert 'already' in again.err
    assert path.read_bytes() == first
    if agent == 'cursor':
        assert data['version'] == 1
    if agent == 'gemini':
        assert data['hooks']['AfterAgent'][0]['hooks'][0]['timeout'] == 30000  # milliseconds


def test_install_claude_twice_keeps_an_unrelated_hook(committed: Repo, cli) -> None:
    settings = committed.path / '.claude' / 'settings.json'
    settings.parent.mkdir()
    settings.write_text(
        json.dumps(
            {
                'permissions': {'allow': ['Bash(npm test)']},
                'hooks': {
                    'Stop': [{'hooks': [{'type': 'command', 'command': 'make lint'}]}],
                    'PreToolUse': [
                        {'matcher': 'Bash', 'hooks': [{'type': 'command', 'command': 'guard.sh'}]}
                    ],
                },
            }
        )
    )
    assert cli('init', '--agent', 'claude').code == 0
    assert cli('init', '--agent', 'claude').code == 0
    data = json.loads(settings.read_text())
    assert data['permissions'] == {'allow': ['Bash(npm test)']}
    assert data['hooks']['PreToolUse'] == [
        {'matcher': 'Bash', 'hooks': [{'type': 'command', 'command': 'guard.sh'}]}
    ]
    stop = [h['command'] for g in data['hooks']['Stop'] for h in g['hooks']]
    assert stop == ['make lint', 'review-trigger agent-hook --agent claude']
    assert _ours('claude', data, 'SessionStart') == ['review-trigger agent-hook --agent claude']


def test_install_keeps_a_hand_edited_entry(committed: Repo, cli) -> None:
    """An entry the user changed (another timeout, a --session-model) is
    still ours: not added twice."""
    hooks = committed.path / '.cursor' / 'hooks.json'
    hooks.parent.mkdir()
    mine = {'command': 'review-trigger agent-hook --agent cursor --session-model "Sonnet 4.5"'}
    hooks.write_text(json.dumps({'version': 1, 'hooks': {'stop': [mine]}}))
    assert cli('init', '--agent', 'cursor').code == 0
    data = json.loads(hooks.read_text())
    assert data['hooks']['stop'] == [mine]
    assert _ours('cursor', data, 'sessionStart') == ['review-trigger agent-hook --agent cursor']


def test_dry_run_prints_the_change_and_writes_nothing(committed: Repo, cli) -> None:
    res = cli('init', '--agent', 'gemini', '--dry-run')
    assert res.code == 0
    assert res.out.startswith('--- a/.gemini/settings.json\n+++ b/.gemini/settings.json\n')
    assert '+    "AfterAgent": [' in res.out
    assert '"command": "review-trigger agent-hook --agent gemini"' in res.out
    assert 'not written' in res.err
    assert not (committed.path / '.gemini').exists()


def test_dry_run_of_an_existing_file_shows_only_additions(committed: Repo, cli) -> None:
    settings = committed.path / '.claude' / 'settings.json'
    settings.parent.mkdir()
    text = json.dumps({'model': 'sonnet'}, indent=2) + '\n'
    settings.write_text(text)
    res = cli('init', '--agent', 'claude', '--dry-run')
    assert res.code == 0
    removed = [ln for ln in res.out.splitlines()[2:] if ln.startswith('-')]
    assert removed == ['-  "model": "sonnet"']  # only its line ending gains a comma
    assert settings.read_text() == text


@pytest.mark.parametrize('agent', list(SETTINGS))
@pytest.mark.parametrize(
    'content',
    [
        '{"hooks": ',
        '[]',
        '{"hooks": []}',
        '{"hooks": {"Stop": {}, "stop": {}, "AfterAgent": {}}}',
        '\ufeff{oops}',
        # Nested deeper than the parser's recursion allows, with and
        # without a comment.
        '[' * 100_000 + ']' * 100_000,
        '// x\n' + '[' * 100_000 + ']' * 100_000,
        '{"a": 1' + '0' * 5000 + '}',
    ],
    ids=[
        'unclosed',
        'list',
        'hooks_list',
        'three_stops',
        'bom_oops',
        'too_deep',
        'commented_too_deep',
        'huge_int',
    ],
)
def test_invalid_settings_are_an_error_and_nothing_is_written(
    agent: str, content: str, committed: Repo, cli
) -> None:
    rel = SETTINGS[agent][0]
    path = committed.path / rel
    path.parent.mkdir()
    path.write_text(content, encoding='utf-8')
    res = cli('init', '--agent', agent)
    assert res.code == 2
    [line] = res.err.splitlines()
    assert line.startswith(f'review-trigger: error: {rel}')
    assert 'Traceback' not in res.err
    assert path.read_text(encoding='utf-8') == content
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize(
    'content',
    [
        '[features\nhooks = true\n',
        # Valid TOML nested deeper than the parser's recursion allows.
        'a = ' + '[' * 100_000 + ']' * 100_000 + '\n',
        # An integer longer than Python converts.
        'a = 1' + '0' * 5000 + '\n',
    ],
    ids=['unclosed', 'too_deep', 'huge_int'],
)
def test_codex_invalid_config_toml_is_an_error(content: str, committed: Repo, cli) -> None:
    toml = committed.path / '.codex' / 'config.toml'
    toml.parent.mkdir()
    toml.write_text(content)
    res = cli('init', '--agent', 'codex')
    assert res.code == 2
    [line] = res.err.splitlines()
    assert 'config.toml is not valid TOML' in line
    assert not (committed.path / '.codex' / 'hooks.json').exists()
    assert toml.read_text() == content


def test_codex_hooks_in_config_toml_are_not_duplicated(committed: Repo, cli) -> None:
    toml = committed.path / '.codex' / 'config.toml'
    toml.parent.mkdir()
    toml.write_text(
        '[[hooks.Stop]]\n[[hooks.Stop.hooks]]\ntype = "command"\n'
        'command = "review-trigger agent-hook --agent codex"\n'
    )
    res = cli('init', '--agent', 'codex')
    assert res.code == 0
    assert not (committed.path / '.codex' / 'hooks.json').exists()
    # The feature flag is added beside them; a second run changes nothing.
    assert tomllib.loads(toml.read_text())['features'] == {'codex_hooks': True}
    again = cli('init', '--agent', 'codex')
    assert again.code == 0
    assert 'already' in again.err


def test_init_without_agent_still_writes_the_config(committed: Repo, cli) -> None:
    assert cli('init').code == 0
    assert (committed.path / '.review-trigger.yaml').exists()
    assert not Path(committed.path / '.claude').exists()


@pytest.mark.parametrize(
    ('args', 'message'),
    [
        pytest.param(['--dry-run'], '--dry-run goes with --agent', id='dry_run_alone'),
        pytest.param(
            ['--agent', 'claude', '--claude-md'], '--agent cannot go with', id='agent_and_claude_md'
        ),
        pytest.param(
            ['--agent', 'codex', '--commands', '--dry-run'], '--agent cannot go with', id='agent_and_commands'
        ),
    ],
)
def test_init_refuses_what_it_would_not_do_and_writes_nothing(
    args: list[str], message: str, committed: Repo, cli
) -> None:
    """An option init would drop (``--dry-run`` of the starter
    configuration, ``--agent`` with the routing sections) is refused, not
    ignored: the run would write what was not asked, or leave out what was."""
    before = sorted(p.name for p in committed.path.iterdir())
    res = cli('init', *args)
    assert res.code == 2
    [line] = res.err.splitlines()
    assert line.startswith(f'review-trigger: error: {message}')
    assert sorted(p.name for p in committed.path.iterdir()) == before


@pytest.mark.parametrize(
    'args', [['--agent', 'claude', '--dry-run'], ['--claude-md', '--dry-run'], ['--claude-md', '--commands']]
)
def test_init_options_that_go_together_are_taken(args: list[str], committed: Repo, cli) -> None:
    assert cli('init', *args).code == 0


def test_cursor_keeps_an_earlier_before_submit_prompt_entry(committed: Repo, cli) -> None:
    """An installation from before sessionStart: kept, and the start added."""
    hooks = committed.path / '.cursor' / 'hooks.json'
    hooks.parent.mkdir()
    old = {'command': 'review-trigger agent-hook --agent cursor'}
    hooks.write_text(json.dumps({'version': 1, 'hooks': {'beforeSubmitPrompt': [old], 'stop': [old]}}))
    assert cli('init', '--agent', 'cursor').code == 0
    data = json.loads(hooks.read_text())
    assert data['hooks']['beforeSubmitPrompt'] == [old]
    assert data['hooks']['stop'] == [old]
    assert _ours('cursor', data, 'sessionStart') == ['review-trigger agent-hook --agent cursor']


def test_codex_install_turns_the_hooks_feature_on(committed: Repo, cli) -> None:
    res = cli('init', '--agent', 'codex')
    assert res.code == 0, res.err
    toml = committed.path / '.codex' / 'config.toml'
    assert tomllib.loads(toml.read_text()) == {'features': {'codex_hooks': True}}
    assert 'codex_hooks = true' in res.err
    assert 'trusted' in res.err


def test_codex_install_edits_an_existing_features_table_only(committed: Repo, cli) -> None:
    toml = committed.path / '.codex' / 'config.toml'
    toml.parent.mkdir()
    before = 'model = "gpt-5-codex"\n\n[features]\nweb_search = true\n\n[profiles.fast]\nmodel = "o4-mini"\n'
    toml.write_text(before)
    assert cli('init', '--agent', 'codex').code == 0
    text = toml.read_text()
    data = tomllib.loads(text)
    assert data['features'] == {'web_search': True, 'codex_hooks': True}
    assert data['model'] == 'gpt-5-codex'
    assert data['profiles'] == {'fast': {'model': 'o4-mini'}}
    assert (
        text.replace('codex_hooks = true  # run the hooks in .codex/hooks.json (review-trigger)\n', '')
        == before
    )


@pytest.mark.parametrize('key', ['hooks', 'codex_hooks'])
def test_codex_hooks_turned_off_stay_off_and_it_is_said(key: str, committed: Repo, cli) -> None:
    toml = committed.path / '.codex' / 'config.toml'
    toml.parent.mkdir()
    toml.write_text(f'[features]\n{key} = false\n')
    res = cli('init', '--agent', 'codex')
    assert res.code == 0
    assert toml.read_text() == f'[features]\n{key} = false\n'
    assert f'turns the hooks feature off ([features] {key} = false)' in res.err
    assert (committed.path / '.codex' / 'hooks.json').exists()


def test_codex_dry_run_shows_both_files_and_writes_nothing(committed: Repo, cli) -> None:
    res = cli('init', '--agent', 'codex', '--dry-run')
    assert res.code == 0
    assert '+++ b/.codex/config.toml\n' in res.out
    assert '+codex_hooks = true' in res.out
    assert '+++ b/.codex/hooks.json\n' in res.out
    assert not (committed.path / '.codex').exists()


def test_cursor_start_and_first_prompt_together_keep_one_start(
    committed: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both installed Cursor start events fire in releases that send both:
    the first records the start, the prompt changes nothing and is let through."""
    import io
    import sys

    from review_trigger.__main__ import main

    conv = '0f0e0d0c-1111-2222-3333-444455556666'
    common = {'conversation_id': conv, 'generation_id': 'g-1', 'workspace_roots': [str(committed.path)]}

    def send(event: dict[str, Any]) -> str:
        data = json.dumps({**common, **event}).encode()
        monkeypatch.setattr(sys, 'stdin', io.TextIOWrapper(io.BytesIO(data)))
        assert main(['agent-hook', '--agent', 'cursor']) == 0
        return capsys.readouterr().out

    start = json.loads(
        send({'hook_event_name': 'sessionStart', 'session_id': conv, 'composer_mode': 'agent'})
    )
    assert 'additional_context' in start
    record = committed.path / '.git' / 'review-trigger' / 'sessions' / f'{conv}.json'
    first = json.loads(record.read_text())
    committed.commit('later work')
    prompt = json.loads(send({'hook_event_name': 'beforeSubmitPrompt', 'prompt': 'go on', 'attachments': []}))
    assert prompt == {'continue': True}
    assert json.loads(record.read_text())['start'] == first['start']


@pytest.mark.parametrize('ending', ['', '\n', '   # the flags\n'])
def test_codex_features_header_at_the_end_of_the_file(ending: str, committed: Repo, cli) -> None:
    toml = committed.path / '.codex' / 'config.toml'
    toml.parent.mkdir()
    toml.write_text(f'model = "o3"\n[features]{ending}')
    assert cli('init', '--agent', 'codex').code == 0
    assert tomllib.loads(toml.read_text()) == {'model': 'o3', 'features': {'codex_hooks': True}}


@pytest.mark.parametrize('features', ['[features]\r\nx = 1\r\n', ''])
def test_codex_config_toml_keeps_its_crlf_line_ends(features: str, committed: Repo, cli) -> None:
    toml = committed.path / '.codex' / 'config.toml'
    toml.parent.mkdir()
    toml.write_bytes(f'model = "o3"\r\n{features}'.encode())
    assert cli('init', '--agent', 'codex').code == 0
    data = toml.read_bytes()
    assert data.count(b'\n') == data.count(b'\r\n') >= 3
    assert tomllib.loads(data.decode())['features']['codex_hooks'] is True


def test_settings_with_crlf_line_ends_keep_them(committed: Repo, cli) -> None:
    path = committed.path / '.claude' / 'settings.json'
    path.parent.mkdir()
    path.write_bytes(b'{\r\n  "model": "opus"\r\n}\r\n')
    assert cli('init', '--agent', 'claude').code == 0
    data = path.read_bytes()
    assert data.count(b'\n') == data.count(b'\r\n') > 3
    assert json.loads(data)['model'] == 'opus'


@pytest.mark.parametrize('agent', list(SETTINGS))
def test_settings_with_comments_are_not_rewritten(agent: str, committed: Repo, cli) -> None:
    # Gemini CLI reads its settings with // and /* */ comments; rewriting
    # the file would drop them, so the entries to add are named instead.
    rel = SETTINGS[agent][0]
    path = committed.path / rel
    path.parent.mkdir()
    content = '{\n  // my theme\n  "ui": {"theme": "Dracula", "url": "http://x//y"} /* end */\n}\n'
    path.write_text(content)
    res = cli('init', '--agent', agent)
    assert res.code == 2
    [line] = res.err.splitlines()
    assert line.startswith(f'review-trigger: error: {rel} has comments')
    added = json.loads(line.partition('add by hand ')[2].rpartition('; nothing')[0])
    assert _ours(agent, added, SETTINGS[agent][1][-1]) == [f'review-trigger agent-hook --agent {agent}']
    assert path.read_text() == content


def test_settings_with_comments_and_the_hooks_already_are_left_alone(committed: Repo, cli) -> None:
    path = committed.path / '.gemini' / 'settings.json'
    assert cli('init', '--agent', 'gemini').code == 0
    content = '// installed\n' + path.read_text()
    path.write_text(content)
    res = cli('init', '--agent', 'gemini')
    assert res.code == 0 and 'already' in res.err
    assert path.read_text() == content


def test_strip_comments_keeps_strings() -> None:
    from review_trigger.agents.install import strip_comments

    text = '{"a": "// not /* a comment */", // one\n "b": 1 /* two\n lines */}'
    assert json.loads(strip_comments(text)) == {'a': '// not /* a comment */', 'b': 1}
    assert json.loads(strip_comments('{"q": "say \\"//\\" here"}')) == {'q': 'say "//" here'}
