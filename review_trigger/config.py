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
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from review_trigger import defaults
from review_trigger.errors import UserError
from review_trigger.routing import table as routing_table

CONFIG_FILES = ('.review-trigger.yaml', '.review-trigger.yml')
PYPROJECT = 'pyproject.toml'
MAX_CONFIG_BYTES = 1_000_000
MAX_CONFIG_NODES = 100_000
SCHEMA_PATH = os.path.join(os.path.dirname(__file__), 'config.schema.json')


DEFAULT_PLAN = 'PROJECT_PLAN.md'


class Config(NamedTuple):
    triggers: Mapping[str, Mapping[str, Any]]
    custom_triggers: tuple[Mapping[str, Any], ...] = ()
    exclude: tuple[str, ...] = ()
    generated: tuple[str, ...] = defaults.GENERATED
    context_files: tuple[str, ...] = defaults.CONTEXT_FILES
    max_scan_bytes: int = defaults.MAX_SCAN_BYTES
    reviewer: str = routing_table.DEFAULT.top.model
    # Model-name patterns -> tier: the file's ``models:`` first, then the
    # routing table's, most specific first.
    models: tuple[tuple[str, str], ...] = routing_table.DEFAULT.patterns
    routing: routing_table.Table = routing_table.DEFAULT
    skip_if_reason_tier: bool = False
    review: Mapping[str, Any] = {}  # the reviewer and its limits (review/settings.py)
    cost_log: str | None = None  # the cost log's path in the repository
    # Price entries (model, match, input, output, ...) before the shipped table.
    prices: tuple[Mapping[str, Any], ...] = ()
    source: str | None = None  # where it was read from, for messages
    # The plan file of ``route`` and the agents' stop hooks (routing.plan),
    # relative to the repository root.
    plan: str = DEFAULT_PLAN


# Trigger settings that are word lists; every other list is of globs.
WORD_KEYS = ('words', 'extra_words', 'identifiers', 'extra_identifiers')


def glob_lists(config: Config) -> list[tuple[str, ...]]:
    """Every glob list the configuration has, as the triggers get them."""
    lists = [config.generated, config.exclude]
    for settings in config.triggers.values():
        lists.extend(
            tuple(v) for k, v in settings.items() if isinstance(v, list | tuple) and k not in WORD_KEYS
        )
    lists.extend(tuple(c.get('paths') or ['*']) for c in config.custom_triggers)
    return lists


def word_lists(config: Config) -> list[tuple[str, ...]]:
    """Every word list the configuration has, as the triggers get them."""
    return [
        tuple(v)
        for settings in config.triggers.values()
        for k, v in settings.items()
        if k in WORD_KEYS and isinstance(v, list | tuple)
    ]


def default_config() -> Config:
    return Config(triggers=copy.deepcopy(defaults.TRIGGERS))


# -- reading ---------------------------------------------------------------


class Source(NamedTuple):
    name: str  # for messages: a path, or "<sha>:path"
    text: bytes
    pyproject: bool


def find_source(root: str, read: Any = None) -> Source | None:
    """The configuration file of the repository at ``root``.

    ``read(path) -> bytes | None`` reads a repository path (default: from
    the work tree); pull request mode passes one reading the base commit.
    """

    def from_disk(rel: str) -> bytes | None:
        from review_trigger.files import read_regular

        try:
            return read_regular(os.path.join(root, rel), MAX_CONFIG_BYTES)
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
    from review_trigger.files import read_regular

    try:
        text = read_regular(path, MAX_CONFIG_BYTES)
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
    # Until it is counted: an alias to a value inside itself (``a: &x
    # [*x]``) expands without end, so it is over the limit too.
    memo[key] = MAX_CONFIG_NODES + 1
    import yaml

    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_yaml_node_count(n, memo) for n in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_yaml_node_count(k, memo) + _yaml_node_count(v, memo) for k, v in node.value)
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
        except RecursionError:
            raise UserError(f'{source.name}: invalid TOML: nested too deeply to parse')
        except ValueError as e:  # an integer longer than Python converts
            raise UserError(f'{source.name}: invalid TOML: {_first_clause(e)}')
        tool = data.get('tool', {})
        if not isinstance(tool, dict):
            raise UserError(f'{source.name}: tool must be a table, not {_toml_type(tool)}')
        table = tool.get('review-trigger', {})
        if not isinstance(table, dict):
            raise UserError(
                f'{source.name}: tool.review-trigger must be a table, not {_toml_type(table)}',
            )
        return table
    import yaml

    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
        if node is not None and _yaml_node_count(node, {}) > MAX_CONFIG_NODES:
            raise UserError(
                f'{source.name}: more than {MAX_CONFIG_NODES} values after expanding aliases',
            )
        if node is not None:
            _check_duplicate_keys(node, source)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as e:
        mark = getattr(e, 'problem_mark', None)
        # At the end of the text the mark is past its last line break.
        lines = max(1, text.count('\n') + (not text.endswith('\n')))
        where = f' (line {min(mark.line + 1, lines)})' if mark is not None else ''
        problem = getattr(e, 'problem', None) or str(e).splitlines()[0]
        raise UserError(f'{source.name}{where}: invalid YAML: {problem}')
    except RecursionError:
        raise UserError(f'{source.name}: invalid YAML: nested too deeply to parse')
    except ValueError as e:  # an integer longer than Python converts
        raise UserError(f'{source.name}: invalid YAML: {_first_clause(e)}')
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f'{source.name}: the configuration must be a mapping of keys')
    _check_keys(data, source)
    return data


