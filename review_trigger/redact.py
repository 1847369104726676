"""The one redaction step: every string taken from the change is shown
with each span a secret rule matches masked.

A detected secret must never reach an output, and the ways text from the
change reaches one are many: paths, old paths, dependency entries,
suppression reasons, commit messages, definitions, trailers, branch names,
the diff itself; and the configuration's own words that are shown (the
reviewer's name, a custom trigger's id, description and concern, a rule's
name, an error message quoting a value). So the masking is done once, on
the records (``analysis``) and on any further text (``Redactor.text``),
before anything is rendered.

The secret rules are the security trigger's content rules that match a
credential's shape (not the ones that match an import or an unsafe call,
which the reviewer must see), plus a PEM private key's whole block: the
rule only matches its first line, while the key is the lines after it.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from review_trigger.analyze import Analysis
    from review_trigger.config import Config
    from review_trigger.memo import Memo

# Names of the built-in security rules that match a secret's shape.
SECRET_RULES = frozenset(
    (
        'private key block',
        'AWS access key id',
        'GitHub token',
        'Slack token',
        'Stripe secret key',
        'Google API key',
        'credentials in URL',
        'credential assignment',
    )
)
# A rule whose name says it matches a credential is a secret rule too (so
# shapes added to the defaults or by a configuration are masked), unless
# it names code that handles credentials rather than a credential.
_SECRET_NAME = re.compile(
    r'(?i)\b(keys?|tokens?|secrets?|passwords?|passwd|credentials?|webhooks?|'
    r'connection strings?|jwts?|pat|private)\b',
)
_NOT_SECRET_NAME = re.compile(
    r'(?i)\b(import|imports|verif\w*|disabled?|off|weak\w*|hash\w*|algorithms?|'
    r'handling|check\w*|cookie|header)\b',
)
_PEM_BLOCK = (
    'private key block',
    r'-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?'
    r'(?:-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\Z)',
)


def is_secret_rule(name: str) -> bool:
    return name in SECRET_RULES or (
        _SECRET_NAME.search(name) is not None and _NOT_SECRET_NAME.search(name) is None
    )


def mask(rule: str) -> str:
    """What a masked span shows: the rule's kind, never the value."""
    return f'[secret masked: {rule}]'


class Rule(NamedTuple):
    """A secret rule's regex, compiled when first searched with: its word
    edges loosened (``_loosened``), or as it is (``loosen`` False)."""

    source: str
    loosen: bool = True

    @property
    def compiled(self) -> re.Pattern[str]:
        return _compile(self.source, self.loosen)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return _compile(self.source, self.loosen).search(text, pos, endpos)

    def sub(self, repl: str, text: str) -> str:
        return _compile(self.source, self.loosen).sub(repl, text)


