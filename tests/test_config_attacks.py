"""A configuration file is input too: it must not hang, explode or run code."""

from __future__ import annotations

import pytest

BOMB = ''.join(
    f'{name}: &{name} [{", ".join([f"*{prev}"] * 10) if prev else ", ".join(["x"] * 10)}]\n'
    for prev, name in zip([None, 'a', 'b', 'c', 'd', 'e', 'f', 'g'], 'abcdefgh', strict=True)
)


@pytest.mark.parametrize(
    ('content', 'message'),
    [
        pytest.param(BOMB, 'more than 100000 values after expanding aliases', id='alias_bomb'),
        # An alias inside the value it names: data without end.
        pytest.param('a: &x [*x]\n', 'more than 100000 values after expanding aliases', id='list_in_itself'),
        pytest.param(
            'triggers:\n  security: &x {extra: *x}\n',
            'more than 100000 values after expanding aliases',
            id='mapping_in_itself',
        ),
        pytest.param(
            'exclude: &x [[a, [*x]]]\n', 'more than 100000 values after expanding aliases', id='nested_cycle'
        ),
        pytest.param('!!python/object/apply:os.system ["touch pwned"]\n', 'invalid YAML', id='python_tag'),
        pytest.param('exclude: ["' + 'a' * 10_000_000 + '"]\n', 'larger than 1000000 bytes', id='ten_mb'),
        pytest.param(
            'custom_triggers:\n  - id: x\n    concern: c\n    patterns: ["(a+)+$"]\n',
            'nested quantifier',
            id='catastrophic_regex',
        ),
        pytest.param(
            'custom_triggers:\n  - id: x\n    concern: c\n    patterns: ["(\\\\w|\\\\d)*x{2,}*"]\n',
            'invalid regex',
            id='invalid_regex',
        ),
        pytest.param(
            'triggers:\n  security:\n    extra_line_patterns:\n      bad: "(x*)*y"\n',
            'nested quantifier',
            id='catastrophic_builtin_extension',
        ),
        pytest.param(b'\xff\xfe'.decode('latin-1'), 'not UTF-8', id='not_utf8'),
    ],
)
def test_hostile_config_is_refused(committed, cli, content, message):
    path = committed.path / '.review-trigger.yaml'
    path.write_bytes(content.encode('latin-1') if content.startswith('\xff') else content.encode())
    committed.stage('src/auth/a.py', 'x = 1\n')
    res = cli()
    assert res.code == 2, res.err
    assert message in res.err
    assert res.err.count('\n') == 1
    assert not (committed.path / 'pwned').exists()


def test_an_alias_used_twice_is_no_cycle(committed, cli):
    committed.write(
        '.review-trigger.yaml',
        'exclude: &x [docs/**]\nextra_generated: *x\nextra_context_files: *x\n',
    )
    committed.stage('src/app/entitlement.py', 'x = 1\n')
    assert cli().code == 0


def test_anchors_within_limits_are_fine(committed, cli):
    committed.write(
        '.review-trigger.yaml',
        (
            'triggers:\n'
            '  security:\n    extra_words: &w [entitlement]\n'
            '  sensitive-data:\n    extra_words: *w\n'
        ),
    )
    committed.stage('src/app/entitlement.py', 'x = 1\n')
    assert cli().code == 0


