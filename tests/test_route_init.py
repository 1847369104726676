"""``review-trigger init --claude-md / --agents-md / --commands``: the routing
sections and slash commands, written from the table, without touching
anything else."""

from __future__ import annotations

import json
import os

import pytest

from review_trigger.routing import render

EXISTING = b'# My project\r\n\r\nKeep *this* exactly.\r\n\r\n## Build\r\nmake all'  # no final newline


def test_claude_md_twice_leaves_one_block_and_the_rest_unchanged(committed, cli):
    path = committed.path / 'CLAUDE.md'
    path.write_bytes(EXISTING)
    res = cli('init', '--claude-md')
    assert res.code == 0 and 'wrote CLAUDE.md' in res.err
    first = path.read_bytes()
    assert first.startswith(EXISTING)
    assert first.count(render.BEGIN.encode()) == 1 and first.count(render.END.encode()) == 1
    for section in (b'## model_routing', b'## routing_table', b'## self_awareness_instructions'):
        assert section in first
    assert b'\n' not in first.replace(b'\r\n', b'')  # the file's CRLF kept in the block
    res = cli('init', '--claude-md')
    assert res.code == 0 and 'CLAUDE.md is up to date' in res.err
    assert path.read_bytes() == first
    # Text after the block, and edits inside it, survive a rerun as before.
    after = first + b'\r\n## Later notes\r\nmine\r\n'
    path.write_bytes(after.replace(b'## routing_table', b'## hand edit'))
    cli('init', '--claude-md')
    assert path.read_bytes() == after


def test_changed_routing_changes_only_the_block(committed, cli):
    path = committed.path / 'CLAUDE.md'
    path.write_bytes(b'intro\n')
    cli('init', '--claude-md')
    committed.write('.review-trigger.yaml', 'routing:\n  tiers:\n    reason:\n      model: Opus 4.8\n')
    cli('init', '--claude-md')
    text = path.read_bytes()
    assert text.startswith(b'intro\n\n' + render.BEGIN.encode())
    assert b'# Reason tier (Opus 4.8-optimal)' in text and b'Opus-optimal' not in text
    assert text.count(render.BEGIN.encode()) == 1


@pytest.mark.parametrize(
    ('plan', 'named'),
    [
        (None, b'review upcoming tasks in PROJECT_PLAN.md and'),
        ('docs/ROADMAP.md', b'review upcoming tasks in docs/ROADMAP.md and'),
        ('plans/next *step*.md', b'review upcoming tasks in `plans/next *step*.md` and'),
    ],
)
def test_the_session_end_names_the_configured_plan(committed, cli, plan, named):
    if plan is not None:
        committed.write('.review-trigger.yaml', f'routing:\n  plan: "{plan}"\n')
    assert cli('init', '--claude-md').code == 0
    assert named in (committed.path / 'CLAUDE.md').read_bytes()


def test_dry_run_shows_the_diff_and_writes_nothing(committed, cli):
    (committed.path / 'AGENTS.md').write_bytes(b'# Agents\n')
    res = cli('init', '--agents-md', '--dry-run')
    assert res.code == 0 and 'would write AGENTS.md' in res.err
    assert res.out.startswith('--- a/AGENTS.md\n+++ b/AGENTS.md\n')
    assert '+## routing_table\n' in res.out and '+`review-trigger init --agents-md`' not in res.out
    assert (committed.path / 'AGENTS.md').read_bytes() == b'# Agents\n'
    assert not (committed.path / 'CLAUDE.md').exists()
    res = cli('init', '--commands', '--dry-run')
    assert '--- /dev/null\n+++ b/.claude/commands/use-opus.md\n' in res.out
    assert not (committed.path / '.claude').exists()


def test_agents_md_is_created_when_missing(committed, cli):
    cli('init', '--agents-md')
    text = (committed.path / 'AGENTS.md').read_text()
    assert text.startswith(render.BEGIN) and text.endswith(render.END + '\n')
    assert 'init --agents-md' in text


@pytest.mark.parametrize(
    'broken',
    [
        pytest.param(render.BEGIN + ' -->\nno end\n', id='begin_without_end'),
        pytest.param(render.END + '\n' + render.BEGIN + ' -->\n', id='end_before_begin'),
    ],
)
def test_broken_markers_are_exit_2_and_the_file_is_kept(committed, cli, broken):
    path = committed.path / 'CLAUDE.md'
    path.write_text(broken)
    res = cli('init', '--claude-md')
    assert res.code == 2 and 'markers' in res.err and res.err.count('\n') == 1
    assert path.read_text() == broken


