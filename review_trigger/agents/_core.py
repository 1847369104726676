"""What every agent's hooks share: events in, answers out, and the session
records between them.

A session's start is recorded in ``<git dir>/review-trigger/sessions/<id>.json``
(its model and the commit HEAD was at). At its stop the change from that
commit to the working tree is analysed, so work committed during the
session counts too. When a trigger fires the prompt is written to
``<git dir>/review-trigger/prompt.md`` and the stop is blocked once, unless
the session's model is reason-tier (then a note), the agent is already
continuing because of a stop hook, or every trigger fired on the same files
when it was reported before in this session. The configuration in force is
the one committed at the session's start, so the session cannot switch off
its own review.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple

from review_trigger import git
from review_trigger.errors import UserError
from review_trigger.files import read_own_json
from review_trigger.options import PROG

FOLDER = 'review-trigger'  # under the git directory, as the pre-commit hook's
SESSIONS = 'sessions'
PROMPT_FILE = 'prompt.md'
RECORD_VERSION = 1
MAX_EVENT_BYTES = 16 << 20  # a transcript is passed by path, never inline
MAX_MODEL_CHARS = 100
_SAFE_ID = re.compile(r'[A-Za-z0-9][A-Za-z0-9_-]{0,99}')
_CONTROL = re.compile(r'[\x00-\x1f\x7f]')


class BadEvent(UserError):
    """The hook's input is not an event this agent documents."""


Kind = Literal['start', 'stop', 'other']


def kind_of(name: str, starts: tuple[str, ...], stops: tuple[str, ...]) -> Kind:
    return 'start' if name in starts else 'stop' if name in stops else 'other'


class Event(NamedTuple):
    kind: Kind
    name: str  # the agent's own event name
    session_id: str
    model: str | None = None
    cwd: str | None = None
    # The agent is already continuing because a stop hook blocked: never
    # block again (Claude Code's stop_hook_active, Cursor's loop_count).
    continuing: bool = False
    # The turn ended by the user or an error, not by the agent: do not
    # make it go on.
    aborted: bool = False
    # Record the start, say nothing (Cursor's beforeSubmitPrompt).
    quiet: bool = False


class Answer(NamedTuple):
    kind: Literal['none', 'context', 'block', 'note', 'error']
    event: str = ''  # the agent's event name it answers, if known
    text: str = ''
    # For the user, besides a block (the next session's recommendation):
    # the block's reason goes to the agent and stays short.
    note: str = ''


class Agent(NamedTuple):
    """One agent: its event parser, its output format and its settings."""

    name: str
    parse: Callable[[Mapping[str, Any]], Event]
    render: Callable[[Answer], str]  # the stdout text ('' for nothing)
    settings: str  # the project settings file, from the root


class Record(NamedTuple):
    """A session as recorded at its start."""

    agent: str
    session_id: str
    model: str | None
    start: str | None  # HEAD at the start; None before the first commit
    started: str  # ISO 8601
    # Fingerprints of what was reported: each trigger with each file it
    # fired on (``_items``), and the plan's recommendations shown.
    reported: tuple[str, ...] = ()
    # The working tree at the start (its snapshot's tree): the stop's diff
    # starts from it, so that work left uncommitted before the session is
    # not taken for the session's. None: from ``start`` (no start was seen,
    # or no snapshot could be made).
    tree: str | None = None


# -- reading events ----------------------------------------------------------------


def load_event(data: bytes) -> Mapping[str, Any]:
    if len(data) > MAX_EVENT_BYTES:
        raise BadEvent(f'the hook event is larger than {MAX_EVENT_BYTES >> 20} MB')
    try:
        # utf-8-sig: Cursor on Windows starts the event with a byte-order mark.
        event = json.loads(data.decode('utf-8-sig'))
    except (UnicodeDecodeError, ValueError):
        raise BadEvent('the hook event on stdin is not JSON')
    except RecursionError:
        # Valid JSON can nest deeper than the parser's recursion allows.
        raise BadEvent('the hook event on stdin is nested too deeply to parse')
    if not isinstance(event, dict):
        raise BadEvent('the hook event on stdin is not a JSON object')
    return event