class Redactor(NamedTuple):
    rules: tuple[tuple[str, Rule], ...]
    # Per rule, the regex its gate is made from (``_gate``: a superset of
    # the rule's matches, fast to search from a literal), or None for the
    # rule itself.
    sources: tuple[str | None, ...] = ()
    # Per rule (with a run's memo), strings one of which every match of it
    # holds, lower-cased (``scan._literal_sets`` of the gate's regex), or
    # None: a text that holds none of them is not searched with the rule.
    # Without them every text is searched with every rule, and the gates
    # are built only for a large text: building them parses every regex.
    literals: tuple[frozenset[str] | None, ...] = ()

    def text(self, text: str, only: Iterable[int] | None = None) -> str:
        """``text`` with every span a secret rule (of the indexes ``only``,
        if given, in order) matches masked."""
        low = _low(text) if self.literals else ''
        for r in range(len(self.rules)) if only is None else only:
            name, rx = self.rules[r]
            if self.literals and not _may_hold(self.literals[r], low):
                continue
            if rx.search(text) is not None:
                text = rx.sub(mask(name), text)
        return text

    def strings(self, texts: Iterable[str]) -> dict[str, str]:
        """The masked form of each of ``texts`` that holds a secret.

        The texts are searched joined, a rule at a time, so a large change
        (tens of thousands of paths) costs one search per rule; a text with
        a match is then masked on its own, by the rules that matched there
        (in their order, as ``text`` does)."""
        texts = list(dict.fromkeys(texts))
        if not texts or not self.rules:
            return {}
        joined = '\n'.join(texts)
        starts = [0]
        for t in texts[:-1]:
            starts.append(starts[-1] + len(t) + 1)
        marked: dict[int, set[int]] = {}
        folded: str | None = None
        gates: tuple[tuple[Rule | re.Pattern[str], bool], ...]
        if self.sources and len(joined) >= GATES_AFTER:
            gates = _gates(self.sources, self.rules, self.literals)
        elif self.literals:
            # A small text: the rules whose literals it holds, themselves.
            low = _low(joined)
            gates = tuple(
                (rx, False) if _may_hold(lits, low) else (_NOTHING, False)
                for (_, rx), lits in zip(self.rules, self.literals, strict=True)
            )
        else:
            gates = tuple((rx, False) for _, rx in self.rules)
        # With RE2, one pass of a set of the literal gates says in which
        # pieces of the text each can match: it is searched only there.
        spans: list[list[tuple[int, int]] | None] | None = None
        if any(fold for _, fold in gates):
            lower = _low(joined)
            folded = lower if len(lower) == len(joined) else ''
            if folded and self.literals:
                from review_trigger import prefilter

                spans = prefilter.literal_spans(
                    [lits if fold else None for lits, (_, fold) in zip(self.literals, gates, strict=True)],
                    folded,
                )
        for r, (rx, fold) in enumerate(gates):
            if rx is _NOTHING:
                # Not searched at all: re looks for a match of '(?!)' at
                # every position (2,000 paths: 41 ms for 45 rules).
                continue
            text = folded if fold and folded else joined
            if fold and not folded:  # lower-casing moved offsets: no gate
                rx = self.rules[r][1]
            where = spans[r] if spans is not None and fold else None
            pos = 0
            for start, end in where if where is not None else ((0, len(text)),):
                pos = max(pos, start)
                while pos < end and (m := rx.search(text, pos, end)) is not None:
                    i = bisect.bisect_right(starts, m.start()) - 1
                    # A gate's match lies inside the rule's, which may start
                    # in the text before (a rule can match across a newline).
                    for k in (i - 1, i) if i else (i,):
                        marked.setdefault(k, set()).add(r)
                    pos = starts[i + 1] if i + 1 < len(texts) else len(text)
        out = {}
        for i in sorted(marked):
            masked = self.text(texts[i], sorted(marked[i]))
            if masked != texts[i]:
                out[texts[i]] = masked
        return out


NOTHING = Redactor(())


# A rule's word boundary, loosened so that ``_`` separates too: a key in a
# file name (``old_AKIA...py``) or an identifier is masked, though the rule,
# which looks at code, would not fire on it. Masking more is the safe side.
_WORD_EDGE = re.compile(r'(?<!\\)\\b')
_LOOSE_EDGE = r'(?:(?<![A-Za-z0-9])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?![A-Za-z0-9]))'


@functools.cache  # a rule's source: immutable
def _compile(source: str, loosen: bool) -> re.Pattern[str]:
    return _loosened(source) if loosen else re.compile(source, re.M)


