"""The routing table (sections 2, 8 and 9 of the design), as data.

Three tiers, lowest first: ``execute`` (fast, cheap, mechanical),
``generate`` (balanced, production) and ``reason`` (deep, critical,
expensive). Each task type names the tier it needs; each tier names the
model recommended for it, the model names that belong to it, and what each
vendor calls it.

This module is plain Python data on purpose: the pre-commit hook imports
routing on every commit, and parsing a YAML file there would cost more
than the rest of the hook's start-up. The configuration's ``routing:``
key replaces or extends it (``build``); ``review-trigger config`` prints
the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

TierId = Literal['execute', 'generate', 'reason']
TIERS: tuple[TierId, ...] = ('execute', 'generate', 'reason')  # lowest first


class Tier(NamedTuple):
    id: str
    role: str  # "fast/cheap/mechanical"
    model: str  # the model recommended for the tier
    cost: str  # approximate cost per task
    models: tuple[str, ...]  # model-name patterns of the tier
    vendors: tuple[tuple[str, str], ...]  # (vendor, its model for the tier)
    # (API, the model id it is called for the tier): the reason tier's is
    # the review's default model (review/settings.py). Section 8's vendor
    # map names model families ("Opus", "o1 / o3"), which no API accepts.
    api: tuple[tuple[str, str], ...] = ()


class TaskType(NamedTuple):
    id: str  # the first of ``names``
    names: tuple[str, ...]  # section 9's group: security_review, pii_scan, ...
    title: str  # section 2's row: "Security review: secrets, ..."
    label: str  # short, for sentences: "security review"
    tier: str
    cost: str
    why: str  # section 2: why this model
    notes: str  # section 9's notes
    keywords: tuple[str, ...]  # words that classify a planned task


class Table(NamedTuple):
    tiers: tuple[Tier, ...]  # lowest first
    task_types: tuple[TaskType, ...]

    @property
    def top(self) -> Tier:
        """The highest tier: the strongest model, the one a review needs."""
        return self.tiers[-1]

    def tier(self, tier_id: str) -> Tier | None:
        for t in self.tiers:
            if t.id == tier_id:
                return t
        return None

    def task(self, name: str) -> TaskType | None:
        """The task type ``name`` is one of the names of."""
        for t in self.task_types:
            if name in t.names:
                return t
        return None

    def task_tier(self, name: str) -> str:
        """The tier task type ``name`` needs; a name the table does not
        know needs the highest (under-routing is the dangerous failure)."""
        task = self.task(name)
        return task.tier if task is not None else TIERS[-1]

    def rank(self, tier_id: str) -> int:
        """0 for the lowest tier; -1 for a tier the table does not have."""
        return TIERS.index(tier_id) if tier_id in TIERS else -1  # type: ignore[arg-type,unused-ignore]

    def of_tier(self, tier_id: str) -> tuple[TaskType, ...]:
        return tuple(t for t in self.task_types if t.tier == tier_id)

    @property
    def patterns(self) -> tuple[tuple[str, str], ...]:
        """Model-name patterns -> tier, the most specific (most words) first,
        so that "gpt 4o mini" is tried before "gpt 4o"."""
        entries = [(p, t.id) for t in self.tiers for p in t.models]
        return tuple(sorted(entries, key=lambda e: -len(e[0].replace('.', ' ').split())))


_LOCAL = 'Open source (local)'

TIER_TABLE: tuple[Tier, ...] = (
    Tier(
        'execute',
        'fast/cheap/mechanical',
        'Haiku',
        '~$0.001',
        (
            'haiku',
            'gpt 4o mini',
            'gpt 4.1 mini',
            'gpt 4.1 nano',
            'gpt 5 mini',
            'gpt 5 nano',
            'o1 mini',
            'o3 mini',
            'o4 mini',
            'gemini flash',
            'flash',
            'mistral small',
            'ministral',
        ),
        (
            ('Anthropic', 'Haiku'),
            ('OpenAI', 'GPT-4o Mini'),
            ('Google', 'Gemini Flash'),
            ('Mistral', 'Mistral Small'),
            (_LOCAL, 'Llama, Mistral, DeepSeek (Ollama or similar)'),
        ),
    ),
    Tier(
        'generate',
        'balanced/production',
        'Sonnet',
        '~$0.01',
        (
            'sonnet',
            'gpt 4o',
            'gpt 4.1',
            'gpt 4',
            'gemini pro',
            'mistral medium',
            'mistral large',
            'codestral',
            'devstral',
        ),
        (
            ('Anthropic', 'Sonnet'),
            ('OpenAI', 'GPT-4o'),
            ('Google', 'Gemini Pro'),
            ('Mistral', 'Mistral Large'),
            (_LOCAL, 'Llama, Mistral, DeepSeek (Ollama or similar)'),
        ),
    ),
    Tier(
        'reason',
        'deep/critical/expensive',
        'Opus',
        '~$0.10',
        (
            'opus',
            'gpt 5',
            'o1',
            'o3',
            'gemini ultra',
        ),
        (
            ('Anthropic', 'Opus'),
            ('OpenAI', 'o1 / o3'),
            ('Google', 'Gemini Ultra'),
            ('Mistral', '--'),
            (_LOCAL, '-- (weakest here: use a cloud model)'),
        ),
        (('anthropic', 'claude-opus-4-8'), ('openai', 'gpt-5')),
    ),
)


def _task(names: str, title: str, label: str, tier: str, why: str, notes: str, keywords: str) -> TaskType:
    ids = tuple(names.split())
    cost = next(t.cost for t in TIER_TABLE if t.id == tier)
    return TaskType(
        ids[0],
        ids,
        title,
        label,
        tier,
        cost,
        why,
        notes,
        tuple(k.strip() for k in keywords.split(',') if k.strip()),
    )


# Section 2's eleven rows, with section 9's groups and notes, and a twelfth
# from section 9 (ADR writing), which the document trigger routes to.
TASK_TABLE: tuple[TaskType, ...] = (
    _task(
        'file_lookup retrieval quick_summary',
        'Quick lookups, file reads, retrieval',
        'quick lookups',
        'execute',
        'No reasoning required. Speed matters. Information extraction, not analysis.',
        'retrieval, not reasoning; speed over depth',
        'lookup, look up, file lookup, find where, locate, read file, file read, '
        'retrieve, retrieval, quick summary, summarize, list files, grep',
    ),
    _task(
        'config_edit formatting naming_fix',
        'Config edits, formatting, naming fixes',
        'config edits',
        'execute',
        'Mechanical transformation. Pattern-matching is sufficient. No judgment needed.',
        'mechanical tasks; pattern-matching sufficient',
        'config, configuration, config edit, setting, formatting, reformat, format, '
        'rename, naming fix, typo, yaml, toml, env var, environment variable, '
        'version bump, bump, timeout, flag, toggle',
    ),
    _task(
        'simple_test lint_fix boilerplate',
        'Simple tests, lint fixes, boilerplate',
        'simple tests',
        'execute',
        'Deterministic patterns. Haiku produces identical quality to Opus for these '
        'tasks at 1/100th the cost.',
        'deterministic patterns; no judgment required',
        'test, unit test, simple test, lint, lint fix, linter, boilerplate, scaffold, '
        'stub, fixture, type hint, mypy, ruff, eslint, flake8',
    ),
    _task(
        'code_generation connector sql_transform feature',
        'Code generation (connectors, features, transforms)',
        'code generation',
        'generate',
        'Follows complex instructions. Produces consistent structure. Handles '
        'multi-file changes with coherent patterns.',
        'good balance of quality and cost for structured code production',
        'implement, implementation, code generation, generate, feature, connector, '
        'endpoint, handler, sql transform, transform, sql, command, cli, script, '
        'integration, build, component, page',
    ),
    _task(
        'refactoring',
        'Refactoring existing code',
        'refactoring',
        'generate',
        'Pattern application across a defined scope. Does not require deep analysis '
        'of long-term consequences.',
        'pattern application across defined scope; not deep analysis',
        'refactor, refactoring, restructure, extract, split, clean up, cleanup, '
        'simplify, deduplicate, reorganize, modernize, move',
    ),
    _task(
        'documentation changelog release_notes',
        'Writing and updating documentation',
        'documentation',
        'generate',
        'Structured writing with consistent tone. 10x cheaper than Opus for '
        'equivalent documentation quality.',
        'structured writing; haiku too shallow, opus unnecessary',
        'documentation, docs, doc, readme, changelog, release notes, docstring, '
        'guide, tutorial, document, write up, usage',
    ),
    _task(
        'pr_review_conventions naming_check style_compliance',
        'PR review: naming, conventions, style compliance',
        'convention checks',
        'execute',
        'Rule-based checking. Does not require nuanced judgment: either the '
        'convention is followed or it is not.',
        'rule-based; follows or violates, no nuance',
        'convention, naming check, naming convention, style, style compliance, '
        'style guide, code style, pr review conventions',
    ),
    _task(
        'code_review_logic edge_case_analysis',
        'Code review: logic correctness, edge cases',
        'logic review',
        'reason',
        'Requires deep reasoning. Catching plausible-but-wrong logic requires '
        'holding the business context, the code path, and the edge cases simultaneously.',
        'catching plausible-but-wrong logic requires deep reasoning',
        'code review, logic review, review logic, logic, edge case, edge case analysis, '
        'correctness, invariant, review the change, review changes',
    ),
    _task(
        'architecture_decision trade_off_analysis',
        'Architecture decisions and trade-off analysis',
        'architecture decisions',
        'reason',
        'Cross-system reasoning. Must evaluate second and third-order consequences, '
        'compatibility with existing decisions, and long-term maintainability.',
        'cross-system reasoning; long-term consequences; must evaluate alternatives',
        'architecture, architectural, architecture decision, architecture review, '
        'trade off, tradeoff, trade-off analysis, design decision, system design, '
        'boundary, layer, data model, schema design, migration strategy',
    ),
    _task(
        'security_review pii_scan credential_check',
        'Security review: secrets, PII, unsafe patterns',
        'security review',
        'reason',
        'Zero tolerance for misses. Requires context-aware analysis that '
        'distinguishes real credentials from examples, real PII from test data.',
        'zero tolerance for misses; context-aware analysis required',
        'security, security review, secure, secret, credential, pii, pii scan, '
        'personal data, auth, authentication, authorization, oauth, token, '
        'password, encryption, crypto, permission, access control, vulnerability, '
        'cve, xss, csrf, injection, threat model, gdpr, hipaa',
    ),
    _task(
        'debugging_complex root_cause_analysis',
        'Debugging complex, multi-layer problems',
        'complex debugging',
        'reason',
        'Root cause analysis requires holding many variables simultaneously: call '
        'stack, data flow, state, configuration, timing.',
        'holding multiple system layers and state simultaneously',
        'debug, debugging, root cause, root cause analysis, deadlock, race condition, '
        'memory leak, flaky, intermittent, heisenbug, investigate, incident, outage, crash',
    ),
    _task(
        'adr_writing formal_decision_record',
        'ADR writing, formal decision records',
        'ADR writing',
        'reason',
        'Must evaluate alternatives, trade-offs, and long-term consequences.',
        'must evaluate alternatives, trade-offs, and long-term consequences',
        'adr, decision record, architecture decision record, formal decision record',
    ),
)

DEFAULT = Table(TIER_TABLE, TASK_TABLE)


# -- the configuration's ``routing:`` ----------------------------------------


def _apply(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``key`` replaces, ``extra_key`` extends: the configuration's rule."""
    out = dict(base)
    for key, value in overrides.items():
        if key.startswith('extra_'):
            name = key[len('extra_') :]
            if isinstance(out.get(name), dict):
                out[name] = {**out[name], **value}
            else:
                out[name] = [*out.get(name, ()), *value]
        else:
            out[key] = value
    return out