def text_field(data: Mapping[str, Any], key: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == '':
        if required:
            raise BadEvent(f'the hook event has no {key!r}')
        return None
    if not isinstance(value, str):
        raise BadEvent(f"the hook event's {key!r} is not a string")
    return value


def model_field(data: Mapping[str, Any], key: str = 'model') -> str | None:
    """The event's model name, shortened and without control characters
    (it is shown to the user and to the agent)."""
    value = data.get(key)
    if not isinstance(value, str):
        return None
    value = _CONTROL.sub('', value).strip()[:MAX_MODEL_CHARS]
    if not value:
        return None
    from review_trigger import routing

    found = routing.model_from_trailer(value)
    return routing.pretty(found) if found else value


def flag(data: Mapping[str, Any], key: str) -> bool:
    return data.get(key) is True


# -- session records ---------------------------------------------------------------


def session_file(repo: git.Repo, session_id: str) -> str:
    """Where a session is recorded. The id comes from the agent's event, so
    anything but a plain name is hashed: it can never name another file."""
    name = (
        session_id
        if _SAFE_ID.fullmatch(session_id)
        else 'h-' + hashlib.sha256(session_id.encode('utf-8', 'surrogatepass')).hexdigest()[:40]
    )
    return os.path.join(repo.git_dir, FOLDER, SESSIONS, f'{name}.json')


def read_record(path: str) -> Record | None:
    """The recorded session, or None (none, or not one we wrote: a record
    that cannot be read is started again rather than trusted)."""
    data = read_own_json(path)
    if not isinstance(data, dict):
        return None
    try:
        start = data['start']
        model = data.get('model')
        reported = data.get('reported', [])
        tree = data.get('tree')
        if (
            data.get('version') != RECORD_VERSION
            or not (start is None or _is_sha(start))
            or not (tree is None or _is_sha(tree))
            or not (model is None or isinstance(model, str))
            or not isinstance(reported, list)
            or not all(isinstance(r, str) for r in reported)
        ):
            return None
        return Record(
            str(data.get('agent', '')),
            str(data.get('session_id', '')),
            model,
            start,
            str(data.get('started', '')),
            tuple(reported),
            tree,
        )
    except (KeyError, TypeError, AttributeError):
        return None


def _is_sha(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r'[0-9a-f]{40,64}', value) is not None


def write_record(path: str, record: Record) -> None:
    from review_trigger.output import write_atomic

    data = {'version': RECORD_VERSION, **record._asdict(), 'reported': list(record.reported)}
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=True) + '\n')


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')


def _new_record(agent: str, event: Event, repo: git.Repo, snapshot: bool = True) -> Record:
    """The session as it starts now: HEAD, and (``snapshot``) the working
    tree's snapshot, so that what is uncommitted now is not the session's."""
    tree = None
    if snapshot:
        try:
            tree = git.snapshot(repo)
        except UserError:
            pass  # (a read-only repository, a file it may not read): from HEAD
    return Record(agent, event.session_id, event.model, git.head(repo), _now(), tree=tree)


# -- the decisions -----------------------------------------------------------------


class Options(NamedTuple):
    session_model: str | None = None
    config_path: str | None = None
    environ: Mapping[str, str] = {}


def handle(agent: str, event: Event, repo: git.Repo, options: Options) -> Answer:
    if event.kind == 'start':
        return start(agent, event, repo, options)
    if event.kind == 'stop':
        return stop(agent, event, repo, options)
    return Answer('none', event.name)