def test_symlinked_claude_md_stays_a_link(committed, cli):
    (committed.path / 'AGENTS.md').write_text('# shared\n')
    os.symlink('AGENTS.md', committed.path / 'CLAUDE.md')
    cli('init', '--claude-md')
    assert os.path.islink(committed.path / 'CLAUDE.md')
    assert render.BEGIN in (committed.path / 'AGENTS.md').read_text()


def _frontmatter(text: str) -> dict[str, str]:
    assert text.startswith('---\n')
    head = text[4 : text.index('\n---\n')]
    return dict(line.split(': ', 1) for line in head.splitlines())


def test_commands_are_written_from_the_table_with_frontmatter(committed, cli):
    res = cli('init', '--commands')
    assert res.code == 0
    folder = committed.path / '.claude' / 'commands'
    assert sorted(os.listdir(folder)) == ['review.md', 'use-haiku.md', 'use-opus.md', 'use-sonnet.md']
    haiku = (folder / 'use-haiku.md').read_text()
    assert _frontmatter(haiku)['model'] == 'haiku'
    assert 'description' in _frontmatter(haiku)
    assert 'You are running as Haiku (execute tier' in haiku
    assert 'Do NOT attempt: code generation' in haiku and 'security review' in haiku
    opus = (folder / 'use-opus.md').read_text()
    assert 'Reason step by step' in opus and 'Do NOT attempt' not in opus
    review = (folder / 'review.md').read_text()
    meta = _frontmatter(review)
    assert meta['allowed-tools'] == 'Bash(review-trigger --worktree:*)'
    assert meta['model'] == 'opus'
    assert '!`review-trigger --worktree`' in review
    state = json.loads((committed.path / '.git' / 'review-trigger' / 'generated.json').read_text())
    assert sorted(state) == [f'.claude/commands/{n}' for n in sorted(os.listdir(folder))]


def test_a_state_file_nested_too_deeply_is_ignored(committed, cli):
    """Valid JSON nested deeper than the parser's recursion allows: the
    record of what was generated is damaged, so no file counts as written
    by the tool, and one the table changes is kept as it is."""
    assert cli('init', '--commands').code == 0
    (committed.path / '.git' / 'review-trigger' / 'generated.json').write_text('[' * 100_000 + ']' * 100_000)
    haiku = committed.path / '.claude' / 'commands' / 'use-haiku.md'
    before = haiku.read_text()
    committed.write(
        '.review-trigger.yaml', 'routing:\n  extra_task_types:\n    security_review: {tier: execute}\n'
    )
    res = cli('init', '--commands')
    assert res.code == 0, res.err
    assert 'skipped .claude/commands/use-haiku.md: edited by hand' in res.err
    assert haiku.read_text() == before


def test_commands_never_overwrite_a_hand_edited_file(committed, cli):
    folder = committed.path / '.claude' / 'commands'
    folder.mkdir(parents=True)
    (folder / 'review.md').write_text('my own review command\n')  # not written by the tool
    cli('init', '--commands')
    assert (folder / 'review.md').read_text() == 'my own review command\n'
    with open(folder / 'use-sonnet.md', 'a') as f:
        f.write('\nmy note\n')
    edited = (folder / 'use-sonnet.md').read_text()
    before_haiku = (folder / 'use-haiku.md').read_text()
    committed.write(
        '.review-trigger.yaml', 'routing:\n  extra_task_types:\n    security_review: {tier: execute}\n'
    )
    res = cli('init', '--commands')
    assert res.code == 0
    assert 'skipped .claude/commands/use-sonnet.md: edited by hand' in res.err
    assert 'skipped .claude/commands/review.md: edited by hand' in res.err
    assert (folder / 'use-sonnet.md').read_text() == edited
    # The untouched file follows the table.
    after_haiku = (folder / 'use-haiku.md').read_text()
    assert after_haiku != before_haiku and 'security review' in after_haiku.split('Do NOT')[0]
    assert 'wrote .claude/commands/use-haiku.md' in res.err


def test_a_pipe_in_the_routing_table_stays_in_its_cell(committed, cli):
    """A vendor, model or role of the configuration with a ``|`` in it
    does not split the table's row."""
    import re

    from markdown_it import MarkdownIt

    committed.write(
        '.review-trigger.yaml',
        'routing:\n  tiers:\n    reason:\n      role: "deep|slow"\n'
        '      extra_vendors:\n        "ven|dor": "mo|del"\n',
    )
    assert cli('init', '--claude-md').code == 0
    text = (committed.path / 'CLAUDE.md').read_text()
    html = MarkdownIt('commonmark').enable('table').render(text)
    rows = re.findall(r'<tr>(.*?)</tr>', html, re.S)
    counts = {len(re.findall(r'<t[hd][^>]*>', row)) for row in rows}
    assert len(rows) >= 4 and len(counts) == 1, rows
    assert 'ven|dor' in html and 'mo|del' in html and 'deep|slow' in html
