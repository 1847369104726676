"""A fork pull request's report comes from a workflow its author may
control: every way a forged or damaged report differs from what
`review-trigger github` writes is refused with a message naming the field,
and the event payloads the Action reads are checked the same way."""

from __future__ import annotations

import copy

import pytest

from review_trigger.errors import UserError
from review_trigger.github import event

BASE = 'a' * 40
HEAD = 'b' * 40


def good() -> dict:
    return {
        'version': 1,
        'triggered': True,
        'pull_request': {
            'number': 7,
            'repository': 'owner/project',
            'base_sha': BASE,
            'head_sha': HEAD,
            'fork': True,
        },
        'triggers': [{'id': 'security', 'files': ['src/auth.py']}],
        'changes': [{'path': 'src/auth.py'}],
        'prompt': '## Opus Review: security\n',
    }


def test_the_report_review_trigger_writes_is_accepted():
    r = event.parse_report(good(), 'fork.json')
    assert r.pull_request.number == 7 and r.pull_request.fork
    assert r.trigger_ids == ('security',)
    assert r.files == (('src/auth.py', ('security',)),)
    assert r.changed == 1


def _set(path: str, value: object):  # type: ignore[no-untyped-def]
    def change(d: dict) -> dict:
        *parents, last = path.split('.')
        node = d
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node[p]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
        return d

    return change


@pytest.mark.parametrize(
    ('forge', 'message'),
    [
        pytest.param(lambda d: [d], 'not a JSON object', id='not_object'),
        pytest.param(_set('version', True), 'version must be 1', id='version_bool'),
        pytest.param(_set('triggered', 'yes'), 'triggered must be true or false', id='triggered_str'),
        pytest.param(_set('pull_request', None), 'no pull_request object', id='no_pr'),
        pytest.param(_set('pull_request.fork', 0), 'pull_request.fork must be true or false', id='fork_int'),
        pytest.param(
            _set('pull_request.number', 2**53), 'pull_request.number must be a positive integer', id='huge'
        ),
        pytest.param(
            _set('pull_request.repository', 'owner/x/../y'),
            'pull_request.repository must look like OWNER/NAME',
            id='repo_path',
        ),
        pytest.param(
            _set('pull_request.head_sha', 'HEAD'), 'pull_request.head_sha must be a full commit sha', id='sha'
        ),
        pytest.param(_set('triggers', {}), 'triggers must be a list of at most 100', id='triggers_dict'),
        pytest.param(
            _set('triggers', [{'id': f't{i}', 'files': []} for i in range(101)]),
            'triggers must be a list of at most 100',
            id='too_many_triggers',
        ),
        pytest.param(_set('triggers.0', 'security'), 'triggers[0] is not an object', id='trigger_str'),
        pytest.param(_set('triggers.0.id', '@team'), 'triggers[0].id is not a trigger id', id='mention_id'),
        pytest.param(
            _set('triggers.0.files', ['a', 1]), 'triggers[0].files must be a list of strings', id='file_int'
        ),
        pytest.param(
            _set('triggers.0.files', ['x'] * 100_001), 'more than 100000 files', id='too_many_files'
        ),
        pytest.param(
            _set('triggers.0.files', ['a\0b']), 'triggers[0].files has an invalid path', id='nul_path'
        ),
        pytest.param(_set('triggered', False), 'triggered does not agree with triggers', id='disagree'),
        pytest.param(_set('prompt', ['x']), 'prompt must be a string or null', id='prompt_list'),
        pytest.param(
            _set('prompt', 'x' * (4 * 1024 * 1024 + 1)), 'prompt is longer than 4194304', id='prompt_long'
        ),
        pytest.param(_set('prompt', 'a\ud800b'), 'prompt is not valid Unicode', id='lone_surrogate'),
        pytest.param(
            lambda d: {**d, 'triggered': False, 'triggers': []}, 'a prompt without a trigger', id='orphan'
        ),
        pytest.param(_set('changes', None), 'changes must be a list', id='no_changes'),
    ],
)
def test_a_forged_report_is_refused_naming_the_field(forge, message):
    with pytest.raises(UserError) as e:
        event.parse_report(forge(copy.deepcopy(good())), 'fork.json')
    assert str(e.value).startswith('fork.json: ') and message in str(e.value)


def test_a_key_of_a_later_release_is_ignored_not_refused():
    """The fork's run may use a later release of the action, which may add
    report keys within version 1 (as ``information`` was added): they are
    never read, so they do not stop the comment. Known keys stay strict."""
    later = {**good(), 'reviewed_by': {'model': 'x'}, 'information': 'any shape'}
    assert event.parse_report(later, 'fork.json') == event.parse_report(good(), 'fork.json')
    with pytest.raises(UserError, match='triggered must be true or false'):
        event.parse_report({**later, 'triggered': None}, 'fork.json')


