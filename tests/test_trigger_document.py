from __future__ import annotations

import pytest
from conftest import fired


def lines(n, word='line'):
    return ''.join(f'{word} {i}\n' for i in range(n))


@pytest.mark.parametrize(
    ('path', 'n', 'fires'),
    [
        pytest.param('docs/guide.md', 40, True, id='new_doc_40_lines'),
        pytest.param('docs/guide.md', 39, False, id='new_doc_39_lines_noop'),
        pytest.param('docs/guide.rst', 60, True, id='rst'),
        pytest.param('docs/adr/0007-queue.md', 3, True, id='short_adr'),
        pytest.param('requirements-dev.txt', 60, False, id='requirements_noop'),
        pytest.param('CHANGELOG.md', 60, False, id='changelog_noop'),
    ],
)
def test_new_documents(committed, cli, path, n, fires):
    committed.stage(path, lines(n))
    assert (fired(cli).get('document') is not None) is fires


def test_document_grown_by_80_lines_fires(committed, cli):
    committed.stage('docs/guide.md', lines(300))
    committed.commit('guide')
    committed.stage('docs/guide.md', lines(300) + lines(80, 'more'))
    found = fired(cli).get('document')
    assert found['details'][0]['why'] == 'document expanded: +80 -0 lines'


def test_document_grown_by_half_fires(committed, cli):
    committed.stage('docs/guide.md', lines(40))
    committed.commit('guide')
    committed.stage('docs/guide.md', lines(40) + lines(20, 'more'))
    assert fired(cli).get('document') is not None


def test_small_edit_is_noop(committed, cli):
    committed.stage('docs/guide.md', lines(300))
    committed.commit('guide')
    committed.stage('docs/guide.md', lines(300) + lines(30, 'more'))
    assert fired(cli).get('document') is None


def test_thresholds_configurable(committed, cli):
    committed.write('.review-trigger.yaml', 'triggers:\n  document:\n    new_min_lines: 5\n')
    committed.stage('docs/guide.md', lines(5))
    assert fired(cli).get('document') is not None


def _lines(n: int, word: str = 'line') -> str:
    return ''.join(f'{word} {i}\n' for i in range(n))


def test_an_edit_of_a_long_document_is_not_an_expansion(committed, cli):
    committed.stage('docs/guide.md', _lines(400))
    committed.commit('guide')
    # +96 -100: rewording, the document shrank.
    committed.stage('docs/guide.md', _lines(96, 'new') + _lines(400)[len(_lines(100)) :])
    assert fired(cli).get('document') is None


def test_a_rewrite_of_most_of_a_document_fires(committed, cli):
    committed.stage('docs/guide.md', _lines(100))
    committed.commit('guide')
    committed.stage('docs/guide.md', _lines(90, 'new'))
    found = fired(cli).get('document')
    assert found is not None and found['files'] == ['docs/guide.md']


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('docs/intro.mdx', id='mdx'),
        pytest.param('notebooks/tour.ipynb', id='ipynb'),
    ],
)
def test_new_prose_formats_fire(committed, cli, path):
    committed.stage(path, _lines(50))
    assert path in fired(cli)['document']['files']


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('pkg/parse/testdata/input.txt', id='testdata_noop'),
        pytest.param('tests/fixtures/response.txt', id='fixtures_noop'),
        pytest.param('tests/snapshots/page.txt', id='snapshots_noop'),
    ],
)
def test_fixture_text_is_not_a_document(committed, cli, path):
    committed.stage(path, _lines(50))
    assert fired(cli).get('document') is None
