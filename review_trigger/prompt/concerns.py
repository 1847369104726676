"""What to review: concerns built from the rules that fired, and the
review instructions that follow from them.

Each concern names the trigger, says in a sentence what its rules saw,
and lists the files most important first, each with the rules that fired
on it and their lines ("`src/auth/oauth.py` line 42: JWT signature
verification disabled"). Rule names and a custom trigger's words come
from the configuration and go through ``markdown.text``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from review_trigger import redact, routing
from review_trigger.analyze import Analysis
from review_trigger.change import Detail, FileChange, Finding, Hit
from review_trigger.markdown import code, text
from review_trigger.prompt import order
from review_trigger.triggers import REGISTRY, Trigger

if TYPE_CHECKING:
    from review_trigger.config import Config

# The parts of a detail's reason that say which added lines matched: the
# concern lists the hits themselves instead (sorted, each line once).
_HIT_WHY = re.compile(r'^(added line|matches the paths and a content pattern at line)')


def lines_text(lines: Sequence[int]) -> str:
    shown = sorted(set(lines))
    return ('line ' if len(shown) == 1 else 'lines ') + ', '.join(map(str, shown))


def hit_text(hits: Sequence[Hit]) -> str:
    """ "line 42: rule A; lines 57, 60: rule B", the rules in order of
    their first line."""
    by_rule: dict[str, list[int]] = {}
    for h in sorted(hits, key=lambda h: h.line):
        by_rule.setdefault(h.rule, []).append(h.line)
    return '; '.join(f'{lines_text(ls)}: {text(rule)}' for rule, ls in by_rule.items())


def _kinds(hits: Sequence[Hit]) -> tuple[list[str], list[str], list[str]]:
    """The rule names of secret shapes, unsafe patterns and library
    imports among ``hits``."""
    secrets, unsafe, imports = [], [], []
    for rule in dict.fromkeys(h.rule for h in hits):
        if redact.is_secret_rule(rule):
            secrets.append(rule)
        elif 'import' in rule.lower():
            imports.append(rule)
        else:
            unsafe.append(rule)
    return secrets, unsafe, imports


def _names(rules: Sequence[str], limit: int = 4) -> str:
    shown = ', '.join(text(r) for r in rules[:limit])
    return shown + (f' and {len(rules) - limit} more' if len(rules) > limit else '')


def sentence(finding: Finding, trigger: Trigger, hits: Sequence[Hit], context: Sequence[str]) -> str:
    """What the reviewer should look at, from what fired."""
    tid = finding.trigger
    whys = [d.why for d in finding.details]
    if tid == 'security':
        secrets, unsafe, imports = _kinds(hits)
        out = []
        if secrets:
            out.append(
                f'Values shaped like credentials were added ({_names(secrets)}): '
                f'decide whether each is real; a real one must be revoked, since '
                f'removing it from the branch leaves it in the history.'
            )
        if unsafe:
            out.append(
                f'Unsafe patterns were added ({_names(unsafe)}): check that each '
                f'is needed and cannot be reached with untrusted input.'
            )
        if imports:
            out.append(
                'Cryptography or authentication libraries are used: check the '
                'algorithms, key and token handling, and the failure paths.'
            )
        if any(w.startswith('path names') for w in whys):
            out.append(
                'Code in security-sensitive paths changed: check authentication '
                'and authorization paths, failure handling, and token and session '
                'edge cases.'
            )
        return ' '.join(out) or trigger.concern
    if tid == 'sensitive-data':
        out = []
        if hits:
            n = len({h.path for h in hits})
            out.append(
                f'Personal, financial or health data fields appear in added code '
                f'({n} file{"s" if n != 1 else ""}).'
            )
        if any(w.startswith('path names') for w in whys):
            out.append('Code in paths about financial, health or personal data changed.')
        out.append(
            'Check what of that data is stored, logged or sent, who can read it, '
            'how long it is kept, and how it is masked.'
        )
        return ' '.join(out)
    if tid == 'architecture':
        what = []
        if any('dependenc' in w for w in whys):
            what.append('dependencies')
        if any('top-level' in w for w in whys):
            what.append('a new top-level directory')
        if any('boundary' in w for w in whys):
            what.append('a new package or module boundary')
        if any('submodule' in w for w in whys):
            what.append('submodules')
        if len(what) < len(set(whys)):
            what.append('infrastructure or schema definitions')
        against = 'with ' + ', '.join(code(p) for p in context) if context else 'with the existing structure'
        return (
            f'Changed: {", ".join(dict.fromkeys(what))}. Check consistency {against} '
            f'and earlier decisions, and weigh the long-term cost of what is added.'
        )
    if tid == 'document':
        if any('decision record' in w for w in whys):
            return (
                'A decision record was written or expanded: check that its context, '
                'alternatives and consequences are real, and that it agrees with the '
                'code and with earlier decisions.'
            )
        return 'Check that the documents agree with the code they describe.'
    if tid == 'governance':
        out = [
            'The rules agents and humans follow changed: check that they do not weaken '
            'review, security or CI gates.'
        ]
        if any('review-trigger configuration' in w for w in whys):
            out.append(
                'The change edits its own review rules (the review-trigger '
                'configuration): check every rule it turns off or narrows.'
            )
        return ' '.join(out)
    if tid == 'new-files':
        tests = sum(1 for d in finding.details if order.path_kind(d.path) == 'test')
        return (
            f'Check that the new files fit the existing structure and are all needed; '
            f'{tests} of them {"is a test" if tests == 1 else "are tests"}.'
        )
    # A custom trigger: its configured words, as configuration text.
    return text(trigger.concern) if trigger.concern else ''


def concern_lines(
    finding: Finding,
    index: int,
    trigger: Trigger,
    analysis: Analysis,
    by_path: dict[str, FileChange],
    context: Sequence[str],
    max_details: int,
    config: Config | None = None,  # its routing table gives the tiers
) -> list[str]:
    builtin = REGISTRY.get(finding.trigger) is trigger
    task = trigger.task_type
    tier = routing.task_tier(task, config)
    hits = [h for h in analysis.change.hits if h.trigger == finding.trigger]
    reason = finding.reason if builtin else text(finding.reason)
    name = finding.trigger if builtin else text(finding.trigger)
    lines = [
        f'{index}. **{name}**: {reason} (routing: {code(task)}, {tier} tier). '
        f'{sentence(finding, trigger, hits, context)}'.rstrip(),
    ]
    hits_by_path: dict[str, list[Hit]] = {}
    for h in hits:
        hits_by_path.setdefault(h.path, []).append(h)
    details = {d.path: d for d in finding.details}
    paths = [
        p
        for p in order.ordered_paths(details, by_path, hits_by_path)
        if not (p in by_path and by_path[p].binary)
    ]
    for p in paths[:max_details]:
        lines.append(f'   - {file_line(p, details[p], hits_by_path.get(p, ()))}')
    binary = len(details) - len(paths)
    if len(paths) > max_details:
        lines.append(f'   - and {len(paths) - max_details} more files (all of them are in the JSON report)')
    if binary:
        lines.append(
            f'   - and {binary} binary file{"s" if binary != 1 else ""} (listed under "What changed")'
        )
    return lines


def file_line(path: str, detail: Detail, hits: Sequence[Hit]) -> str:
    others = [w for w in detail.why.split('; ') if not _HIT_WHY.match(w)] if hits else [detail.why]
    extra = ''
    if detail.items:
        shown = ', '.join(code(i) for i in detail.items[:10])
        more = f' and {len(detail.items) - 10} more' if len(detail.items) > 10 else ''
        extra = f': {shown}{more}'
    if hits:
        rest = '; '.join(others)
        return f'{code(path)} {hit_text(hits)}' + (f'; {rest}' if rest else '') + extra
    return f'{code(path)}: {"; ".join(others)}{extra}'


SECURITY_CHECKLIST = """\
Security checklist (secrets or unsafe patterns fired):
- Is any credential real? A real one must be revoked and rotated: deleting \
it from the branch leaves it in the history.
- Can untrusted input reach a shell, eval, SQL, a deserialiser or HTML?
- Do TLS, signature and token checks stay on, on every path, errors included?
- Does every failure deny access rather than grant it?"""

DATA_CHECKLIST = """\
Data-handling checklist (personal, financial or health data):
- Which of these data are stored, logged, sent or exported, and is each needed?
- Who can read them; are they masked in logs, errors and analytics?
- How long are they kept, and how are they deleted?"""

ADR_CHECKLIST = """\
Decision records: for each, are the context, the alternatives and the \
consequences real, and does the decision agree with the code and with \
earlier records?"""

GOVERNANCE_CHECKLIST = """\
Rules for agents and reviewers: does any changed rule weaken review, \
security or CI gates, or tell an agent to skip a check?"""


def extra_instructions(analysis: Analysis) -> list[str]:
    """The checklists that follow from what fired."""
    fired = {f.trigger: f for f in analysis.findings}
    out = []
    if 'security' in fired:
        secrets, unsafe, _ = _kinds([h for h in analysis.change.hits if h.trigger == 'security'])
        if secrets or unsafe:
            out.append(SECURITY_CHECKLIST)
    if 'sensitive-data' in fired:
        out.append(DATA_CHECKLIST)
    if 'document' in fired and any('decision record' in d.why for d in fired['document'].details):
        out.append(ADR_CHECKLIST)
    if 'governance' in fired:
        out.append(GOVERNANCE_CHECKLIST)
    return out