def _toml_type(value: Any) -> str:
    names = {str: 'a string', bool: 'a boolean', int: 'an integer', float: 'a float', list: 'an array'}
    return names.get(type(value), type(value).__name__)


def _check_duplicate_keys(root: Any, source: Source) -> None:
    """A key twice in one mapping is an error: YAML loaders keep the last
    silently, so a second ``security:`` would switch off the first."""
    import yaml

    seen_nodes: set[int] = set()
    todo = [root]
    while todo:  # not recursive: the data may nest deeply
        node = todo.pop()
        if id(node) in seen_nodes:  # an alias: looked at once
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1
                    if (key.tag, key.value) in first:
                        raise UserError(
                            f'{source.name} line {line}: duplicate key {key.value!r} '
                            f'(first on line {first[key.tag, key.value]}): the second would '
                            f'silently replace the first',
                        )
                    first[key.tag, key.value] = line
                todo.append(value)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)


def _first_clause(e: BaseException) -> str:
    # "Exceeds the limit (4300 digits) for integer string conversion: ...".
    return ' '.join(str(e).split(';')[0].split())[:200]


def _check_keys(data: dict[Any, Any], source: Source) -> None:
    """Every mapping key is a string: YAML reads ``on:`` as True and
    ``1:`` as an int, which no key of ours is."""
    todo: list[tuple[list[Any], Any]] = [([], data)]
    while todo:  # not recursive: the data may nest deeply
        path, node = todo.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(key, str):
                    if isinstance(key, bool):
                        why = (
                            f'key {str(key).lower()} is not a string (YAML reads a bare '
                            f'on, off, yes or no as true or false: quote the key)'
                        )
                    else:
                        why = f'key {key!r} is not a string (quote it)'
                    _fail(source, path, why)
                todo.append(([*path, key], value))
        elif isinstance(node, list):
            todo.extend(([*path, i], v) for i, v in enumerate(node))


def _yaml_line(source: Source, path: Sequence[Any]) -> int | None:
    """The line of the key at ``path`` in a YAML source, for messages."""
    import yaml

    try:
        node = yaml.compose(source.text.decode('utf-8'), Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))
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
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
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
            extra = (
                sorted(
                    set(error.instance) - set(error.schema.get('properties', {})),
                )
                if isinstance(error.instance, dict)
                else []
            )
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


# A configured regex runs in Python's backtracking engine on every added
# line, so a configuration must not be able to hang CI with one. Refused,
# read from the regex's parse tree (so that groups, non-capturing groups and
# nesting do not hide anything):
# - a quantifier over something of variable length ("(a+)+", "((a+))+",
#   "(?:(?:a+))+", "(a?){20}"): exponential;
# - a quantifier over alternatives that can match the same text ("(a|a)*",
#   "(a|aa)+"): exponential;
# - two unbounded quantifiers in a row over overlapping characters, with
#   nothing required in between (".*.*=x", "\\w+\\d+"): polynomial.
_SAMPLE = ''.join(map(chr, range(256))) + '\u00e9\u0436\u4e2d\u2028'


def check_regex(pattern: str) -> str | None:
    """Why ``pattern`` is rejected, or None."""
    try:
        re.compile(pattern)
    except re.error as e:
        return f'invalid regex: {e}'
    except RecursionError:
        return 'invalid regex: nested too deeply'
    try:
        # The stdlib's own parse of what it just compiled.
        return _risk(list(_sre('_parser').parse(pattern)), False)
    except RecursionError:
        return 'invalid regex: nested too deeply'


def _sre(name: str) -> Any:
    # re's parser and its constants: private modules, the same in 3.11-3.13.
    import importlib

    return importlib.import_module(f're.{name}')


