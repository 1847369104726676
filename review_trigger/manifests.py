"""The set of dependencies a manifest declares, one parser per format.

Only names (qualified by their group: ``dev:pytest``) are compared, so a
version bump of the project itself, a dependency's version pin or a
reformatting leaves the set unchanged. Each parser gives a name's key (how
it is compared: a Python package's name normalized) and the name as
declared, which is what is shown: a name is text from the change, masked
as it was written (a normalized ``AKIA...`` key is lower-cased out of its
secret's shape). Parsers never execute anything and
use regexes rather than an XML parser for pom.xml (no entity expansion).
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from collections.abc import Callable, Iterable
from typing import Any

_PEP508_NAME = re.compile(r'^\s*([A-Za-z0-9][A-Za-z0-9._-]*)')


class Unparsable(ValueError):
    pass


# A manifest's dependencies: each name's key -> the name as declared.
Names = dict[str, str]


def _as_declared(names: Iterable[str]) -> Names:
    return {n: n for n in names}


_TOO_DEEP = 'nested too deeply to parse'


def _norm(name: str) -> str:
    return re.sub(r'[-_.]+', '-', name).lower()


def _pep508(reqs: Iterable[Any], group: str) -> Names:
    out = {}
    for req in reqs:
        if isinstance(req, str):
            m = _PEP508_NAME.match(req)
            if m:
                out[f'{group}{_norm(m[1])}'] = f'{group}{m[1]}'
    return out


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise Unparsable(str(e))
    except RecursionError:
        # Valid TOML can nest deeper than the parser's recursion allows.
        raise Unparsable(_TOO_DEEP)


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as e:
        raise Unparsable(str(e))
    except RecursionError:
        raise Unparsable(_TOO_DEEP)
    if not isinstance(data, dict):
        raise Unparsable('not an object')
    return data


def _keys(table: Any, group: str, skip: tuple[str, ...] = ()) -> Names:
    if not isinstance(table, dict):
        return {}
    return {f'{group}{_norm(k)}': f'{group}{k}' for k in table if k not in skip}


def pyproject(text: str) -> Names:
    data = _toml(text)
    project = data.get('project', {})
    deps = _pep508(project.get('dependencies', []), '')
    for extra, reqs in project.get('optional-dependencies', {}).items():
        deps |= _pep508(reqs, f'{extra}:')
    for group, reqs in data.get('dependency-groups', {}).items():
        deps |= _pep508(reqs, f'{group}:')
    deps |= _pep508(data.get('build-system', {}).get('requires', []), 'build:')
    poetry = data.get('tool', {}).get('poetry', {})
    deps |= _keys(poetry.get('dependencies'), '', ('python',))
    deps |= _keys(poetry.get('dev-dependencies'), 'dev:')
    for group, table in poetry.get('group', {}).items():
        deps |= _keys(table.get('dependencies'), f'{group}:')
    return deps


def requirements(text: str) -> Names:
    deps: Names = {}
    for line in text.splitlines():
        line = line.split(' #', 1)[0].strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith(('-r', '-c', '--requirement', '--constraint')):
            include = 'include:' + line.split(None, 1)[-1]
            deps[include] = include
        elif line.startswith('-e') or '://' in line:
            egg = re.search(r'#egg=([A-Za-z0-9._-]+)', line)
            if egg:
                deps[_norm(egg[1])] = egg[1]
            else:
                deps[line] = line
        elif not line.startswith('-'):
            deps |= _pep508([line], '')
    return deps


def pipfile(text: str) -> Names:
    data = _toml(text)
    return _keys(data.get('packages'), '') | _keys(data.get('dev-packages'), 'dev:')


def setup_cfg(text: str) -> Names:
    import configparser

    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error as e:
        raise Unparsable(str(e))
    deps: Names = {}
    if parser.has_option('options', 'install_requires'):
        deps |= _pep508(parser.get('options', 'install_requires').splitlines(), '')
    if parser.has_section('options.extras_require'):
        for extra, reqs in parser.items('options.extras_require'):
            deps |= _pep508(reqs.splitlines(), f'{extra}:')
    return deps


def package_json(text: str) -> Names:
    data = _json(text)
    deps: Names = {}
    for key in (
        'dependencies',
        'devDependencies',
        'peerDependencies',
        'optionalDependencies',
        'bundledDependencies',
    ):
        table = data.get(key)
        if isinstance(table, dict):
            deps |= _as_declared(f'{key}:{k}' for k in table)
    return deps


def composer_json(text: str) -> Names:
    data = _json(text)
    return _keys(data.get('require'), '') | _keys(data.get('require-dev'), 'dev:')


def go_mod(text: str) -> Names:
    deps: list[str] = []
    in_block = False
    for line in text.splitlines():
        line = line.split('//', 1)[0].strip()
        if in_block:
            if line == ')':
                in_block = False
            elif line:
                deps.append(line.split()[0])
        elif line.startswith('require'):
            rest = line[len('require') :].strip()
            if rest == '(':
                in_block = True
            elif rest:
                deps.append(rest.split()[0])
    return _as_declared(deps)


def cargo_toml(text: str) -> Names:
    data = _toml(text)
    deps: Names = {}
    for key, group in (('dependencies', ''), ('dev-dependencies', 'dev:'), ('build-dependencies', 'build:')):
        deps |= _keys(data.get(key), group)
    for target, table in data.get('target', {}).items():
        for key, group in (
            ('dependencies', ''),
            ('dev-dependencies', 'dev:'),
            ('build-dependencies', 'build:'),
        ):
            deps |= _keys(table.get(key), f'{target}:{group}')
    deps |= _keys(data.get('workspace', {}).get('dependencies'), 'workspace:')
    return deps


def gemfile(text: str) -> Names:
    return _as_declared(re.findall(r"""^\s*gem\s+['"]([^'"]+)['"]""", text, re.M))


def pom_xml(text: str) -> Names:
    deps = []
    for block in re.findall(r'<dependency>(.*?)</dependency>', text, re.S):
        group = re.search(r'<groupId>\s*([^<]+?)\s*</groupId>', block)
        artifact = re.search(r'<artifactId>\s*([^<]+?)\s*</artifactId>', block)
        if artifact:
            deps.append(f'{group[1] if group else ""}:{artifact[1]}')
    return _as_declared(deps)


def gradle(text: str) -> Names:
    return _as_declared(
        re.findall(
            r"""\b(?:implementation|api|compileOnly|runtimeOnly|testImplementation|"""
            r"""testRuntimeOnly|kapt|ksp|annotationProcessor|classpath)\s*\(?\s*"""
            r"""['"]([^'":]+:[^'":]+)""",
            text,
        )
    )


PARSERS: dict[str, Callable[[str], Names]] = {
    'pyproject.toml': pyproject,
    'Pipfile': pipfile,
    'setup.cfg': setup_cfg,
    'package.json': package_json,
    'composer.json': composer_json,
    'go.mod': go_mod,
    'Cargo.toml': cargo_toml,
    'Gemfile': gemfile,
    'pom.xml': pom_xml,
    'build.gradle': gradle,
    'build.gradle.kts': gradle,
}


def parser_for(path: str) -> Callable[[str], Names]:
    name = posixpath.basename(path)
    if name in PARSERS:
        return PARSERS[name]
    if name.endswith('.txt'):
        return requirements
    return lambda text: _as_declared(text.split())  # unknown manifest: any change


def dependencies(path: str, blob: bytes) -> Names:
    """Declared dependencies of ``path`` with content ``blob``, by key (an
    absent side has none, which the caller knows without reading)."""
    try:
        text = blob.decode('utf-8')
    except UnicodeDecodeError as e:
        raise Unparsable(str(e))
    try:
        return parser_for(path)(text)
    except (AttributeError, TypeError) as e:  # valid syntax, unexpected shape
        raise Unparsable(str(e))
    except RecursionError:  # a parser of ours walking deeply nested data
        raise Unparsable(_TOO_DEEP)
