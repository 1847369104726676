"""``routing.plan``: the plan file ``route`` and the agents' stop hooks
read, PROJECT_PLAN.md unless the configuration names another."""

from __future__ import annotations

import io
import json
import os
import sys

import pytest
from conftest import Repo, Result

from review_trigger.__main__ import main

PLAN = '# Plan\n\n## Next\n\n- [ ] Security review of the token refresh\n- [ ] Rename the config flag\n'
CONFIG = 'routing:\n  plan: docs/NEXT.md\n'


def test_route_reads_the_configured_plan(committed: Repo, cli) -> None:
    committed.write('docs/NEXT.md', PLAN)
    missing: Result = cli('route')
    assert missing.code == 2
    assert 'PROJECT_PLAN.md' in missing.err
    committed.write('.review-trigger.yaml', CONFIG)
    r: Result = cli('route', '--format', 'json')
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert [t['text'] for t in data['tasks']] == [
        'Security review of the token refresh',
        'Rename the config flag',
    ]
    assert data['recommended']['tier'] == 'reason'


def test_the_default_plan_is_unchanged(committed: Repo, cli) -> None:
    committed.write('PROJECT_PLAN.md', '## Next\n\n- [ ] Rename the config flag\n')
    r: Result = cli('route', '--format', 'json')
    assert r.code == 0, r.err
    assert json.loads(r.out)['recommended']['tier'] == 'execute'


def test_a_plan_given_on_the_command_line_wins(committed: Repo, cli) -> None:
    committed.write('.review-trigger.yaml', CONFIG)
    committed.write('docs/NEXT.md', PLAN)
    committed.write('other.md', '## Next\n\n- [ ] Rename the config flag\n')
    r: Result = cli('route', 'other.md', '--format', 'json')
    assert r.code == 0, r.err
    assert json.loads(r.out)['recommended']['tier'] == 'execute'


def test_config_shows_the_plan_and_the_schema_checks_it(committed: Repo, cli) -> None:
    shown: Result = cli('config', '--format', 'json')
    assert json.loads(shown.out)['routing']['plan'] == 'PROJECT_PLAN.md'
    committed.write('.review-trigger.yaml', CONFIG)
    shown = cli('config', '--format', 'json')
    assert json.loads(shown.out)['routing']['plan'] == 'docs/NEXT.md'
    committed.write('.review-trigger.yaml', 'routing:\n  plan: ""\n')
    bad: Result = cli('route')
    assert bad.code == 2
    assert 'routing' in bad.err and 'plan' in bad.err
    assert bad.err.count('\n') == 1


def test_the_stop_hook_recommends_from_the_configured_plan(
    committed: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    committed.write('.review-trigger.yaml', CONFIG)
    committed.write('docs/NEXT.md', PLAN)
    committed.add()
    committed.commit('config and plan')
    event = {
        'hook_event_name': 'stop',
        'conversation_id': 'c0ffee00-1111-2222-3333-444455556666',
        'generation_id': 'g-1',
        'workspace_roots': [str(committed.path)],
        'status': 'completed',
        'loop_count': 0,
    }
    monkeypatch.setattr(sys, 'stdin', io.TextIOWrapper(io.BytesIO(json.dumps(event).encode())))
    environ = {**os.environ, 'REVIEW_TRIGGER_SESSION_MODEL': 'gemini-2.5-flash'}
    code = main(['agent-hook', '--agent', 'cursor'], environ)
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out) == {}  # nothing fired: no follow-up
    assert 'from docs/NEXT.md' in err
    assert 'Recommended model for next session: Opus' in err