def _risk(items: list[Any], repeated: bool) -> str | None:
    c = _sre('_constants')
    previous: frozenset[str] | None = None  # the last unbounded quantifier's characters
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, hi, body = av
            body = list(body)
            if repeated and lo != hi and op != c.POSSESSIVE_REPEAT:
                return 'nested quantifier (catastrophic backtracking risk)'
            if hi > 1 and op != c.POSSESSIVE_REPEAT:
                if _variable(body):
                    return 'nested quantifier (catastrophic backtracking risk)'
                problem = _risk(body, True)
                if problem:
                    return problem
            if hi == c.MAXREPEAT and op != c.POSSESSIVE_REPEAT:
                chars = _chars(body)
                if previous is not None and previous & chars:
                    return (
                        'two unbounded quantifiers in a row over the same characters '
                        '(polynomial backtracking risk)'
                    )
                previous = chars
            elif lo > 0:
                previous = None
            continue
        if op is c.SUBPATTERN:
            problem = _risk(list(av[3]), repeated)
        elif op is c.ATOMIC_GROUP:
            problem = _risk(list(av), False)
        elif op is c.BRANCH:
            branches = [list(b) for b in av[1]]
            if repeated and _overlapping(branches):
                return (
                    'alternatives that can match the same text under a quantifier '
                    '(catastrophic backtracking risk)'
                )
            problem = next(filter(None, (_risk(b, repeated) for b in branches)), None)
        else:
            problem = None
        if problem:
            return problem
        if not _nullable([(op, av)]):
            previous = None
    return None


def _variable(items: list[Any]) -> bool:
    """Can ``items`` match texts of different lengths?"""
    c = _sre('_constants')
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if av[0] != av[1] or _variable(list(av[2])):
                return True
        elif op is c.SUBPATTERN and _variable(list(av[3])):
            return True
        elif op is c.ATOMIC_GROUP and _variable(list(av)):
            return True
        elif op is c.BRANCH:
            branches = [list(b) for b in av[1]]
            if any(_variable(b) for b in branches) or len({_length(b) for b in branches}) > 1:
                return True
        elif op is c.GROUPREF:
            return True
    return False


def _length(items: list[Any]) -> int:
    """The length of every match of ``items`` (not ``_variable``)."""
    c = _sre('_constants')
    n = 0
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            n += av[0] * _length(list(av[2]))
        elif op is c.SUBPATTERN:
            n += _length(list(av[3]))
        elif op is c.ATOMIC_GROUP:
            n += _length(list(av))
        elif op is c.BRANCH:
            n += _length(list(av[1][0]))
        elif op not in (c.AT, c.ASSERT, c.ASSERT_NOT):
            n += 1
    return n


def _nullable(items: list[Any]) -> bool:
    c = _sre('_constants')
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if av[0] > 0 and not _nullable(list(av[2])):
                return False
        elif op is c.SUBPATTERN:
            if not _nullable(list(av[3])):
                return False
        elif op is c.ATOMIC_GROUP:
            if not _nullable(list(av)):
                return False
        elif op is c.BRANCH:
            if not any(_nullable(list(b)) for b in av[1]):
                return False
        elif op not in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return False
    return True


def _first(items: list[Any]) -> frozenset[str]:
    """The characters a match of ``items`` can start with (a sample)."""
    out: set[str] = set()
    for item in items:
        out |= _chars([item], first=True)
        if not _nullable([item]):
            break
    return frozenset(out)


def _overlapping(branches: list[list[Any]]) -> bool:
    firsts = [_first(b) for b in branches]
    if sum(_nullable(b) for b in branches) > 1:
        return True
    return any(firsts[i] & firsts[j] for i in range(len(firsts)) for j in range(i + 1, len(firsts)))


def _chars(items: list[Any], first: bool = False) -> frozenset[str]:
    """The sample characters ``items`` can consume (with ``first``: start with)."""
    c = _sre('_constants')
    every = frozenset(_SAMPLE)
    out: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            out.add(chr(av))
        elif op is c.NOT_LITERAL:
            out |= every - {chr(av)}
        elif op is c.ANY:
            out |= every - {'\n'}
        elif op is c.IN:
            out |= _in_set(av, every)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            out |= _first(list(av[2])) if first else _chars(list(av[2]))
        elif op is c.SUBPATTERN:
            out |= _first(list(av[3])) if first else _chars(list(av[3]))
        elif op is c.ATOMIC_GROUP:
            out |= _first(list(av)) if first else _chars(list(av))
        elif op is c.BRANCH:
            for b in av[1]:
                out |= _first(list(b)) if first else _chars(list(b))
        elif op is c.GROUPREF:
            out |= every
        if first and out and not _nullable([(op, av)]):
            break
    return frozenset(out)