def _report():  # type: ignore[no-untyped-def]
    return event.parse_report(good())


def _run(**run):  # type: ignore[no-untyped-def]
    return {'workflow_run': {'head_sha': HEAD, **run}}


def _listed(number: int, url: str) -> dict:
    return {'number': number, 'base': {'repo': {'id': 1, 'url': url, 'name': url.rsplit('/', 1)[-1]}}}


def test_a_report_for_another_repository_or_head_is_refused():
    with pytest.raises(UserError, match='is for owner/project, not this repository'):
        event.check_workflow_run(_report(), _run(), 'other/project')
    with pytest.raises(UserError, match='needs the workflow_run event'):
        event.check_workflow_run(_report(), {'pull_request': {}}, 'owner/project')
    with pytest.raises(UserError, match=f'is for head {HEAD[:12]} but the workflow run was for cccc'):
        event.check_workflow_run(_report(), _run(head_sha='c' * 40), 'owner/project')


def test_the_run_must_list_the_reports_pull_request_in_this_repository():
    api = 'https://api.github.com/repos'
    # Listed, in this repository (the owner is read from the API url): proved.
    run = _run(pull_requests=[_listed(7, f'{api}/Owner/project')])
    assert event.check_workflow_run(_report(), run, 'owner/project') is None
    # Number 7, but of a pull request into another repository: refused.
    run = _run(pull_requests=[_listed(7, f'{api}/attacker/project'), _listed(8, f'{api}/owner/project')])
    with pytest.raises(UserError, match='names pull request #7, which the workflow run is not for'):
        event.check_workflow_run(_report(), run, 'owner/project')
    # A fork's run lists no pull request: the caller checks the head sha.
    assert event.check_workflow_run(_report(), _run(pull_requests=[]), 'owner/project') == HEAD
    assert event.check_workflow_run(_report(), {'workflow_run': {}}, 'owner/project') == HEAD


def _payload(**pr):  # type: ignore[no-untyped-def]
    return {
        'number': 3,
        'pull_request': {
            'base': {'sha': BASE, 'ref': 'main', 'repo': {'full_name': 'owner/project'}},
            'head': {'sha': HEAD, 'ref': 'topic', 'label': 'fan:topic', 'repo': {'full_name': 'fan/project'}},
            **pr,
        },
    }


def test_the_event_names_its_pull_request_and_whether_it_is_a_fork():
    pr = event.pull_request_of(_payload(), 'pull_request_target')
    assert (pr.number, pr.repository, pr.fork, pr.head_ref) == (3, 'owner/project', True, 'fan:topic')
    # A base without its repository: the payload's repository names it.
    payload = _payload(base={'sha': BASE, 'ref': 'main'})
    payload['repository'] = {'full_name': 'owner/project'}
    assert event.pull_request_of(payload, 'pull_request').repository == 'owner/project'
    with pytest.raises(
        UserError, match='the push event has no pull request: run this action on pull_request'
    ):
        event.pull_request_of({'ref': 'refs/heads/main'}, 'push')
    with pytest.raises(UserError, match='has no base or head'):
        event.pull_request_of(_payload(head=None), 'pull_request')


def test_an_api_answer_for_another_repository_is_refused():
    data = _payload()['pull_request'] | {'number': 3}
    assert event.pull_request_from_api(data, 'OWNER/project').number == 3
    data['base']['repo']['full_name'] = 'attacker/project'
    with pytest.raises(UserError, match='is into attacker/project, not owner/project: refusing to comment'):
        event.pull_request_from_api(data, 'owner/project')


def test_a_report_file_must_be_strict_json_within_its_size(tmp_path):
    with pytest.raises(UserError, match='cannot read report .*missing.json: No such file'):
        event.read_json(str(tmp_path / 'missing.json'), 100, 'report')
    big = tmp_path / 'big.json'
    big.write_text('[' + '0,' * 100 + '0]')
    with pytest.raises(UserError, match='is larger than 100 bytes'):
        event.read_json(str(big), 100, 'report')
    twice = tmp_path / 'twice.json'
    twice.write_text('{"triggered": false, "triggered": true}')
    with pytest.raises(UserError, match="not valid JSON: duplicate key 'triggered'"):
        event.read_json(str(twice), 100, 'report')
    nan = tmp_path / 'nan.json'
    nan.write_text('{"n": NaN}')
    with pytest.raises(UserError, match='NaN is not JSON'):
        event.read_json(str(nan), 100, 'report')
