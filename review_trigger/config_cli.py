"""``review-trigger init``, ``config`` and ``schema``: the configuration
commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence

from review_trigger.errors import UserError

STARTER = """\
# yaml-language-server: $schema=.review-trigger.schema.json
# review-trigger configuration. Every key is optional: a missing key keeps
# the built-in default, `review-trigger config` prints the merged result,
# and an unknown key is an error (a typo never silently disables a rule).
# A list key replaces the default list; `extra_<key>` adds to it.

# Files taken out of every trigger (gitignore-style globs).
exclude:
  - "docs/generated/**"

# The reviewing model named in the prompt heading ("## Opus Review: ...").
# reviewer: o3

# Extra model names -> routing tier (execute / generate / reason), checked
# before the built-in table.
# models:
#   my-internal-model: generate

# Write no prompt when every commit was written by a reason-tier model.
# Off by default: under-routing is the more dangerous failure.
# skip_if_reason_tier: false

triggers:
  new-files:
    more_than: 5            # fires on 6 or more new files
  # architecture:
  #   extra_paths: ["deploy/**"]
  # governance:
  #   extra_paths: ["CONTRIBUTING.md"]
  # security:
  #   extra_words: ["entitlement"]
  #   extra_line_patterns:
  #     internal token: 'acme_tok_[A-Za-z0-9]{32}'
  # document:
  #   new_min_lines: 40
  # sensitive-data:
  #   enabled: false

# Your own triggers.
# custom_triggers:
#   - id: payments-api
#     description: Payments API changed
#     paths: ["services/payments/**", "!services/payments/**/test_*.py"]
#     patterns: ['\\bcharge\\(']       # optional: added lines must match
#     min_files: 1
#     min_added_lines: 0
#     concern: Check idempotency keys, currency rounding and retries.

# On a single line, `review-trigger: ignore[<trigger-id>] <reason>` in a
# comment keeps that line from firing a content rule; the prompt lists it.
"""


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    from review_trigger.options import Parser

    return Parser(prog=f'review-trigger {prog}', description=description)


def init(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    p = _parser(
        'init',
        'Write a commented starter .review-trigger.yaml (and its '
        'JSON schema, for editors) at the repository root.',
    )
    p.add_argument('-C', dest='directory', metavar='DIR')
    p.add_argument(
        '--agent',
        choices=('claude', 'codex', 'gemini', 'cursor'),
        help="instead, install the session-start and stop hooks into this coding agent's project settings",
    )
    # Model routing (review_trigger/routing/setup.py).
    p.add_argument(
        '--claude-md', action='store_true', help='write the routing sections into CLAUDE.md (between markers)'
    )
    p.add_argument(
        '--agents-md', action='store_true', help='write the routing sections into AGENTS.md (between markers)'
    )
    p.add_argument(
        '--commands',
        action='store_true',
        help='write .claude/commands/use-haiku.md, use-sonnet.md, use-opus.md and review.md',
    )
    p.add_argument(
        '--dry-run',
        action='store_true',
        help='with --agent, --claude-md, --agents-md or --commands: print the change, write nothing',
    )
    args = p.parse_args(argv)
    from review_trigger.routing import setup

    # Each combination does all it says or is refused: none is dropped.
    if args.agent and setup.flags_given(args):
        raise UserError(
            '--agent cannot go with --claude-md, --agents-md or --commands: run init once for each'
        )
    if args.dry_run and not (args.agent or setup.flags_given(args)):
        raise UserError(
            '--dry-run goes with --agent, --claude-md, --agents-md or --commands: '
            'the starter configuration has nothing to compare with (nothing was written)'
        )
    if setup.flags_given(args):
        return setup.init(
            args.directory,
            claude_md=args.claude_md,
            agents_md=args.agents_md,
            commands=args.commands,
            dry_run=args.dry_run,
            environ=environ,
        )
    from review_trigger import git
    from review_trigger.config import CONFIG_FILES, SCHEMA_PATH
    from review_trigger.output import write_atomic

    root = git.open_repo(args.directory, environ).root
    if args.agent:
        from review_trigger.agents.install import install

        return install(root, args.agent, args.dry_run)
    target = os.path.join(root, CONFIG_FILES[0])
    for name in CONFIG_FILES:
        if os.path.lexists(os.path.join(root, name)):
            raise UserError(f'{name} already exists: not overwriting it')
    with open(SCHEMA_PATH, encoding='utf-8') as f:
        schema = f.read()
    write_atomic(os.path.join(root, '.review-trigger.schema.json'), schema)
    write_atomic(target, STARTER)
    print(f'review-trigger: wrote {CONFIG_FILES[0]} and .review-trigger.schema.json', file=sys.stderr)
    return 0


def show(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    p = _parser(
        'config', "Print the effective configuration: the defaults merged with the repository's file."
    )
    p.add_argument('-C', dest='directory', metavar='DIR')
    p.add_argument('--config', metavar='PATH')
    p.add_argument('--format', choices=('yaml', 'json'), default='yaml')
    args = p.parse_args(argv)
    from review_trigger import config, git, redact

    repo = git.open_repo(args.directory, environ)
    source = (
        config.read_file(os.path.join(args.directory or '.', args.config))
        if args.config
        else config.find_source(repo.root)
    )
    cfg = config.load(source)
    # An output like any other: a secret in the file is shown masked.
    red = redact.for_config(cfg)
    data = redact.value(red, config.effective(cfg))
    from review_trigger.output import emit

    if args.format == 'json':
        emit(json.dumps(data, indent=2) + '\n', None)
    else:
        import yaml

        shown = red.text(cfg.source) if cfg.source else 'built-in defaults'
        emit(f'# source: {shown}\n' + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), None)
    return 0


def schema(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    _parser('schema', 'Print the JSON Schema of the configuration file.').parse_args(argv)
    from review_trigger.config import SCHEMA_PATH

    with open(SCHEMA_PATH, encoding='utf-8') as f:
        sys.stdout.write(f.read())
    return 0