def start(agent: str, event: Event, repo: git.Repo, options: Options) -> Answer:
    """Record the session (a resumed one keeps its start) and tell the
    agent its model and tier."""
    path = session_file(repo, event.session_id)
    stored = read_record(path)
    record = stored or _new_record(agent, event, repo)
    if stored is not None and event.model and event.model != stored.model:
        record = record._replace(model=event.model)
    config: Any = None
    failed: UserError | None = None
    if record != stored or not event.quiet:
        try:
            config = _session_config(repo, record, options)
        except UserError as e:
            # The session is recorded all the same; the answer says why not.
            failed = e
        # Masked on disk as in every answer (a record written before masking
        # is masked at the next start).
        record = record._replace(model=_masked_model(record.model, config))
        if record != stored:
            write_record(path, record)
    if event.quiet:
        return Answer('none', event.name)
    if failed is not None:
        raise failed
    from review_trigger.agents import _context
    from review_trigger.options import ENV_SESSION_MODEL

    model = (
        record.model or options.session_model or options.environ.get(ENV_SESSION_MODEL, '').strip() or None
    )
    return _masked(Answer('context', event.name, _context.announcement(model, config)), config)


def stop(agent: str, event: Event, repo: git.Repo, options: Options) -> Answer:
    """Analyse the session's change; block once when it needs a stronger
    model's review."""
    from review_trigger import pipeline

    path = session_file(repo, event.session_id)
    record = read_record(path)
    if record is None:
        # No start was seen (a hook installed mid-session, an agent without
        # a start event): the session is taken to start now, from HEAD, so
        # its uncommitted work is analysed and later commits count.
        record = _new_record(agent, event, repo, snapshot=False)
        if record.model is not None:
            try:
                config = _session_config(repo, record, options)
            except UserError:
                config = None  # the run below says why
            record = record._replace(model=_masked_model(record.model, config))
        write_record(path, record)
    base = record.start
    # A start snapshot pruned since (nothing refers to it: `git gc
    # --prune=now` removes it): from the start's commit, the work
    # uncommitted then included, rather than not at all.
    tree = record.tree if record.tree is not None and git.has_object(repo, record.tree, 'tree') else None
    label = f'session start {base[:12] if base else "(no commit)"}..working tree'
    outcome = pipeline.run(
        pipeline.Request(
            # The configuration is the one committed at the session's start
            # (unless the hook's command names one: the user's choice): the
            # session cannot switch off its own review by editing it.
            range=lambda r: git.worktree_range(
                r, base, label, config_from_base=options.config_path is None, tree_base=tree
            ),
            session_model=record.model or event.model or options.session_model,
            config_path=options.config_path,
            environ=options.environ,
        ),
        repo,
    )
    answer, reported = _verdict(event, repo, outcome, record)
    answer, reported = _with_plan(answer, repo, outcome.config, reported)
    if reported != record.reported:
        write_record(path, record._replace(reported=reported))
    return _masked(answer, outcome.config)


def _session_config(repo: git.Repo, record: Record, options: Options) -> Any:
    """The configuration the session's stop will use: the one committed at
    its start (unless the hook's command names one)."""
    from review_trigger import pipeline

    rng = git.resolve_range(repo)
    if options.config_path is None and record.start is not None:
        rng = rng._replace(config_base=record.start)
    return pipeline.config_for(repo, rng, options.config_path, repo.root)


def _masked_model(model: str | None, config: Any) -> str | None:
    """The event's model name as the answers show it, masked by the secret
    rules of ``config`` (the built-in ones when it could not be loaded): a
    secret the agent sent as its model is kept nowhere."""
    if model is None:
        return None
    from review_trigger import redact
    from review_trigger.config import default_config

    return redact.for_config(default_config() if config is None else config).text(model)


def _masked(answer: Answer, config: Any) -> Answer:
    """``answer`` with its words masked: they hold the configuration's
    (the routing table's model names) and the session's model name."""
    from review_trigger import redact

    red = redact.for_config(config)
    return answer._replace(text=red.text(answer.text), note=red.text(answer.note))


