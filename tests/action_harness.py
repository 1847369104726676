"""Run action.yml (and workflows that use it) the way a GitHub runner does.

``run_action`` reads a composite action's ``action.yml`` and runs its steps
in order: ``run:`` steps with the shell the runner uses, in the workspace,
with a fresh ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` file each, their
``env:`` maps and ``with:`` values evaluated (``${{ inputs.x }}``,
``${{ github.x }}``, ``${{ steps.id.outputs.x }}``, ``${{ runner.temp }}``),
inputs defaulted from the action's declarations; then the action's outputs
are evaluated from its steps' outputs. ``uses:`` steps are only run through
a provider the test supplies (what the test machine already provides, e.g.
a Python for actions/setup-python); any other ``uses:`` is an error, so
nothing in action.yml is silently skipped.

``run_workflow`` does the same for a workflow file's single job, where a
``uses:`` of review-trigger runs the action above, and actions/checkout,
actions/upload-artifact and actions/download-artifact have providers that
do what they do (a shallow clone of the pull request's merge commit, an
artifact store in a folder).

Workflow commands in a step's output (``::warning file=...::text``) are
parsed and unescaped like the runner does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from github_fake import FakeGitHub, _Handler, _Reply

ROOT = Path(__file__).resolve().parent.parent

# -- expressions ---------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    \s*(?:
      (?P<str>'(?:[^']|'')*')
    | (?P<num>-?\d+(?:\.\d+)?)
    | (?P<op>==|!=|&&|\|\||<=|>=|[!<>(),\[\].])
    | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    )""",
    re.X,
)


class ExpressionError(Exception):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f'cannot parse {text[pos:]!r} in {text!r}')
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def _loose_eq(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()  # GitHub ignores case
    if a is None or b is None:
        return a is b or (a in ('', None) and b in ('', None))
    return bool(a == b)


def _truthy(v: Any) -> bool:
    return v not in (None, False, 0, '') and v != {}  # objects are truthy


class _Parser:
    def __init__(
        self, text: str, context: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]
    ) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.context = context
        self.functions = functions
        self.text = text

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            raise ExpressionError(f'expected {value!r} in {self.text!r}')
        self.i += 1
        return tok

    def parse(self) -> Any:
        v = self.or_()
        if self.peek() is not None:
            raise ExpressionError(f'trailing {self.peek()!r} in {self.text!r}')
        return v

    def or_(self) -> Any:
        v = self.and_()
        while self.peek() == ('op', '||'):
            self.take()
            rhs = self.and_()
            v = v if _truthy(v) else rhs
        return v

    def and_(self) -> Any:
        v = self.cmp()
        while self.peek() == ('op', '&&'):
            self.take()
            rhs = self.cmp()
            v = rhs if _truthy(v) else v
        return v

    def cmp(self) -> Any:
        v = self.unary()
        while self.peek() in (('op', '=='), ('op', '!=')):
            op = self.take()[1]
            rhs = self.unary()
            v = _loose_eq(v, rhs) if op == '==' else not _loose_eq(v, rhs)
        return v

    def unary(self) -> Any:
        if self.peek() == ('op', '!'):
            self.take()
            return not _truthy(self.unary())
        return self.primary()

    def primary(self) -> Any:
        kind, value = self.take()
        if kind == 'str':
            return value[1:-1].replace("''", "'")
        if kind == 'num':
            return float(value) if '.' in value else int(value)
        if kind == 'op' and value == '(':
            v = self.or_()
            self.take(')')
            return v
        if kind != 'name':
            raise ExpressionError(f'unexpected {value!r} in {self.text!r}')
        if value in ('true', 'false'):
            return value == 'true'
        if value == 'null':
            return None
        if self.peek() == ('op', '('):
            self.take('(')
            args = []
            while self.peek() != ('op', ')'):
                args.append(self.or_())
                if self.peek() == ('op', ','):
                    self.take()
            self.take(')')
            fn = self.functions.get(value.lower())
            if fn is None:
                raise ExpressionError(f'unknown function {value}() in {self.text!r}')
            return fn(*args)
        if value not in self.context:
            raise ExpressionError(f'unknown context {value!r} in {self.text!r}')
        v = self.context[value]
        while self.peek() in (('op', '.'), ('op', '[')):
            if self.take()[1] == '.':
                key = self.take()[1]
            else:
                key = self.or_()
                self.take(']')
            if isinstance(v, Mapping):
                v = v.get(key, v.get(str(key).lower()))
            else:
                v = None
        return v