def _in_set(members: list[Any], every: frozenset[str]) -> frozenset[str]:
    c = _sre('_constants')
    tests: dict[Any, Callable[[str], bool]] = {
        c.CATEGORY_DIGIT: str.isdigit,
        c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
        c.CATEGORY_SPACE: str.isspace,
        c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
        c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == '_',
        c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == '_'),
    }
    out: set[str] = set()
    negate = False
    for op, av in members:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            out.add(chr(av))
        elif op is c.RANGE:
            out |= {ch for ch in every if av[0] <= ord(ch) <= av[1]}
        elif op is c.CATEGORY:
            test = tests.get(av)
            out |= {ch for ch in every if test is None or test(ch)}
        else:
            out |= every
    return every - out if negate else frozenset(out)


def _each_regex(data: Mapping[str, Any]) -> list[tuple[list[Any], str]]:
    found: list[tuple[list[Any], str]] = []
    for tid, settings in (data.get('triggers') or {}).items():
        for key in (
            'line_patterns',
            'extra_line_patterns',
            'secret_patterns',
            'extra_secret_patterns',
            'config_patterns',
            'extra_config_patterns',
        ):
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
                name = key[len('extra_') :]
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
    top = apply(
        {
            'generated': list(defaults.GENERATED),
            'context_files': list(defaults.CONTEXT_FILES),
        },
        {
            k: v
            for k, v in data.items()
            if k in ('generated', 'extra_generated', 'context_files', 'extra_context_files')
        },
    )
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
    routing = dict(data.get('routing') or {})
    plan = routing.pop('plan', None) or DEFAULT_PLAN
    table = _routing(routing or None, custom, source)
    return Config(
        triggers=triggers,
        custom_triggers=tuple(custom),
        exclude=tuple(data.get('exclude') or ()),
        generated=tuple(top['generated']),
        context_files=tuple(top['context_files']),
        max_scan_bytes=data.get('max_scan_bytes', defaults.MAX_SCAN_BYTES),
        reviewer=data.get('reviewer') or table.top.model,
        models=models + table.patterns,
        routing=table,
        skip_if_reason_tier=data.get('skip_if_reason_tier', False),
        review=copy.deepcopy(data.get('review') or {}),
        cost_log=data.get('cost_log'),
        prices=tuple(dict(p) for p in data.get('prices') or ()),
        source=source,
        plan=plan,
    )


def _routing(
    data: Mapping[str, Any] | None, custom: Sequence[Mapping[str, Any]], source: str | None
) -> routing_table.Table:
    """The routing table with ``routing:`` applied; every trigger's task type
    must be one of its task types (the triggers take their tiers from it)."""
    where = source or 'configuration'
    try:
        table = routing_table.build(data)
    except routing_table.RoutingError as e:
        raise UserError(f'{where}: routing: {e}')
    if data:
        from review_trigger.triggers import REGISTRY

        for trigger in REGISTRY.values():
            if table.task(trigger.task_type) is None:
                raise UserError(
                    f"{where}: routing: the {trigger.id} trigger's task type "
                    f'{trigger.task_type!r} is not in the routing table',
                )
    for i, spec in enumerate(custom):
        task_type = spec.get('task_type')
        if task_type is not None and table.task(task_type) is None:
            raise UserError(
                f'{where}: custom_triggers[{i}].task_type: {task_type!r} is not a task '
                f'type of the routing table',
            )
    return table


def load(source: Source | None, cache_dir: str | None = None) -> Config:
    """Parse, validate and merge ``source`` (None: the defaults).

    ``cache_dir``: where to remember configurations that already passed
    validation, so the hook does not load the schema validator on every
    commit (only when the file changed).
    """
    if source is None:
        return default_config()
    data = parse(source)
    import hashlib  # only with a configuration file: loading OpenSSL takes milliseconds

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
        pass  # a read-only git dir only costs speed


def effective(config: Config) -> dict[str, Any]:
    """The merged configuration, as the same keys a file uses."""
    return {
        'exclude': list(config.exclude),
        'generated': list(config.generated),
        'context_files': list(config.context_files),
        'max_scan_bytes': config.max_scan_bytes,
        'reviewer': config.reviewer,
        'skip_if_reason_tier': config.skip_if_reason_tier,
        # The file's own entries: the table's are under routing.tiers.
        'models': {k: v for k, v in config.models if (k, v) not in set(config.routing.patterns)},
        'routing': {**routing_table.as_data(config.routing), 'plan': config.plan},
        'prices': [dict(p) for p in config.prices],
        'triggers': {k: dict(v) for k, v in config.triggers.items()},
        'custom_triggers': [dict(c) for c in config.custom_triggers],
        'review': copy.deepcopy(dict(config.review)),
        'cost_log': config.cost_log,
    }