def _tier_data(t: Tier) -> dict[str, Any]:
    return {
        'role': t.role,
        'model': t.model,
        'cost': t.cost,
        'models': list(t.models),
        'vendors': dict(t.vendors),
        'api': dict(t.api),
    }


def _task_data(t: TaskType) -> dict[str, Any]:
    return {
        'tier': t.tier,
        'title': t.title,
        'label': t.label,
        'names': list(t.names),
        'cost': t.cost,
        'why': t.why,
        'notes': t.notes,
        'keywords': list(t.keywords),
    }


def as_data(table: Table) -> dict[str, Any]:
    """The table as the configuration's ``routing:`` spells it."""
    return {
        'tiers': {t.id: _tier_data(t) for t in table.tiers},
        'task_types': {t.id: _task_data(t) for t in table.task_types},
    }


class RoutingError(ValueError):
    """A ``routing:`` configuration that makes no table (the message says why)."""


def build(data: Mapping[str, Any] | None, base: Table = DEFAULT) -> Table:
    """``base`` with the configuration's ``routing:`` (already validated by
    the schema) applied. ``tiers.<id>`` changes fields of a tier;
    ``task_types`` replaces every task type, ``extra_task_types`` adds
    types or changes fields of existing ones (by any of their names)."""
    if not data:
        return base
    tiers = []
    for t in base.tiers:
        merged = _apply(_tier_data(t), (data.get('tiers') or {}).get(t.id, {}))
        tiers.append(
            Tier(
                t.id,
                merged['role'],
                merged['model'],
                merged['cost'],
                tuple(merged['models']),
                tuple(merged['vendors'].items()),
                tuple(merged['api'].items()),
            )
        )
    costs = {t.id: t.cost for t in tiers}
    specs: dict[str, dict[str, Any]] = {}
    if 'task_types' not in data:
        base_costs = {t.id: t.cost for t in base.tiers}
        for task in base.task_types:
            specs[task.id] = _task_data(task)
            if task.cost == base_costs.get(task.tier):
                del specs[task.id]['cost']  # follows its tier's cost
    new = dict(data.get('task_types') or {})
    for name, spec in (data.get('extra_task_types') or {}).items():
        owner = next((k for k, s in specs.items() if name == k or name in s['names']), None)
        if owner is None:
            new[name] = spec
        else:
            specs[owner] = _apply(specs[owner], spec)
    for name, spec in new.items():
        if 'tier' not in spec:
            raise RoutingError(f'task type {name!r} needs a tier (execute, generate or reason)')
        specs[name] = _apply(
            {
                'title': name.replace('_', ' ').capitalize(),
                'label': name.replace('_', ' '),
                'names': [name],
                'why': '',
                'notes': '',
                'keywords': [name.replace('_', ' ')],
            },
            spec,
        )
    tasks = []
    seen: dict[str, str] = {}
    for key, s in specs.items():
        names = tuple(dict.fromkeys([key, *s['names']]))
        for n in names:
            if n in seen:
                raise RoutingError(f'task type name {n!r} is in both {seen[n]!r} and {key!r}')
            seen[n] = key
        cost = s.get('cost') or costs[s['tier']]
        tasks.append(
            TaskType(
                key,
                names,
                s['title'],
                s['label'],
                s['tier'],
                cost,
                s['why'],
                s['notes'],
                tuple(s['keywords']),
            )
        )
    return Table(tuple(tiers), tuple(tasks))
