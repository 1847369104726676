"""The architecture trigger on each dependency manifest format: which
edits change the declared set (and are listed by name), which do not, and
a manifest that cannot be read is said so rather than passed over."""

from __future__ import annotations

import pytest
from conftest import fired


def _details(cli, path):  # type: ignore[no-untyped-def]
    found = fired(cli).get('architecture')
    if found is None:
        return None
    return [d for d in found['details'] if d['path'] == path]


@pytest.mark.parametrize(
    ('name', 'before', 'after', 'items'),
    [
        pytest.param(
            'setup.cfg',
            '[metadata]\nname = demo\n[options]\ninstall_requires =\n    requests>=2\n',
            '[metadata]\nname = demo\n[options]\ninstall_requires =\n    requests>=2\n    Click\n'
            '[options.extras_require]\ntest =\n    pytest\n',
            ['+Click', '+test:pytest'],
            id='setup_cfg',
        ),
        pytest.param(
            'pyproject.toml',
            '[project]\nname = "d"\ndependencies = []\n',
            '[project]\nname = "d"\ndependencies = []\n'
            '[project.optional-dependencies]\ndocs = ["Sphinx_RTD.Theme"]\n'
            '[dependency-groups]\nlint = ["ruff"]\n',
            ['+docs:Sphinx_RTD.Theme', '+lint:ruff'],
            id='pyproject_extras_and_groups',
        ),
        pytest.param(
            'pyproject.toml',
            '[tool.poetry]\nname = "d"\n[tool.poetry.dependencies]\npython = "^3.11"\n',
            '[tool.poetry]\nname = "d"\n[tool.poetry.dependencies]\npython = "^3.11"\n'
            '[tool.poetry.group.dev.dependencies]\nmypy = "*"\n',
            ['+dev:mypy'],
            id='poetry_group',
        ),
        pytest.param(
            'requirements.txt',
            'flask\n',
            '# web\n\nflask\n-r requirements-dev.txt\n--no-binary :all:\n',
            ['+include:requirements-dev.txt'],
            id='requirements_include',
        ),
        pytest.param(
            'go.mod',
            'module x\n\ngo 1.22\n',
            'module x\n\ngo 1.22\nrequire github.com/c/d v0.1.0 // indirect\n',
            ['+github.com/c/d'],
            id='go_mod_one_line_require',
        ),
        pytest.param(
            'Cargo.toml',
            '[package]\nname = "c"\n',
            '[package]\nname = "c"\n[target.\'cfg(unix)\'.dependencies]\nlibc = "0.2"\n',
            ['+cfg(unix):libc'],
            id='cargo_target',
        ),
        pytest.param(
            'build.gradle',
            "dependencies {\n    implementation 'com.a:core:1.0'\n}\n",
            'dependencies {\n    implementation \'com.a:core:1.0\'\n    testImplementation("org.junit:junit:5")\n}\n',
            ['+org.junit:junit'],
            id='gradle',
        ),
        pytest.param(
            'pom.xml',
            '<project><dependencies></dependencies></project>',
            '<project><dependencies><dependency><artifactId>solo</artifactId></dependency>'
            '<dependency><groupId>only-group</groupId></dependency></dependencies></project>',
            ['+:solo'],
            id='pom_without_group',
        ),
    ],
)
def test_a_dependency_added_is_named(committed, cli, name, before, after, items):
    committed.stage(name, before)
    committed.commit('manifest')
    committed.stage(name, after)
    details = _details(cli, name)
    assert details is not None and len(details) == 1, details
    assert details[0]['why'].startswith('declared dependencies changed')
    assert details[0]['items'] == items


@pytest.mark.parametrize(
    ('name', 'before', 'after'),
    [
        pytest.param(
            'setup.cfg',
            '[options]\ninstall_requires =\n    requests\n',
            '[options]\n# pinned below\ninstall_requires =\n    requests==2.32\n',
            id='setup_cfg_pin',
        ),
        pytest.param(
            'go.mod', 'module x\nrequire a.b/c v1\n', 'module x\nrequire a.b/c v2 // bump\n', id='go_mod_bump'
        ),
        # A Python package's name is compared normalized (it is shown as
        # declared).
        pytest.param(
            'requirements.txt', 'Sphinx_RTD.Theme\n', 'sphinx-rtd-theme\n', id='requirements_spelling'
        ),
        pytest.param(
            'pyproject.toml',
            '[tool.poetry.dependencies]\nMy_Pkg = "1"\n',
            '[tool.poetry.dependencies]\nmy-pkg = "1"\n',
            id='poetry_spelling',
        ),
    ],
)
def test_a_pin_or_comment_is_no_dependency_change(committed, cli, name, before, after):
    committed.stage(name, before)
    committed.commit('manifest')
    committed.stage(name, after)
    assert _details(cli, name) in (None, [])