_EXPR = re.compile(r'\$\{\{(.*?)\}\}', re.S)


def _functions(status: str) -> dict[str, Callable[..., Any]]:
    return {
        'always': lambda: True,
        'success': lambda: status == 'success',
        'failure': lambda: status == 'failure',
        'cancelled': lambda: False,
        'contains': lambda a, b: (
            (str(b).casefold() in str(a).casefold()) if isinstance(a, str) else b in (a or ())
        ),
        'startswith': lambda a, b: str(a).casefold().startswith(str(b).casefold()),
        'tojson': lambda a: json.dumps(a, indent=2),
    }


def evaluate(expr: str, context: Mapping[str, Any], status: str = 'success') -> Any:
    return _Parser(expr, context, _functions(status)).parse()


def interpolate(value: Any, context: Mapping[str, Any], status: str = 'success') -> str:
    """A string with every ``${{ expr }}`` replaced by its value."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    text = str(value)

    def one(m: re.Match[str]) -> str:
        v = evaluate(m.group(1), context, status)
        if v is None:
            return ''
        if isinstance(v, bool):
            return 'true' if v else 'false'
        if isinstance(v, (dict, list)):
            return json.dumps(v)
        return str(v)

    return _EXPR.sub(one, text)


def condition(expr: Any, context: Mapping[str, Any], status: str) -> bool:
    """A step's ``if:`` as the runner reads it (success() unless a status
    function is used)."""
    if expr is None:
        return status == 'success'
    if isinstance(expr, bool):
        return expr and status == 'success'
    text = str(expr).strip()
    m = re.fullmatch(r'\$\{\{(.*)\}\}', text, re.S)
    if m:
        text = m.group(1)
    if not re.search(r'\b(always|failure|cancelled|success)\s*\(', text):
        text = f'success() && ({text})'
    return _truthy(evaluate(text, context, status))


# -- workflow commands ---------------------------------------------------------

_COMMAND = re.compile(r'^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$')


@dataclass
class Command:
    name: str
    properties: dict[str, str]
    message: str
    raw: str


def unescape_data(text: str) -> str:
    return text.replace('%0D', '\r').replace('%0A', '\n').replace('%25', '%')


def unescape_property(text: str) -> str:
    return unescape_data(text.replace('%3A', ':').replace('%2C', ','))


def parse_commands(output: str) -> list[Command]:
    out = []
    for line in output.splitlines():
        m = _COMMAND.match(line)
        if not m:
            continue
        props = {}
        if m.group(2):
            for part in m.group(2).split(','):
                key, _, value = part.partition('=')
                props[key.strip()] = unescape_property(value)
        out.append(Command(m.group(1), props, unescape_data(m.group(3)), line))
    return out


def parse_output_file(path: Path) -> dict[str, str]:
    """``$GITHUB_OUTPUT`` as the runner reads it: ``k=v`` and heredocs."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    lines = path.read_text(encoding='utf-8').split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if '<<' in line and ('=' not in line or line.index('<<') < line.index('=')):
            name, delimiter = line.split('<<', 1)
            chunk: list[str] = []
            while lines[i] != delimiter:
                chunk.append(lines[i])
                i += 1
            i += 1
            out[name] = '\n'.join(chunk)
        else:
            name, _, text = line.partition('=')
            out[name] = text
    return out


# -- running steps ---------------------------------------------------------------


@dataclass
class StepResult:
    name: str
    outcome: str  # success | failure | skipped
    outputs: dict[str, str] = field(default_factory=dict)
    stdout: str = ''
    stderr: str = ''
    summary: str = ''
    returncode: int | None = None
    commands: list[Command] = field(default_factory=list)


