"""Coverage in every process of the suite that runs the package.

``.ci/run`` (and the tests, for the environments they make: the Action's,
pre-commit's hook environment) puts this module next to a .pth file that
imports it. Coverage starts in a process when the process first imports
``review_trigger``, so the many that never do (pre-commit itself, the fake
reviewers, the small scripts the tests run) do not each import coverage
(a tenth of a second of a process). ``REVIEW_TRIGGER_COVERAGE`` names the
configuration; the processes a process starts inherit it.
"""

import os
import sys


class _OnFirstImport:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name == 'review_trigger':
            sys.meta_path.remove(cls)
            import coverage

            # What coverage's own start-up reads; only for this process.
            os.environ['COVERAGE_PROCESS_START'] = os.environ['REVIEW_TRIGGER_COVERAGE']
            try:
                coverage.process_startup()
            finally:
                del os.environ['COVERAGE_PROCESS_START']
        return None  # the package is found as it always is


if os.environ.get('REVIEW_TRIGGER_COVERAGE'):
    sys.meta_path.insert(0, _OnFirstImport)
