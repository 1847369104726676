"""Configuration: the built-in defaults merged with the repository's file.

The file is ``.review-trigger.yaml`` (or ``.yml``) at the repository root,
or ``[tool.review-trigger]`` in ``pyproject.toml``; ``--config PATH`` names
another. It is validated against ``config.schema.json`` (shipped with the
package, for editors too) so a typo is an error, never a silently disabled
rule. For pull requests the file is read from the base commit, so a change
cannot switch off its own review.
"""
from __future__ import annotations

import copy
import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from review_trigger import defaults
from review_trigger.errors import UserError

CONFIG_FILES = ('.review-trigger.yaml', '.review-trigger.yml')
PYPROJECT = 'pyproject.toml'
MAX_CONFIG_BYTES = 1_000_000
MAX_CONFIG_NODES = 100_000
SCHEMA_PATH = os.path.join(os.path.dirname(__file__), 'config.schema.json')


class Config(NamedTuple):
    triggers: Mapping[str, Mapping[str, Any]]
    custom_triggers: tuple[Mapping[str, Any], ...] = ()
    exclude: tuple[str, ...] = ()
    generated: tuple[str, ...] = defaults.GENERATED
    context_files: tuple[str, ...] = defaults.CONTEXT_FILES
    max_scan_bytes: int = defaults.MAX_SCAN_BYTES
    reviewer: str = 'Opus'
    models: tuple[tuple[str, str], ...] = defaults.MODEL_TIERS
    skip_if_reason_tier: bool = False
    source: str | None = None       # where it was read from, for messages


# Trigger settings that are word lists; every other list is of globs.
WORD_KEYS = ('words', 'extra_words', 'identifiers', 'extra_identifiers')


def glob_lists(config: Config) -> list[tuple[str, ...]]:
    """Every glob list the configuration has, as the triggers get them."""
    lists = [config.generated, config.exclude]
    for settings in config.triggers.values():
        lists.extend(tuple(v) for k, v in settings.items()
                     if isinstance(v, list | tuple) and k not in WORD_KEYS)
    lists.extend(tuple(c.get('paths') or ['*']) for c in config.custom_triggers)
    return lists


def word_lists(config: Config) -> list[tuple[str, ...]]:
    """Every word list the configuration has, as the triggers get them."""
    return [tuple(v) for settings in config.triggers.values()
            for k, v in settings.items() if k in WORD_KEYS and isinstance(v, list | tuple)]


def default_config() -> Config:
    return Config(triggers=copy.deepcopy(defaults.TRIGGERS))


# -- reading ---------------------------------------------------------------

class Source(NamedTuple):
    name: str           # for messages: a path, or "<sha>:path"
    text: bytes
    pyproject: bool


def find_source(root: str, read: Any = None) -> Source | None:
    """The configuration file of the repository at ``root``.

    ``read(path) -> bytes | None`` reads a repository path (default: from
    the work tree); pull request mode passes one reading the base commit.
    """
    def from_disk(rel: str) -> bytes | None:
        try:
            with open(os.path.join(root, rel), 'rb') as f:
                return f.read(MAX_CONFIG_BYTES + 1)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None
        except OSError as e:
            raise UserError(f'cannot read {rel}: {e.strerror}')

    read = read or from_disk
    for name in CONFIG_FILES:
        text = read(name)
        if text is not None:
            return Source(name, text, False)
    text = read(PYPROJECT)
    if text is not None and b'review-trigger' in text:
        return Source(PYPROJECT, text, True)
    return None


def read_file(path: str) -> Source:
    try:
        with open(path, 'rb') as f:
            text = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as e:
        raise UserError(f'cannot read config {path}: {e.strerror}')
    return Source(path, text, os.path.basename(path) == PYPROJECT)


# -- parsing ---------------------------------------------------------------

def _yaml_node_count(node: Any, memo: dict[int, int]) -> int:
    """Nodes after alias expansion, counted without expanding (memoised):
    an alias bomb is rejected before anything walks the expanded data."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1   # cycles count once
    import yaml
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_yaml_node_count(n, memo) for n in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_yaml_node_count(k, memo) + _yaml_node_count(v, memo)
                     for k, v in node.value)
    memo[key] = min(total, MAX_CONFIG_NODES + 1)
    return memo[key]


def parse(source: Source) -> dict[str, Any]:
    if len(source.text) > MAX_CONFIG_BYTES:
        raise UserError(f'{source.name}: larger than {MAX_CONFIG_BYTES} bytes')
    try:
        text = source.text.decode('utf-8')
    except UnicodeDecodeError:
        raise UserError(f'{source.name}: not UTF-8 text')
    if source.pyproject:
        import tomllib
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise UserError(f'{source.name}: invalid TOML: {e}')
        table = data.get('tool', {}).get('review-trigger', {})
        return table if isinstance(table, dict) else {'': table}
    import yaml
    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
        if node is not None and _yaml_node_count(node, {}) > MAX_CONFIG_NODES:
            raise UserError(
                f'{source.name}: more than {MAX_CONFIG_NODES} values after '
                f'expanding aliases',
            )
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as e:
        mark = getattr(e, 'problem_mark', None)
        where = f' (line {mark.line + 1})' if mark is not None else ''
        problem = getattr(e, 'problem', None) or str(e).splitlines()[0]
        raise UserError(f'{source.name}{where}: invalid YAML: {problem}')
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f'{source.name}: the configuration must be a mapping of keys')
    return data


def _yaml_line(source: Source, path: Sequence[Any]) -> int | None:
    """The line of the key at ``path`` in a YAML source, for messages."""
    import yaml
    try:
        node = yaml.compose(source.text.decode('utf-8'),
                            Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    line = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == part:
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _key_path(parts: Sequence[Any]) -> str:
    out = ''
    for p in parts:
        out += f'[{p}]' if isinstance(p, int) else (f'.{p}' if out else str(p))
    return out or '(top level)'


# -- validation --------------------------------------------------------------

def _schema() -> dict[str, Any]:
    import json
    with open(SCHEMA_PATH, encoding='utf-8') as f:
        schema: dict[str, Any] = json.load(f)
    return schema


def validate(data: Mapping[str, Any], source: Source) -> None:
    """Raise UserError naming the file, the key path and (YAML) the line."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        path = list(error.absolute_path)
        message = error.message
        if error.validator == 'additionalProperties':
            # Name the offending key itself, so the line is the typo's.
            extra = sorted(
                set(error.instance) - set(error.schema.get('properties', {})),
            ) if isinstance(error.instance, dict) else []
            if extra:
                path.append(extra[0])
                known = ', '.join(sorted(error.schema.get('properties', {})))
                message = f'unknown key {extra[0]!r} (expected one of: {known})'
        line = None if source.pyproject else _yaml_line(source, path)
        where = f' line {line}' if line else ''
        prefix = 'tool.review-trigger.' if source.pyproject and path else ''
        raise UserError(
            f'{source.name}{where}: {prefix}{_key_path(path)}: {message}',
        )
    _check_regexes(data, source)
    _check_globs(data, source)


# Nested quantifiers ("(a+)+", "(a|aa)*") can take exponential time on a
# crafted line; a configuration must not be able to hang CI.
_NESTED = re.compile(r'\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]')


def check_regex(pattern: str) -> str | None:
    """Why ``pattern`` is rejected, or None."""
    try:
        re.compile(pattern)
    except re.error as e:
        return f'invalid regex: {e}'
    if _NESTED.search(pattern):
        return 'nested quantifier (catastrophic backtracking risk)'
    return None


def _each_regex(data: Mapping[str, Any]) -> list[tuple[list[Any], str]]:
    found: list[tuple[list[Any], str]] = []
    for tid, settings in (data.get('triggers') or {}).items():
        for key in ('line_patterns', 'extra_line_patterns', 'secret_patterns',
                    'extra_secret_patterns', 'config_patterns', 'extra_config_patterns'):
            for name, pattern in (settings.get(key) or {}).items():
                found.append((['triggers', tid, key, name], pattern))
    for i, custom in enumerate(data.get('custom_triggers') or ()):
        for j, pattern in enumerate(custom.get('patterns') or ()):
            found.append((['custom_triggers', i, 'patterns', j], pattern))
    return found


def _check_regexes(data: Mapping[str, Any], source: Source) -> None:
    for path, pattern in _each_regex(data):
        problem = check_regex(pattern)
        if problem:
            _fail(source, path, problem)


def _check_globs(data: Mapping[str, Any], source: Source) -> None:
    import pathspec

    def check(path: list[Any], patterns: Any) -> None:
        for i, glob in enumerate(patterns or ()):
            try:
                pathspec.GitIgnoreSpec.from_lines([glob])
            except (ValueError, TypeError) as e:
                _fail(source, [*path, i], f'invalid glob: {e}')

    for key in ('exclude', 'generated', 'extra_generated'):
        check([key], data.get(key))
    for tid, settings in (data.get('triggers') or {}).items():
        for key, value in settings.items():
            if isinstance(value, list) and key not in WORD_KEYS:
                check(['triggers', tid, key], value)
    for i, custom in enumerate(data.get('custom_triggers') or ()):
        check(['custom_triggers', i, 'paths'], custom.get('paths'))