@dataclass
class ActionResult:
    outcome: str
    outputs: dict[str, str]
    steps: list[StepResult]

    @property
    def summary(self) -> str:
        return ''.join(s.summary for s in self.steps)

    @property
    def stdout(self) -> str:
        return ''.join(s.stdout for s in self.steps)

    @property
    def stderr(self) -> str:
        return ''.join(s.stderr for s in self.steps)

    @property
    def commands(self) -> list[Command]:
        return [c for s in self.steps for c in s.commands]

    def annotations(self, level: str) -> list[Command]:
        return [c for c in self.commands if c.name == level]


@dataclass
class Runner:
    """The runner's side of one job: its folders, environment and context."""

    workspace: Path
    temp: Path
    event_name: str
    event: dict[str, Any]
    repository: str
    api_url: str
    server_url: str
    token: str
    run_id: int = 1234
    sha: str = ''
    files: Path = Path()  # where step files go (default: beside temp)
    extra_env: dict[str, str] = field(default_factory=dict)
    job_summary: list[str] = field(default_factory=list)
    counter: int = 0

    def __post_init__(self) -> None:
        self.workspace.mkdir(parents=True, exist_ok=True)
        self.temp.mkdir(parents=True, exist_ok=True)
        if self.files == Path():
            self.files = self.temp.parent / f'{self.temp.name}-files'
        self.files.mkdir(parents=True, exist_ok=True)
        self.event_path = self.files / 'event.json'
        self.event_path.write_text(json.dumps(self.event), encoding='utf-8')
        self.env_file = self.files / 'github_env'
        self.path_file = self.files / 'github_path'
        self.env_file.touch()
        self.path_file.touch()

    def github(self, action_path: Path | None = None) -> dict[str, Any]:
        return {
            'token': self.token,
            'event': self.event,
            'event_name': self.event_name,
            'repository': self.repository,
            'workspace': str(self.workspace),
            'run_id': str(self.run_id),
            'sha': self.sha,
            'api_url': self.api_url,
            'server_url': self.server_url,
            'action_path': str(action_path) if action_path else '',
            'repository_owner': self.repository.split('/')[0],
        }

    def runner(self) -> dict[str, str]:
        return {'temp': str(self.temp), 'os': 'Linux', 'arch': 'X64'}

    def base_env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(('GITHUB_', 'INPUT_', 'RUNNER_', 'ACTIONS_'))
        }
        env.update(
            {
                'CI': 'true',
                'GITHUB_ACTIONS': 'true',
                'GITHUB_EVENT_NAME': self.event_name,
                'GITHUB_EVENT_PATH': str(self.event_path),
                'GITHUB_REPOSITORY': self.repository,
                'GITHUB_REPOSITORY_OWNER': self.repository.split('/')[0],
                'GITHUB_WORKSPACE': str(self.workspace),
                'GITHUB_API_URL': self.api_url,
                'GITHUB_SERVER_URL': self.server_url,
                'GITHUB_RUN_ID': str(self.run_id),
                'GITHUB_RUN_ATTEMPT': '1',
                'GITHUB_SHA': self.sha,
                'GITHUB_ENV': str(self.env_file),
                'GITHUB_PATH': str(self.path_file),
                'RUNNER_TEMP': str(self.temp),
                'RUNNER_OS': 'Linux',
            }
        )
        env.update(self.extra_env)
        return env

    def run_script(
        self, name: str, script: str, shell: str | None, env: dict[str, str], cwd: Path
    ) -> StepResult:
        self.counter += 1
        n = self.counter
        output = self.files / f'output_{n}'
        summary = self.files / f'summary_{n}'
        output.touch()
        summary.touch()
        script_path = self.files / f'step_{n}.sh'
        script_path.write_text(script, encoding='utf-8')
        if shell not in (None, 'bash'):
            raise AssertionError(f'step {name!r}: the harness runs bash only, not {shell!r}')
        env = {**env, 'GITHUB_OUTPUT': str(output), 'GITHUB_STEP_SUMMARY': str(summary)}
        # The runner's bash: `bash --noprofile --norc -eo pipefail {0}`.
        proc = subprocess.run(
            ['bash', '--noprofile', '--norc', '-eo', 'pipefail', str(script_path)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding='utf-8',
            errors='replace',
            timeout=600,
        )
        text = summary.read_text(encoding='utf-8')
        self.job_summary.append(text)
        return StepResult(
            name=name,
            outcome='success' if proc.returncode == 0 else 'failure',
            outputs=parse_output_file(output),
            stdout=proc.stdout,
            stderr=proc.stderr,
            summary=text,
            returncode=proc.returncode,
            commands=parse_commands(proc.stdout) + parse_commands(proc.stderr),
        )


Provider = Callable[[dict[str, str], 'Runner'], StepResult]


def load_action(action_dir: Path) -> dict[str, Any]:
    data = yaml.safe_load((action_dir / 'action.yml').read_text(encoding='utf-8'))
    assert isinstance(data, dict)
    return data


def run_action(
    action_dir: Path,
    runner: Runner,
    inputs: Mapping[str, Any] | None = None,
    providers: Mapping[str, Provider] | None = None,
    *,
    until: str | None = None,
) -> ActionResult:
    """Run the composite action in ``action_dir`` as a step of a job.

    ``inputs`` are the step's ``with:`` (already evaluated). ``until``:
    stop after the step of that name.
    """
    action = load_action(action_dir)
    assert action['runs']['using'] == 'composite'
    declared = action.get('inputs') or {}
    given = {k: v for k, v in (inputs or {}).items()}
    unknown = set(given) - set(declared)
    assert not unknown, f'inputs the action does not declare: {unknown}'
    github = runner.github(action_dir)
    base_context: dict[str, Any] = {
        'github': github,
        'runner': runner.runner(),
        'env': {},
        'inputs': {},
    }
    values: dict[str, str] = {}
    for name, spec in declared.items():
        if name in given:
            values[name] = interpolate(given[name], base_context)
        else:
            values[name] = interpolate(spec.get('default', ''), base_context)
    steps_ctx: dict[str, Any] = {}
    context: dict[str, Any] = {**base_context, 'inputs': values, 'steps': steps_ctx}
    results: list[StepResult] = []
    status = 'success'
    for step in action['runs']['steps']:
        name = step.get('name') or step.get('id') or step.get('uses') or 'step'
        if not condition(step.get('if'), context, status):
            results.append(StepResult(name, 'skipped'))
            continue
        env = runner.base_env()
        env['GITHUB_ACTION_PATH'] = str(action_dir)
        step_env = {k: interpolate(v, context, status) for k, v in (step.get('env') or {}).items()}
        env.update(step_env)
        if 'uses' in step:
            uses = step['uses']
            key = uses.split('@')[0]
            provider = (providers or {}).get(key)
            if provider is None:
                raise AssertionError(f'action.yml uses {uses!r}: the harness has no provider for it')
            with_ = {k: interpolate(v, context, status) for k, v in (step.get('with') or {}).items()}
            result = provider(with_, runner)
            result.name = name
        else:
            script = step['run']
            assert '${{' not in script, f'step {name!r}: an expression inside run:'
            cwd = runner.workspace
            if step.get('working-directory'):
                cwd = cwd / interpolate(step['working-directory'], context, status)
            result = runner.run_script(name, script, step.get('shell'), env, cwd)
        results.append(result)
        if step.get('id'):
            steps_ctx[step['id']] = {
                'outputs': result.outputs,
                'outcome': result.outcome,
                'conclusion': result.outcome,
            }
        if result.outcome == 'failure' and not step.get('continue-on-error'):
            status = 'failure'
        if until is not None and name == until:
            break
    outputs = {
        name: interpolate(spec.get('value', ''), context, status)
        for name, spec in (action.get('outputs') or {}).items()
    }
    return ActionResult(status, outputs, results)


# -- providers for `uses:` steps -------------------------------------------------


def setup_python(with_: dict[str, str], runner: Runner) -> StepResult:
    """actions/setup-python: this machine already has the Python the tests
    run on. The action must not change the job's environment."""
    assert with_.get('update-environment') == 'false', (
        "setup-python must not change the job's Python (update-environment: false)"
    )
    assert sys.version_info >= (3, 11)
    version = '.'.join(map(str, sys.version_info[:3]))
    return StepResult('setup-python', 'success', {'python-path': sys.executable, 'python-version': version})


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ('git', *args),
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def checkout(origin_url: str, merge_ref: str | None = None) -> Provider:
    """actions/checkout for a pull_request event: init, add origin, fetch
    the merge commit (or ``ref``) ``fetch-depth`` deep (default 1), check it
    out detached, as actions/checkout does."""

    def provide(with_: dict[str, str], runner: Runner) -> StepResult:
        ws = runner.workspace / (with_.get('path') or '')
        ws.mkdir(parents=True, exist_ok=True)
        depth = int(with_.get('fetch-depth') or 1)
        ref = with_.get('ref') or runner.sha
        git(ws, 'init', '-q')
        git(ws, 'remote', 'add', 'origin', origin_url)
        base = ['fetch', '--no-tags', '--prune', '--no-recurse-submodules', '-q']
        if depth > 0:
            git(ws, *base, f'--depth={depth}', 'origin', f'+{ref}:refs/remotes/pull/checkout')
        else:
            git(ws, *base, 'origin', '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*')
            git(ws, *base, 'origin', f'+{ref}:refs/remotes/pull/checkout')
        git(ws, 'checkout', '-q', '--force', 'refs/remotes/pull/checkout')
        return StepResult('checkout', 'success', {})

    return provide


@dataclass
class Artifacts:
    """actions/upload-artifact and actions/download-artifact over a folder."""

    root: Path
    uploads: list[tuple[str, str]] = field(default_factory=list)

    def upload(self, with_: dict[str, str], runner: Runner) -> StepResult:
        name = with_['name']
        src = Path(with_['path'])
        if not src.is_absolute():
            src = runner.workspace / src
        assert src.is_file(), f'upload-artifact: no file {src}'
        dest = self.root / str(runner.run_id) / name
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest / src.name)
        self.uploads.append((name, str(src)))
        return StepResult('upload-artifact', 'success', {'artifact-id': '1'})

    def download(self, with_: dict[str, str], runner: Runner) -> StepResult:
        run_id = with_.get('run-id') or str(runner.run_id)
        src = self.root / run_id / with_['name']
        if not src.is_dir():
            return StepResult(
                'download-artifact', 'failure', {}, stderr=f'no artifact {with_["name"]} in run {run_id}'
            )
        dest = Path(with_.get('path') or runner.workspace)
        dest.mkdir(parents=True, exist_ok=True)
        for f in src.iterdir():
            shutil.copy(f, dest / f.name)
        return StepResult('download-artifact', 'success', {'download-path': str(dest)})