@pytest.mark.parametrize(
    ('name', 'broken'),
    [
        pytest.param('setup.cfg', b'install_requires = x\n', id='setup_cfg_no_section'),
        pytest.param('pyproject.toml', b'[project\nname = 1\n', id='invalid_toml'),
        pytest.param('package.json', b'{"dependencies": ', id='invalid_json'),
        pytest.param('composer.json', b'["require"]\n', id='json_not_an_object'),
        pytest.param('requirements.txt', b'flask\n\xff\xfe\n', id='not_utf8'),
        pytest.param('Cargo.toml', b'target = 1\n', id='unexpected_shape'),
    ],
)
def test_an_unreadable_manifest_is_reported_not_skipped(committed, cli, name, broken):
    committed.stage(name, '')
    committed.commit('empty manifest')
    committed.stage(name, broken)
    details = _details(cli, name)
    assert details == [
        {'path': name, 'why': 'dependency manifest changed and could not be parsed', 'items': []}
    ]


def test_a_configured_manifest_of_unknown_format_fires_on_any_word_change(committed, cli):
    committed.write(
        '.review-trigger.yaml', 'triggers:\n  architecture:\n    extra_manifests: ["deps.manifest"]\n'
    )
    committed.stage('deps.manifest', 'alpha 1\n')
    committed.commit('lock')
    committed.stage('deps.manifest', 'alpha 1\nbeta 2\n')
    details = _details(cli, 'deps.manifest')
    assert details is not None and details[0]['items'] == ['+2', '+beta']
    # The same words in another order are the same set.
    committed.commit('lock 2')
    committed.stage('deps.manifest', 'beta 2\nalpha 1\n')
    assert _details(cli, 'deps.manifest') in (None, [])


AWS = ('AKIA' + 'QWERTYUIOPASDFGH', '[secret masked: AWS access key id]')
GITHUB = ('ghp_' + 'H' * 36, '[secret masked: GitHub token]')


@pytest.mark.parametrize(
    ('name', 'secret', 'manifest', 'group'),
    [
        pytest.param('requirements.txt', AWS, 'flask\n{}==1\n', '', id='requirements'),
        pytest.param(
            'requirements.txt', GITHUB, 'flask\n-e git+https://x/y#egg={}\n', '', id='requirements_egg'
        ),
        pytest.param(
            'pyproject.toml', GITHUB, '[project]\ndependencies = ["flask", "{}>=1"]\n', '', id='pyproject'
        ),
        pytest.param(
            'pyproject.toml', AWS, '[tool.poetry.dependencies]\nflask = "1"\n{} = "1"\n', '', id='poetry'
        ),
        pytest.param('Pipfile', GITHUB, '[packages]\nflask = "*"\n{} = "*"\n', '', id='pipfile'),
        pytest.param(
            'setup.cfg', AWS, '[options]\ninstall_requires =\n    flask\n    {}\n', '', id='setup_cfg'
        ),
        pytest.param('Cargo.toml', AWS, '[dependencies]\nflask = "1"\n{} = "1"\n', '', id='cargo'),
        pytest.param(
            'composer.json', GITHUB, '{{"require": {{"flask": "1", "{}": "1"}}}}', '', id='composer'
        ),
        pytest.param(
            'package.json',
            AWS,
            '{{"dependencies": {{"flask": "1", "{}": "1"}}}}',
            'dependencies:',
            id='package_json',
        ),
    ],
)
def test_a_dependency_named_by_a_secret_is_masked_as_declared(committed, cli, name, secret, manifest, group):
    """A name is normalized to be compared (lower-cased, ``_`` to ``-``),
    which takes a secret out of its shape: what is shown is the name as
    declared, masked like any text of the change."""
    value, masked = secret
    committed.stage(name, manifest.format('django'))
    committed.commit('manifest')
    committed.stage(name, manifest.format(value))
    for form in ('json', 'markdown'):
        res = cli('--format', form)
        assert res.code == 0, res.err
        for shown in (value, value.lower(), value.lower().replace('_', '-')):
            assert shown not in res.out + res.err
    [detail] = _details(cli, name)
    assert [i for i in detail['items'] if i.startswith('+')] == [f'+{group}{masked}']