def _loosened(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(_WORD_EDGE.sub(lambda _: _LOOSE_EDGE, pattern), re.M)
    except re.error:
        return re.compile(pattern, re.M)


_NOTHING = re.compile('(?!)')


def _low(text: str) -> str:
    """``text`` lower-cased as the literals are (``scan.fold_lower``)."""
    from review_trigger.scan import fold_lower

    return fold_lower(text)


def _may_hold(literals: frozenset[str] | None, low: str) -> bool:
    return literals is None or any(lit in low for lit in literals)


def redactor(
    patterns: Mapping[str, str] | Iterable[tuple[str, str]],
    secrets: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    memo: Memo | None = None,
) -> Redactor:
    """A Redactor from (name, regex) pairs: every one of ``secrets`` (the
    security trigger's secret shapes), and the secret rules among
    ``patterns`` (judged by name). With a run's ``memo``, each rule's
    necessary literals are read from it (or found and remembered)."""
    items = patterns.items() if isinstance(patterns, Mapping) else patterns
    shapes = secrets.items() if isinstance(secrets, Mapping) else secrets
    rules: list[tuple[str, Rule]] = []
    sources: list[str | None] = []
    for name, pattern, secret in [*((n, p, True) for n, p in shapes), *((n, p, False) for n, p in items)]:
        if any(name == r[0] for r in rules):
            continue
        if name == _PEM_BLOCK[0]:
            rules.append((name, Rule(_PEM_BLOCK[1], loosen=False)))
            sources.append(None)
        elif secret or is_secret_rule(name):
            rules.append((name, Rule(pattern)))
            sources.append(pattern)
    literals: tuple[frozenset[str] | None, ...] = ()
    if memo is not None:
        literals = tuple(_literals_of(memo, source) for source in sources)
    return Redactor(tuple(rules), tuple(sources), literals)


def _literals_of(memo: Memo, source: str | None) -> frozenset[str] | None:
    """The best set of necessary literals of a rule's gate regex (its
    source without word boundaries: a superset of the loosened rule's
    matches), lower-cased, or None (none, or no gate)."""
    if source is None:
        return None
    from review_trigger.regex import regex
    from review_trigger.scan import remembered_literal_sets

    sets = remembered_literal_sets(memo, regex(_WORD_EDGE.sub('', source), re.M))
    return frozenset(lit.decode() for lit in sets[0]) if sets else None


# Below this much text the rules are searched themselves: building the
# gates (tens of milliseconds) costs more than a small change's searches.
GATES_AFTER = 64 * 1024


@functools.lru_cache(maxsize=8)
def _gates(
    sources: tuple[str | None, ...],
    rules: tuple[tuple[str, Rule], ...],
    literals: tuple[frozenset[str] | None, ...],
) -> tuple[tuple[Rule | re.Pattern[str], bool], ...]:
    # Pure in its (immutable) inputs, so cached for the process.
    return tuple(
        (rx, False) if src is None else _gate(src, rx, literals[r] if literals else _UNKNOWN)
        for r, (src, (_, rx)) in enumerate(zip(sources, rules, strict=True))
    )


_UNKNOWN = frozenset({'\0unknown'})


def _gate(pattern: str, rule: Rule, literals: frozenset[str] | None) -> tuple[Rule | re.Pattern[str], bool]:
    """A superset of ``rule``'s matches that is quick to search: where one
    of the necessary literals of the rule without word boundaries (so the
    loosened ones are covered) occurs, as the scanner gates its rules; the
    rule without word boundaries if it has none. ``literals`` are those
    a run remembers, or ``_UNKNOWN``: found here."""
    from review_trigger import scan

    if literals is not None and literals is not _UNKNOWN:
        # Found in the parse of the rule without word boundaries.
        return re.compile(scan._alternatives(set(literals))), True
    try:
        bare = re.compile(_WORD_EDGE.sub('', pattern), re.M)
    except re.error:
        return rule, False
    gate = scan._gate(bare) if literals is _UNKNOWN else None
    return (bare, False) if gate is None else (gate.regex, gate.folded)


def for_config(config: Config, memo: Memo | None = None) -> Redactor:
    """The Redactor of a configuration: its security rules' secret shapes
    (even when the security trigger is disabled: a secret is never shown);
    with a run's ``memo``, the literals that spare most searches."""
    from review_trigger import defaults

    security = config.triggers.get('security', {})
    builtin = defaults.TRIGGERS['security']
    patterns = dict(builtin['line_patterns'])
    patterns.update(security.get('line_patterns') or {})
    secrets = {**builtin['secret_patterns'], **builtin['config_patterns']}
    secrets.update(security.get('secret_patterns') or {})
    secrets.update(security.get('config_patterns') or {})
    return redactor(patterns, secrets, memo)


def value(red: Redactor, data: Any) -> Any:
    """JSON-like ``data`` with every string in it (keys too) masked."""
    found = red.strings(_strings(data))
    return _masked_value(found, data) if found else data


def _strings(data: Any) -> Iterable[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for k, v in data.items():
            if isinstance(k, str):
                yield k
            yield from _strings(v)
    elif isinstance(data, (list, tuple)):
        for v in data:
            yield from _strings(v)


def _masked_value(found: Mapping[str, str], data: Any) -> Any:
    if isinstance(data, str):
        return found.get(data, data)
    if isinstance(data, Mapping):
        return {
            (found.get(k, k) if isinstance(k, str) else k): _masked_value(found, v) for k, v in data.items()
        }
    if isinstance(data, (list, tuple)):
        return [_masked_value(found, v) for v in data]
    return data


def analysis(red: Redactor, a: Analysis) -> Analysis:
    """``a`` with every string from the change masked (``a`` itself when
    nothing needed masking, the common case)."""
    change = a.change
    texts: list[str] = [change.range.label, *change.notes]
    for f in change.files:
        texts.append(f.path)
        if f.old_path is not None:
            texts.append(f.old_path)
    for h in change.hits:
        texts += (h.path, h.rule)  # a rule's name may be the configuration's
    for s in change.suppressions:
        texts += (s.trigger, s.path, s.reason)
    for fd in a.findings:
        texts.append(fd.reason)
        for d in fd.details:
            texts += (d.path, d.why, *d.items)
    for c in a.commits:
        texts += (c.author, c.message)
    for i in a.information:
        texts += (i.path, i.why, *i.items)
    # A trigger's words are the configuration's for a custom one (its id,
    # description, concern and task type): text that reaches every output.
    for t in a.triggers.values():
        texts += (t.id, t.title, t.task_type, t.concern)
    found = red.strings(texts)

    def m(t: str) -> str:
        return found.get(t, t)

    def m_opt(t: str | None) -> str | None:
        return None if t is None else found.get(t, t)

    definitions = _masked_definitions(red, change.definitions)
    if not found:
        return a._replace(change=change._replace(definitions=definitions))
    files = tuple(f._replace(path=m(f.path), old_path=m_opt(f.old_path)) for f in change.files)
    change = change._replace(
        range=change.range._replace(label=m(change.range.label)),
        files=files,
        hits=tuple(h._replace(trigger=m(h.trigger), path=m(h.path), rule=m(h.rule)) for h in change.hits),
        suppressions=tuple(
            s._replace(trigger=m(s.trigger), path=m(s.path), reason=m(s.reason)) for s in change.suppressions
        ),
        notes=tuple(m(n) for n in change.notes),
        definitions=definitions,
        unscanned=tuple(m(p) for p in change.unscanned),
    )
    findings = tuple(
        fd._replace(
            trigger=m(fd.trigger),
            reason=m(fd.reason),
            details=tuple(
                d._replace(path=m(d.path), why=m(d.why), items=tuple(m(i) for i in d.items))
                for d in fd.details
            ),
        )
        for fd in a.findings
    )
    commits = tuple(c._replace(author=m(c.author), message=m(c.message)) for c in a.commits)
    information = tuple(
        i._replace(trigger=m(i.trigger), path=m(i.path), why=m(i.why), items=tuple(m(x) for x in i.items))
        for i in a.information
    )
    triggers = {
        m(tid): t._replace(id=m(t.id), title=m(t.title), task_type=m(t.task_type), concern=m(t.concern))
        for tid, t in a.triggers.items()
    }
    return a._replace(
        change=change, findings=findings, commits=commits, information=information, triggers=triggers
    )


def _masked_definitions(
    red: Redactor,
    read: Callable[[Sequence[Any]], dict[str, tuple[str, ...]]],
) -> Callable[[Sequence[Any]], dict[str, tuple[str, ...]]]:
    # ``def ghp_...():`` is a definition named by a secret.
    def definitions(files: Sequence[Any]) -> dict[str, tuple[str, ...]]:
        return {path: tuple(red.text(n) for n in names) for path, names in read(files).items()}

    return definitions
