"""One run of review-trigger: a Request in, an Outcome out.

Every entry point (the command line, the pre-commit hook, the GitHub
Action, and the agent hooks and review runner) parses its own inputs into
a Request and calls ``run``; none repeats the steps below, and none
imports another entry point. The environment is read by the entry point
and passed in.

The order of the steps is for speed: git computes the diff (and lists the
files, for the context files) while the configuration, the triggers and
the prompt's code load.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from review_trigger import git
from review_trigger.change import Range
from review_trigger.options import ENV_SESSION_MODEL, PROG

if TYPE_CHECKING:
    from review_trigger import prompt
    from review_trigger.analyze import Analysis
    from review_trigger.config import Config
    from review_trigger.prompt import Session
    from review_trigger.redact import Redactor


class Request(NamedTuple):
    """What to analyse and how. With ``range`` unset, the range comes from
    ``since`` / ``base`` and ``head`` / ``worktree`` (none of them: the
    staged change)."""

    directory: str | None = None
    since: str | None = None
    base: str | None = None
    head: str | None = None
    # A revision (usually HEAD) to analyse against the working tree.
    worktree: str | None = None
    # An entry point's own range (the hook's pushed commits, the Action's
    # pull request), resolved once the repository is open.
    range: Callable[[git.Repo], Range] | None = None
    config_path: str | None = None
    session_model: str | None = None
    reviewer: str | None = None
    # Append the diff of the files the concerns name, within this many
    # tokens (the prompt's --include-diff); None: the prompt alone.
    include_diff: int | None = None
    environ: Mapping[str, str] = {}


class Outcome(NamedTuple):
    repo: git.Repo
    config: Config
    analysis: Analysis
    session: Session
    prompt: str | None  # None when nothing fired (or it was skipped)
    # The report's keys beyond the analysis: the pinned ids, the cost
    # estimate, the included diff.
    facts: Mapping[str, object] = {}

    @property
    def fired(self) -> tuple[str, ...]:
        return tuple(f.trigger for f in self.analysis.findings)


def run(request: Request, repo: git.Repo | None = None) -> Outcome:
    """Analyse the change ``request`` names and render its prompt."""
    if repo is None:
        repo = git.open_repo(request.directory, request.environ)
    if request.range is not None:
        rng = request.range(repo)
        settle = None
    else:
        # git starts on the range as it most often is while it works out
        # the merge base of --since, and starts again in the rare case the
        # two differ.
        rng, settle = git.start_range(
            repo,
            since=request.since,
            base=request.base,
            head=request.head,
            worktree=request.worktree,
        )
    diff = git.Diff(repo, git.old_side(rng), git.new_side(rng))
    listing = git.PendingFiles(repo, git.new_side(rng))
    globs = None
    try:
        # (The configuration of a --since range is not read from its base:
        # it is the same for either range.)
        config = config_for(repo, rng, request.config_path, request.directory)
        from review_trigger import redact
        from review_trigger.analyze import Unsettled, analyze, run_globs

        globs = run_globs(repo)
        try:
            raw = analyze(repo, rng, config, diff, globs, settle)
        except Unsettled as e:
            # REV was not an ancestor of HEAD: the range is from the merge
            # base, read again.
            diff.close()
            listing.close()
            rng = e.range
            diff = git.Diff(repo, git.old_side(rng), git.new_side(rng))
            listing = git.PendingFiles(repo, git.new_side(rng))
            raw = analyze(repo, rng, config, diff, globs)
        # The one redaction step: everything after this sees the change
        # with every secret span masked.
        red = redact.for_config(config, globs.memo)
        analysis = redact.analysis(red, raw)
        session = session_of(request.session_model, analysis, config, request.environ)
        session = session._replace(models=tuple(m._replace(name=red.text(m.name)) for m in session.models))
        facts: dict[str, object] = {}
        prompt = prompt_for(
            repo,
            analysis,
            session,
            config,
            request.reviewer,
            listing,
            include_diff=request.include_diff,
            raw=raw,
            facts=facts,
            red=red,
        )
    finally:
        diff.close()
        listing.close()
        if globs is not None:
            globs.save()
    return Outcome(repo, config, analysis, session, prompt, facts)


def config_for(repo: git.Repo, rng: Range, path: str | None, directory: str | None = None) -> Config:
    """The configuration in force: for a pull request, the base branch
    tip's, and for an agent's session, its start commit's (``path`` names a
    file in it: ``Range.config_base``), so that a change cannot disable its
    own review; otherwise ``path``, else the repository's file; else the
    defaults."""
    import os
    import posixpath

    from review_trigger import config
    from review_trigger.errors import UserError

    base = rng.config_base
    if base is not None:
        if path is None:
            # Every file a configuration may be in, read at once (an agent's
            # stop hook does this after every turn); validated once a content,
            # as the working tree's is.
            found = git.read_paths(repo, base, [*config.CONFIG_FILES, config.PYPROJECT])
            return config.load(
                config.find_source(repo.root, read=found.get),
                cache_dir=os.path.join(repo.git_dir, 'review-trigger'),
            )
        rel = posixpath.normpath(path.replace(os.sep, '/'))
        if rel.startswith(('../', '/')) or rel in ('..', '.'):
            raise UserError(f'config must be a file in the repository, not {path!r}')
        text = git.read_path(repo, base, rel)
        if text is None:
            raise UserError(
                f'config {rel} is not in the base commit {base[:12]}: the '
                f'configuration is read from the base, so that a change cannot '
                f'switch off its own review',
            )
        return config.load(
            config.Source(f'{base[:12]}:{rel}', text, posixpath.basename(rel) == config.PYPROJECT)
        )
    if path is not None:
        return config.load(config.read_file(os.path.join(directory or '.', path)))
    return config.load(
        config.find_source(repo.root),
        cache_dir=os.path.join(repo.git_dir, 'review-trigger'),
    )


def session_of(flag: str | None, analysis: Analysis, config: Config, environ: Mapping[str, str]) -> Session:
    """The session model: ``flag``, else $REVIEW_TRIGGER_SESSION_MODEL,
    else the AI trailers of the analysed commits."""
    from review_trigger import routing
    from review_trigger.prompt import Session

    table = config.models
    name = flag or environ.get(ENV_SESSION_MODEL, '').strip()
    if name:
        return Session((routing.named(name, table),), 0, 'flag' if flag else 'environment')
    models, without = routing.detect(analysis.commits, table)
    return Session(models, without if models else len(analysis.commits), 'trailers' if models else 'none')


def prompt_for(
    repo: git.Repo,
    analysis: Analysis,
    session: Session,
    config: Config,
    reviewer: str | None = None,
    listing: git.PendingFiles | None = None,
    *,
    include_diff: int | None = None,
    raw: Analysis | None = None,
    facts: dict[str, object] | None = None,
    red: Redactor | None = None,
) -> str | None:
    """The review prompt, or None when nothing fired (or the configuration
    skips changes written wholly by a reason-tier model). ``analysis`` is
    the masked one; ``raw`` the one git's paths are read with (the diff
    with ``include_diff``); ``facts`` receives the report's extra keys;
    ``red`` (default: the configuration's) masks the reviewer's name and
    the cost estimate, the configuration's words."""
    if not analysis.findings:
        return None
    if (
        config.skip_if_reason_tier
        and session.source == 'trailers'
        and not session.without_trailer
        and all(m.tier == config.routing.top.id for m in session.models)
    ):
        return None
    from review_trigger import prices
    from review_trigger import prompt as prompt_mod
    from review_trigger.git import bundle
    from review_trigger.prompt import cost as cost_mod
    from review_trigger.prompt import diff as diff_mod
    from review_trigger.redact import for_config, value

    raw = raw or analysis
    red = for_config(config) if red is None else red
    facts = {} if facts is None else facts
    rng = analysis.change.range
    if listing is None:
        listing = git.PendingFiles(repo, git.new_side(rng))
    context = prompt_mod.context_files(
        analysis,
        listing.result(),
        config.context_files,
        config.triggers['document']['adr_dirs'],
    )
    pinned = pinned_of(repo, raw.change.range)
    facts['pinned'] = pinned.as_json()
    included = None
    to_review = prompt_mod.files_to_review(analysis)
    if include_diff is not None:
        index = {f.path: i for i, f in enumerate(analysis.change.files)}
        pairs = [
            (raw.change.files[index[p]], analysis.change.files[index[p]])
            for p in prompt_mod.files_to_review(analysis, binary=True)
            if p in index
        ]
        included = diff_mod.build(repo, rng, pairs, include_diff, red, pinned.tree)
        facts['included_diff'] = included.as_json()
    # What the reviewer loads besides the prompt: the files to review at
    # the head (unless their diff is in the prompt) and the context files.
    by_path = {f.path: f for f in raw.change.files}
    names = [f'{_treeish(pinned)}:{p}' for p, _ in context if not p.endswith('/')]
    if included is None:
        names += [
            by_path[p].new_blob or ''
            for p in to_review
            if p in by_path and by_path[p].new_blob and not by_path[p].generated
        ]
    names = [n for n in names if n and '\n' not in n]
    # git looks up their sizes while the prompt is rendered.
    sizes = bundle.start_blob_sizes(repo, names)
    # The name is priced as given, and shown masked (the configuration's
    # words, or --reviewer's).
    reviewer = reviewer or config.reviewer
    shown_reviewer = red.text(reviewer)

    def render(cost_line: str | None) -> str:
        return prompt_mod.render(
            analysis,
            session=session,
            reviewer=shown_reviewer,
            context=context,
            pinned=pinned,
            cost=cost_line,
            config=config,
            diff=None if included is None else included.text,
            to_review=to_review,
        )

    # The prompt is rendered once, with a placeholder where the cost line
    # goes (the line is inserted as it is): the estimate counts the prompt
    # with the draft line, as a second rendering would, and rendering a
    # change of thousands of files is not cheap. The placeholder is random,
    # so the change's text cannot hold it; if it somehow appears twice,
    # the prompt is rendered again.
    slot = f'\0cost-{os.urandom(16).hex()}\0'
    shell = render(slot)
    files_bytes = sum(sizes().values())
    table = prices.table(config.prices)
    draft_line = cost_mod.estimate(reviewer, 0, files_bytes, table).line()
    estimate = cost_mod.estimate(reviewer, len(shell) - len(slot) + len(draft_line), files_bytes, table)
    facts['review_cost'] = value(red, estimate.as_json())
    line = red.text(estimate.line())
    head, found, tail = shell.partition(slot)
    if not found or slot in tail:  # pragma: no cover  (a 128-bit random string in the change)
        return render(line)
    return head + line + tail


def _treeish(pinned: object) -> str:
    head = getattr(pinned, 'head', None)
    return head or ''  # '' : the index (":path")


def pinned_of(repo: git.Repo, rng: Range) -> prompt.Pinned:
    """The full ids of the analysed change and its reproduce command."""
    from review_trigger.git import bundle
    from review_trigger.prompt import Pinned

    if bundle.is_index(rng):
        # The tree the analysis read (None: an index with unmerged entries,
        # which no tree holds: then only the index as it is now).
        now = bundle.reproduce(repo, rng)
        if rng.tree is None:
            return Pinned(rng.base, None, None, None, now, None)
        return Pinned(rng.base, None, rng.tree, None, bundle.reproduce(repo, rng, tree=rng.tree), now)
    if bundle.is_worktree(rng):
        # From the tree the diff starts at: a session's start snapshot.
        base = git.old_side(rng)
        if rng.tree:
            # The working tree's snapshot: pinned like the index's tree
            # (``git diff BASE`` alone would leave untracked files out).
            return Pinned(base, None, rng.tree, None, bundle.reproduce(repo, rng, tree=rng.tree), None)
        return Pinned(base, None, None, bundle.patch_id(repo, rng), bundle.reproduce(repo, rng), None)
    return Pinned(rng.base, rng.head, None, None, bundle.reproduce(repo, rng), None)


def report_json(outcome: Outcome, extra: Mapping[str, object] | None = None) -> str:
    """The JSON report of the outcome (with ``extra`` top-level keys)."""
    return ''.join(report_chunks(outcome, extra))


def report_chunks(outcome: Outcome, extra: Mapping[str, object] | None = None) -> Iterator[str]:
    """The text of :func:`report_json`, in pieces, to be written as they
    come: on a large change neither a dict per file nor the whole text is
    held."""
    from review_trigger import redact, report

    data = report.document(outcome.analysis, outcome.session, outcome.prompt)
    data.update(outcome.facts)
    if extra:
        # An entry point's keys (the Action's pull request, with its branch
        # names) take the same redaction step as the change.
        data.update(redact.value(redact.for_config(outcome.config), dict(extra)))
    return report.chunks(data)


def summary(analysis: Analysis) -> str:
    """The one-line summary for stderr."""
    n = len(analysis.change.files)
    files = f'{n} file{"s" if n != 1 else ""}'
    k = len(analysis.information)
    # What the triggers stayed quiet on by design is said, not hidden.
    listed = f'; {k} file{"s" if k != 1 else ""} listed as information' if k else ''
    # A change not wholly read says so, whether or not a trigger fired.
    unread = [
        *analysis.change.unscanned,
        *(f.path for f in analysis.change.files if f.status == 'unmerged'),
    ]
    if unread:
        from review_trigger.markdown import visible

        more = f' and {len(unread) - 1} more' if len(unread) > 1 else ''
        listed += f'; not wholly read: {visible(unread[0])}{more} (the report says why)'
    if not analysis.findings:
        return f'{PROG}: no trigger fired ({files} changed){listed}'
    ids = ', '.join(f.trigger for f in analysis.findings)
    k = len(analysis.findings)
    return f'{PROG}: {k} trigger{"s" if k != 1 else ""} fired ({ids}) on {files}{listed}'