@dataclass
class JobResult:
    outcome: str
    steps: list[StepResult]
    actions: list[ActionResult]
    summary: str

    @property
    def commands(self) -> list[Command]:
        return [c for s in self.steps for c in s.commands] + [c for a in self.actions for c in a.commands]

    def annotations(self, level: str) -> list[Command]:
        return [c for c in self.commands if c.name == level]


def run_workflow(
    text: str,
    runner: Runner,
    action_dir: Path,
    providers: Mapping[str, Provider],
    action_providers: Mapping[str, Provider] | None = None,
) -> JobResult:
    """Run the one job of workflow ``text`` for ``runner``'s event. A
    ``uses:`` naming a review-trigger action runs ``action_dir``'s."""
    workflow = yaml.safe_load(text)
    on = workflow.get('on', workflow.get(True))
    events = [on] if isinstance(on, str) else list(on)
    assert runner.event_name in events, f'{runner.event_name} does not start this workflow'
    [(job_id, job)] = workflow['jobs'].items()
    status = 'success'
    steps_ctx: dict[str, Any] = {}
    context: dict[str, Any] = {
        'github': runner.github(),
        'runner': runner.runner(),
        'env': {},
        'steps': steps_ctx,
        'secrets': {'GITHUB_TOKEN': runner.token},
    }
    concurrency = workflow.get('concurrency')
    if isinstance(concurrency, dict):
        # Only github and inputs are available there; it must evaluate.
        group = interpolate(concurrency['group'], {'github': runner.github(), 'inputs': {}})
        assert group.strip('-') and not group.endswith('-'), group
    if not condition(job.get('if'), context, status):
        return JobResult('skipped', [], [], '')
    results: list[StepResult] = []
    actions: list[ActionResult] = []
    for step in job['steps']:
        name = step.get('name') or step.get('uses') or step.get('id') or 'step'
        if not condition(step.get('if'), context, status):
            results.append(StepResult(name, 'skipped'))
            continue
        with_ = {k: interpolate(v, context, status) for k, v in (step.get('with') or {}).items()}
        if 'uses' in step:
            key = step['uses'].split('@')[0]
            if key.split('/')[-1] == 'review-trigger' or key == './':
                action = run_action(action_dir, runner, with_, action_providers)
                actions.append(action)
                result = StepResult(
                    name, action.outcome, action.outputs, stdout=action.stdout, stderr=action.stderr
                )
            else:
                provider = providers.get(key)
                if provider is None:
                    raise AssertionError(f'the workflow uses {key!r}: no provider')
                result = provider(with_, runner)
                result.name = name
        else:
            env = runner.base_env()
            env.update({k: interpolate(v, context, status) for k, v in (step.get('env') or {}).items()})
            result = runner.run_script(name, step['run'], step.get('shell'), env, runner.workspace)
        results.append(result)
        if step.get('id'):
            steps_ctx[step['id']] = {
                'outputs': result.outputs,
                'outcome': result.outcome,
                'conclusion': result.outcome,
            }
        if result.outcome == 'failure' and not step.get('continue-on-error'):
            status = 'failure'
    return JobResult(status, results, actions, ''.join(runner.job_summary))