@pytest.mark.parametrize(
    ('name', 'content', 'message'),
    [
        pytest.param(
            '.review-trigger.yaml', 'on: 1\nexclud: [x]\n', 'key true is not a string', id='yaml_bool_key'
        ),
        pytest.param(
            '.review-trigger.yaml',
            'triggers:\n  security:\n    3: x\n',
            'key 3 is not a string',
            id='int_key',
        ),
        pytest.param(
            '.review-trigger.yaml',
            'max_scan_bytes: ' + '9' * 5000 + '\n',
            'invalid YAML: Exceeds the limit',
            id='yaml_5000_digits',
        ),
        pytest.param(
            '.review-trigger.yaml',
            'exclude: ' + '[' * 1000 + ']' * 1000 + '\n',
            'invalid YAML',
            id='yaml_1000_deep',
        ),
        pytest.param(
            'pyproject.toml',
            '[tool.review-trigger]\nmax_scan_bytes = ' + '9' * 5000 + '\n',
            'invalid TOML: Exceeds the limit',
            id='toml_5000_digits',
        ),
        pytest.param(
            'pyproject.toml',
            '[tool.review-trigger]\nx = ' + '[' * 1000 + ']' * 1000 + '\n',
            'nested too deeply',
            id='toml_1000_deep',
        ),
        pytest.param(
            'pyproject.toml', 'tool = 5  # review-trigger\n', 'tool must be a table', id='toml_tool_5'
        ),
        pytest.param(
            'pyproject.toml',
            '[tool.review-trigger\nexclude = []\n',
            "pyproject.toml: invalid TOML: Expected ']' at the end of a table declaration",
            id='toml_syntax',
        ),
        pytest.param(
            '.review-trigger.yaml',
            'exclude:\n  - "docs/**"\n  - "!"\n',
            "line 3: exclude[1]: invalid glob: Invalid git pattern: '!'",
            id='invalid_glob',
        ),
        pytest.param(
            '.review-trigger.yaml',
            'custom_triggers:\n  - id: x\n    concern: c\n    patterns: ["'
            + '(?:' * 1000
            + 'a'
            + ')' * 1000
            + '"]\n',
            'line 4: custom_triggers[0].patterns[0]: invalid regex: nested too deeply',
            id='regex_1000_deep',
        ),
        pytest.param(
            '.review-trigger.yaml',
            'triggers:\n  document:\n    <<: {enabled: 3}\n',
            "line 2: triggers.document.enabled: 3 is not of type 'boolean'",
            id='error_inside_a_yaml_merge',
        ),
    ],
)
def test_odd_config_values_are_one_line_errors(committed, cli, name, content, message):
    committed.write(name, content)
    committed.stage('src/app/a.py', 'x = 1\n')
    res = cli()
    assert res.code == 2, res.err
    assert message in res.err
    assert res.err.count('\n') == 1 and 'Traceback' not in res.err


OFF = 'triggers:\n  security:\n    enabled: false\n'
ON = 'triggers:\n  security:\n    enabled: true\n'


def test_pr_mode_reads_the_base_tip_configuration_not_the_merge_base(committed, cli):
    """The author picks the fork point: an old commit of main whose
    configuration had security off must not be the one in force."""
    from conftest import fired

    committed.stage('.review-trigger.yaml', OFF)
    committed.commit('security off, for a while')
    committed.git('checkout', '-q', '-b', 'pr')
    committed.stage('src/auth/login.py', 'x = 1\n')
    committed.commit('pull request')
    committed.git('checkout', '-q', 'main')
    committed.stage('.review-trigger.yaml', ON)
    committed.commit('security back on')
    assert 'security' in fired(cli, '--base', 'main', '--head', 'pr')
    # The no-op case: with the base tip's configuration off, nothing fires.
    committed.stage('.review-trigger.yaml', OFF)
    committed.commit('off again')
    assert 'security' not in fired(cli, '--base', 'main', '--head', 'pr')


def test_base_with_config_path_reads_the_base_commit_not_the_work_tree(committed, cli):
    from conftest import fired

    committed.stage('ci/review.yaml', ON)
    committed.commit('config')
    committed.git('checkout', '-q', '-b', 'pr')
    committed.stage('ci/review.yaml', OFF)
    committed.stage('src/auth/login.py', 'x = 1\n')
    committed.commit('pull request turns security off')
    assert (committed.path / 'ci/review.yaml').read_text() == OFF
    assert 'security' in fired(cli, '--base', 'main', '--config', 'ci/review.yaml')
    # Without --base, the named file is the work tree's: the no-op case.
    assert 'security' not in fired(cli, '--since', 'main', '--config', 'ci/review.yaml')


@pytest.mark.parametrize(
    'pattern',
    [
        '((a+))+$',
        '(?:(?:a+))+$',
        '(a|a)*$',
        '(a|aa)+$',
        '.*.*.*=x',
        '(a?){20}a{20}',
        '\\w+\\d+=',
    ],
)
def test_the_backtracking_guard_sees_through_groups(committed, cli, pattern):
    """Each of these hangs Python's re on a short crafted line; the
    configuration is refused at load, naming the rule."""
    import json

    committed.write(
        '.review-trigger.yaml',
        f'custom_triggers:\n  - id: x\n    concern: c\n    patterns: [{json.dumps(pattern)}]\n',
    )
    committed.stage('src/app/a.py', 'a' * 41 + '!\n')
    res = cli()
    assert res.code == 2, res.err
    assert 'custom_triggers[0].patterns[0]' in res.err and 'backtracking' in res.err
    assert res.err.count('\n') == 1


@pytest.mark.parametrize(
    'pattern',
    [
        '(foo|bar)+',
        'import (jwt|bcrypt)',
        '(?:ghp|gho)_[A-Za-z0-9]{36}',
        '\\w+\\s*=\\s*\\S+',
        '.*=.*',
        # Atomic groups, and repeated alternatives of one fixed length each
        # that start differently: nothing to backtrack into.
        '(?>foo|bar)\\s*=',
        '(?:a{2}|bb)+$',
        '(?:(ab)|cd)+$',
        '(?:(?>ab)|cd)+$',
        '(?:(?:ab|cd)e|fgh)+$',
    ],
)
def test_ordinary_patterns_pass_the_guard(committed, cli, pattern):
    import json

    committed.write(
        '.review-trigger.yaml',
        f'custom_triggers:\n  - id: x\n    concern: c\n    patterns: [{json.dumps(pattern)}]\n',
    )
    committed.stage('src/app/a.py', 'x = 1\n')
    res = cli()
    assert res.code == 0, res.err


def test_a_config_file_that_cannot_be_read_is_named(committed, cli):
    committed.stage('src/app/a.py', 'x = 1\n')
    (committed.path / '.review-trigger.yaml').symlink_to('.review-trigger.yaml')
    res = cli()
    assert res.code == 2 and res.out == ''
    assert (
        res.err
        == 'review-trigger: error: cannot read .review-trigger.yaml: Too many levels of symbolic links\n'
    )
    res = cli('--config', 'ci/missing.yaml')
    assert res.code == 2
    assert (
        res.err == 'review-trigger: error: cannot read config ./ci/missing.yaml: No such file or directory\n'
    )


def test_an_empty_config_file_is_the_defaults(committed, cli):
    from conftest import fired

    committed.write('.review-trigger.yaml', '# nothing set yet\n')
    committed.stage('src/auth/login.py', 'x = 1\n')
    assert 'security' in fired(cli)


def _fifo(path) -> None:  # type: ignore[no-untyped-def]
    import os

    os.mkfifo(path)


def _link(target: str):  # type: ignore[no-untyped-def]
    def make(path) -> None:  # type: ignore[no-untyped-def]
        path.symlink_to(target)

    return make


@pytest.mark.skipif(not hasattr(__import__('os'), 'mkfifo'), reason='no FIFOs')
@pytest.mark.parametrize(
    ('name', 'make', 'args', 'shown'),
    [
        pytest.param('.review-trigger.yaml', _fifo, [], '.review-trigger.yaml', id='config_fifo'),
        pytest.param(
            '.review-trigger.yaml', _link('/dev/zero'), [], '.review-trigger.yaml', id='config_zero'
        ),
        pytest.param('pyproject.toml', _fifo, [], 'pyproject.toml', id='pyproject_fifo'),
        pytest.param('PROJECT_PLAN.md', _fifo, ['route'], 'PROJECT_PLAN.md', id='plan_fifo'),
        pytest.param(
            'CLAUDE.md', _link('/dev/zero'), ['init', '--claude-md'], '/dev/zero', id='claude_md_zero'
        ),
        pytest.param(
            '.claude/settings.json',
            _link('/dev/zero'),
            ['init', '--agent', 'claude'],
            '.claude/settings.json',
            id='settings_zero',
        ),
    ],
)
def test_a_file_that_is_not_a_regular_file_is_refused_not_waited_on(
    committed, tmp_path, name, make, args, shown
):
    """A symlink in the work tree to a FIFO or a device: opening the FIFO
    waits for a writer, reading /dev/zero never ends. Refused, in a process
    of its own that may neither wait nor take the machine's memory."""
    import resource
    import subprocess
    import sys

    path = committed.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    make(path)
    committed.stage('src/auth/a.py', 'x = 1\n')

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    res = subprocess.run(
        [sys.executable, '-m', 'review_trigger', *args],
        cwd=committed.path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limits,
    )
    assert res.returncode == 2, res.stderr
    [line] = res.stderr.splitlines()
    assert f'{shown}: not a regular file' in line
