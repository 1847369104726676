"""The README's examples are real: its config validates, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from review_trigger import config, defaults

README = (Path(__file__).parent.parent / 'README.md').read_text()


def blocks(lang):
    return re.findall(rf'```{lang}\n(.*?)```', README, re.S)


def test_readme_configuration_example_is_valid():
    examples = [b for b in blocks('yaml') if 'custom_triggers' in b]
    assert examples
    for text in examples:
        source = config.Source('README.md', text.encode(), False)
        data = config.parse(source)
        config.validate(data, source)
        merged = config.merge(data)
        assert merged.custom_triggers[0]['id'] == 'payments-api'


def test_readme_documents_every_trigger_and_key():
    for tid, settings in defaults.TRIGGERS.items():
        assert f'`{tid}`' in README
        for key in settings:
            if key != 'enabled':
                assert key in README, f'{tid}.{key}'
    example = yaml.safe_load(next(b for b in blocks('yaml') if 'custom_triggers' in b))
    schema_keys = set(config._schema()['properties'])
    documented = set(example) | {k.replace('extra_', '') for k in example}
    assert schema_keys <= documented | {f'extra_{k}' for k in documented}


def test_quickstart_commands():
    consoles = blocks('console')
    assert consoles[0].strip() == 'python -m pip install . && review-trigger --since HEAD~3'
    assert consoles[1].strip() == "python -m pip install -e '.[test]' && python -m pytest"
    ci = (Path(__file__).parent.parent / '.ci' / 'run').read_text()
    assert consoles[1].strip() in ci


def test_every_hook_is_in_the_readme():
    hooks = yaml.safe_load((Path(__file__).parent.parent / '.pre-commit-hooks.yaml').read_text())
    snippet = next(b for b in blocks('yaml') if 'hooks:' in b and 'repos:' in b)
    for hook in hooks:
        assert f'id: {hook["id"]}' in snippet


def test_every_action_input_and_output_is_in_the_readme():
    action = yaml.safe_load((Path(__file__).parent.parent / 'action.yml').read_text())
    for name in [*action['inputs'], *action['outputs']]:
        assert f'| `{name}` |' in README, name


def test_every_command_is_in_the_readme_and_the_help(capsys):
    from review_trigger import cli

    table = README.split('### Commands', 1)[1].split('\n## ', 1)[0]
    listed = set(re.findall(r'^\| `review-trigger ([a-z-]+)` \|', table, re.M))
    assert listed == set(cli.COMMANDS)
    with pytest.raises(SystemExit):
        cli.main(['--help'])
    described = ' '.join(capsys.readouterr().out.split())
    said = described.split('Other commands:', 1)[1].split('; see', 1)[0]
    assert set(re.findall(r'\b([a-z][a-z-]+)\b(?![^(]*\))', said)) == set(cli.COMMANDS)


def test_how_it_is_built_names_every_module():
    """Every module and package of review_trigger/ has a row (a package's
    row names each of its modules), and the table names no file that is
    gone, so the map cannot drift from the code."""
    package = Path(__file__).parent.parent / 'review_trigger'
    section = README.split('## How it is built', 1)[1].split('\n## ', 1)[0]
    rows = {}
    for line in section.splitlines():
        if line.startswith('| `review_trigger/'):
            first, what = line.split(' | ', 1)
            for name in re.findall(r'`review_trigger/([^`]+)`', first):
                rows[name] = what
    expected = set()
    for path in sorted(package.rglob('*.py')):
        rel = path.relative_to(package)
        if len(rel.parts) == 1:
            expected.add(rel.name)
        else:
            expected.add(rel.parts[0] + '/')
            if rel.name != '__init__.py':
                assert f'`{rel.name}`' in rows.get(rel.parts[0] + '/', ''), rel
    assert {n for n in rows if n.endswith(('.py', '/'))} == expected
    for name in rows:
        assert (package / name).exists(), name