# -- FakeGitHub with pull requests -------------------------------------------------

_PULL = re.compile(r'/repos/([^/]+/[^/]+)/pulls/(\d+)')


class _PullsHandler(_Handler):
    def _route(
        self,
        path: str,
        query: dict[str, list[str]],
        body: Any,
    ) -> tuple[int, dict[str, str], Any]:
        m = _PULL.fullmatch(path)
        if m and self.command == 'GET':
            fake = self.server.fake
            assert isinstance(fake, FakeGitHubWithPulls)
            head = fake.pulls.get((m.group(1), int(m.group(2))))
            if head is None:
                raise _Reply(404)
            number = int(m.group(2))
            key = (m.group(1), number)
            head_repo = fake.pull_head_repos.get(key)
            ref = fake.pull_head_refs.get(key, 'topic')
            return (
                200,
                {},
                {
                    'number': number,
                    'state': 'open',
                    'url': f'{fake.url}/repos/{m.group(1)}/pulls/{number}',
                    'head': {
                        'sha': head,
                        'ref': ref,
                        'label': f'{(head_repo or "ghost/x").split("/")[0]}:{ref}',
                        **({'repo': {'full_name': head_repo}} if head_repo else {}),
                    },
                    'base': {
                        'sha': fake.pull_bases.get(key, '0' * 40),
                        'ref': 'main',
                        'repo': {'full_name': m.group(1)},
                    },
                },
            )
        return super()._route(path, query, body)


class FakeGitHubWithPulls(FakeGitHub):
    """FakeGitHub that also answers ``GET /repos/{o}/{r}/pulls/{n}`` with
    the head sha set in ``pulls[(repo, number)]``, the base sha in
    ``pull_bases``, the head repository in ``pull_head_repos`` (none: a
    deleted fork) and its branch in ``pull_head_refs``."""

    handler = _PullsHandler

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pulls: dict[tuple[str, int], str] = {}
        self.pull_bases: dict[tuple[str, int], str] = {}
        self.pull_head_repos: dict[tuple[str, int], str] = {}
        self.pull_head_refs: dict[tuple[str, int], str] = {}