def _with_plan(
    answer: Answer, repo: git.Repo, config: Any, reported: tuple[str, ...]
) -> tuple[Answer, tuple[str, ...]]:
    """``answer`` with the next session's recommendation (section 6) when
    the repository has a plan file. It is for the user, not the agent: a
    note, or beside a block, never in the block's reason; and shown once per
    session until the plan's recommendation changes (a stop hook runs after
    every turn)."""
    from review_trigger import routing
    from review_trigger.routing.plan import DEFAULT_PLAN

    plan = getattr(config, 'plan', None) or DEFAULT_PLAN
    text = routing.next_session(os.path.join(repo.root, plan), config)
    if text is None:
        return answer, reported
    fingerprint = 'plan-' + hashlib.sha256(text.encode()).hexdigest()[:32]
    if fingerprint in reported:
        return answer, reported
    reported = (*reported, fingerprint)
    text = f'{PROG}: from {plan}:\n{text.rstrip()}'
    if answer.kind == 'block':
        return answer._replace(note=text), reported
    if answer.kind == 'note':
        return answer._replace(text=f'{answer.text}\n\n{text}'), reported
    return Answer('note', answer.event, text), reported


def _verdict(event: Event, repo: git.Repo, outcome: Any, record: Record) -> tuple[Answer, tuple[str, ...]]:
    """The answer to the session's change, and the changes reported so far."""
    from review_trigger import routing
    from review_trigger.output import write_atomic

    reported = record.reported
    if outcome.prompt is None:
        return Answer('none', event.name), reported
    prompt_path = os.path.join(repo.git_dir, FOLDER, PROMPT_FILE)
    write_atomic(prompt_path, outcome.prompt)
    fired = outcome.fired
    new = [item for item in _items(outcome.analysis.findings) if item not in reported]
    if not new:
        return Answer('none', event.name), reported
    reported = (*reported, *new)
    shown = _shown(prompt_path, repo.root)
    ids = ', '.join(fired)
    models = outcome.session.models
    top = routing.table_of(outcome.config).top
    reason_tier = bool(models) and all(m.tier == top.id for m in models)
    if reason_tier or event.continuing or event.aborted:
        return Answer(
            'note',
            event.name,
            (
                f"{PROG}: {ids} fired on this session's change; the review prompt is in "
                f'{shown}. A second pair of eyes is still worth having: review it in a '
                f'fresh session.'
            ),
        ), reported
    if not models:
        who = 'unknown (tier unknown)'
    elif outcome.session.source == 'trailers':
        # Names read from the commits are the change's text: tiers only.
        who = ', '.join(f'{m.tier} tier' for m in models) + " (from the commits' trailers)"
    else:
        who = ', '.join(f'{m.name} ({m.tier} tier)' for m in models)
    return Answer(
        'block',
        event.name,
        (
            f"{PROG}: this session's change fired {ids}, and its model is {who}. "
            f'It needs a review by the strongest ({top.id}-tier) model. The review prompt is '
            f'in {shown}. Do not review it yourself: tell the user that the change needs '
            f'that review, and that they can run it by giving {shown} to a fresh session '
            f'with a {top.id}-tier model (such as {_CONTROL.sub("", top.model)[:40]}); then stop.'
        ),
    ), reported


def _items(findings: Any) -> list[str]:
    """What a stop reports, each a trigger and a file it fired on (as
    fingerprints): a later stop answers only for one that is new. A stop
    hook runs after every turn, and a turn that fixes a typo beside a
    reported change has nothing new to say."""
    out = []
    for finding in findings:
        for path in finding.files or ('',):
            key = f'{finding.trigger}\0{path}'.encode('utf-8', 'surrogatepass')
            out.append('f-' + hashlib.sha256(key).hexdigest()[:16])
    return list(dict.fromkeys(out))


def _shown(path: str, root: str) -> str:
    rel = os.path.relpath(path, root)
    return path if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel
