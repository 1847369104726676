from __future__ import annotations

import pytest
from conftest import fired

PYPROJECT = """\
[project]
name = "demo"
version = "{version}"
dependencies = [{deps}]
"""


def test_new_top_level_directory_fires(committed, cli):
    committed.stage('services/billing_api/main.go', 'package main\n')
    found = fired(cli).get('architecture')
    assert found['details'][0]['why'] == 'first file in a new top-level directory'
    assert found['details'][0]['items'] == ['services/']


def test_file_in_existing_directory_is_noop(committed, cli):
    committed.stage('src/app/helpers.py', 'def h():\n    return 2\n')
    assert fired(cli).get('architecture') is None


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('src/app/plugins/__init__.py', id='python_package'),
        pytest.param('src/web/package.json', id='npm_package'),
        pytest.param('src/tool/go.mod', id='go_module'),
        pytest.param('src/crate/Cargo.toml', id='rust_crate'),
    ],
)
def test_new_module_boundary_fires(committed, cli, path):
    committed.stage(path, '')
    found = fired(cli).get('architecture')
    assert found is not None and path in found['files']


def test_dependency_added_fires(committed, cli):
    committed.stage('pyproject.toml', PYPROJECT.format(version='1.0', deps='"requests>=2"'))
    committed.commit('pyproject')
    committed.stage('pyproject.toml', PYPROJECT.format(version='1.0', deps='"requests>=2", "flask"'))
    found = fired(cli).get('architecture')
    assert found['details'] == [
        {
            'path': 'pyproject.toml',
            'why': 'declared dependencies changed (1 added)',
            'items': ['+flask'],
        }
    ]


def test_project_version_bump_is_noop(committed, cli):
    committed.stage('pyproject.toml', PYPROJECT.format(version='1.0', deps='"requests>=2"'))
    committed.commit('pyproject')
    committed.stage('pyproject.toml', PYPROJECT.format(version='1.1', deps='"requests>=2"'))
    assert fired(cli).get('architecture') is None


def test_reformatting_a_manifest_is_noop(committed, cli):
    committed.stage('src/web/package.json', '{"name": "w", "dependencies": {"react": "^18"}}')
    committed.commit('package')
    committed.stage(
        'src/web/package.json', '{\n  "name": "w",\n  "dependencies": {\n    "react": "^18"\n  }\n}\n'
    )
    assert fired(cli).get('architecture') is None


@pytest.mark.parametrize(
    ('name', 'before', 'after'),
    [
        pytest.param('requirements.txt', 'flask==2.0\n', 'flask==2.0\nsqlalchemy\n', id='requirements'),
        pytest.param(
            'src/tool/go.mod',
            'module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n)\n',
            'module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v0.1.0\n)\n',
            id='go_mod',
        ),
        pytest.param(
            'src/crate/Cargo.toml',
            '[package]\nname="c"\n[dependencies]\nserde = "1"\n',
            '[package]\nname="c"\n[dependencies]\nserde = "1"\ntokio = "1"\n',
            id='cargo',
        ),
        pytest.param('Gemfile', "gem 'rails'\n", "gem 'rails'\ngem 'devise'\n", id='gemfile'),
        pytest.param(
            'pom.xml',
            '<project><dependencies></dependencies></project>',
            '<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>'
            '</dependency></dependencies></project>',
            id='pom',
        ),
    ],
)
def test_dependency_set_change_in_manifests(committed, cli, name, before, after):
    committed.stage(name, before)
    committed.commit('manifest')
    committed.stage(name, after)
    found = fired(cli).get('architecture')
    assert found is not None and found['files'] == [name]


def test_dependency_version_pin_change_is_noop(committed, cli):
    committed.stage('requirements.txt', 'flask==2.0\n')
    committed.commit('reqs')
    committed.stage('requirements.txt', 'flask==2.1  # security fix\n')
    assert fired(cli).get('architecture') is None


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('Dockerfile', id='dockerfile'),
        pytest.param('docker-compose.yml', id='compose'),
        pytest.param('src/infra/main.tf', id='terraform'),
        pytest.param('src/db/migrations/0002_add_users.sql', id='migration'),
        pytest.param('src/charts/api/Chart.yaml', id='helm'),
    ],
)
def test_infrastructure_fires(committed, cli, path):
    committed.stage(path, 'x\n')
    found = fired(cli).get('architecture')
    assert found is not None and path in found['files']


def test_kubernetes_manifest_by_content(committed, cli):
    committed.stage('src/app/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n')
    found = fired(cli).get('architecture')
    assert found['details'][0]['why'] == 'added line 2: Kubernetes manifest'


def test_plain_yaml_is_noop(committed, cli):
    committed.stage('src/app/settings.yaml', 'kind: friendly\n')
    assert fired(cli).get('architecture') is None


def test_gitmodules_fires(committed, cli):
    committed.stage('.gitmodules', '[submodule "lib"]\n\tpath = lib\n\turl = https://example.com/lib.git\n')
    found = fired(cli).get('architecture')
    assert found is not None and found['files'] == ['.gitmodules']


def test_other_dotfile_is_noop(committed, cli):
    committed.stage('.editorconfig', 'root = true\n')
    assert fired(cli).get('architecture') is None