def _fail(source: Source, path: list[Any], message: str) -> None:
    line = None if source.pyproject else _yaml_line(source, path)
    where = f' line {line}' if line else ''
    raise UserError(f'{source.name}{where}: {_key_path(path)}: {message}')


# -- merging -----------------------------------------------------------------

def merge(data: Mapping[str, Any], source: str | None = None) -> Config:
    """The defaults with ``data`` (already validated) applied.

    ``key`` replaces a default list or mapping; ``extra_key`` extends it.
    """
    def apply(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(base)
        for key, value in overrides.items():
            if key.startswith('extra_'):
                name = key[len('extra_'):]
                if isinstance(out.get(name), dict):
                    out[name] = {**out[name], **value}
                else:
                    out[name] = [*out.get(name, []), *value]
            else:
                out[key] = copy.deepcopy(value)
        return out

    triggers = {
        tid: apply(settings, (data.get('triggers') or {}).get(tid, {}))
        for tid, settings in defaults.TRIGGERS.items()
    }
    top = apply({
        'generated': list(defaults.GENERATED),
        'context_files': list(defaults.CONTEXT_FILES),
    }, {k: v for k, v in data.items()
        if k in ('generated', 'extra_generated', 'context_files', 'extra_context_files')})
    ids = set(triggers)
    custom = []
    for i, spec in enumerate(data.get('custom_triggers') or ()):
        if spec['id'] in ids:
            raise UserError(
                f'{source or "configuration"}: custom_triggers[{i}].id: '
                f'{spec["id"]!r} is already a trigger id',
            )
        ids.add(spec['id'])
        custom.append(dict(spec))
    models = tuple((k, v) for k, v in (data.get('models') or {}).items())
    return Config(
        triggers=triggers,
        custom_triggers=tuple(custom),
        exclude=tuple(data.get('exclude') or ()),
        generated=tuple(top['generated']),
        context_files=tuple(top['context_files']),
        max_scan_bytes=data.get('max_scan_bytes', defaults.MAX_SCAN_BYTES),
        reviewer=data.get('reviewer', 'Opus'),
        models=models + defaults.MODEL_TIERS,
        skip_if_reason_tier=data.get('skip_if_reason_tier', False),
        source=source,
    )


def load(source: Source | None, cache_dir: str | None = None) -> Config:
    """Parse, validate and merge ``source`` (None: the defaults).

    ``cache_dir``: where to remember configurations that already passed
    validation, so the hook does not load the schema validator on every
    commit (only when the file changed).
    """
    if source is None:
        return default_config()
    data = parse(source)
    digest = hashlib.sha256(
        source.name.encode() + b'\0' + source.text + _schema_stamp(),
    ).hexdigest()
    stamp = os.path.join(cache_dir, 'config-valid') if cache_dir else None
    if stamp is None or _read_stamp(stamp) != digest:
        validate(data, source)
        if stamp is not None:
            _write_stamp(stamp, digest)
    return merge(data, source.name)


def _schema_stamp() -> bytes:
    st = os.stat(SCHEMA_PATH)
    return f'{st.st_size}:{st.st_mtime_ns}'.encode()


def _read_stamp(path: str) -> str | None:
    try:
        with open(path, encoding='ascii') as f:
            return f.read().strip()
    except (OSError, UnicodeDecodeError):
        return None


def _write_stamp(path: str, digest: str) -> None:
    try:
        from review_trigger.output import write_atomic
        write_atomic(path, digest + '\n')
    except UserError:
        pass    # a read-only git dir only costs speed


def effective(config: Config) -> dict[str, Any]:
    """The merged configuration, as the same keys a file uses."""
    return {
        'exclude': list(config.exclude),
        'generated': list(config.generated),
        'context_files': list(config.context_files),
        'max_scan_bytes': config.max_scan_bytes,
        'reviewer': config.reviewer,
        'skip_if_reason_tier': config.skip_if_reason_tier,
        'models': {k: v for k, v in config.models},
        'triggers': {k: dict(v) for k, v in config.triggers.items()},
        'custom_triggers': [dict(c) for c in config.custom_triggers],
    }
