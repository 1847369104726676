"""A fake reviewer command: reads the prompt on stdin and answers as its
first argument says. Each call appends a line to the file named by the
second argument and keeps the prompt it read beside it (``.stdin``), so a
test can count the calls and read what was sent.

    fake_reviewer.py pass|warn|fail|fenced|envelope|garbage|two|sleep|exit LOG
    fake_reviewer.py escape|escape_and_wait LOG
    fake_reviewer.py quote|quote_verdict|quote_stderr LOG FILE

The ``quote`` modes read FILE, as a reviewer that loads the file it is told
about does, and quote it back: in the summary and a finding, as the
verdict's value, or on stderr with a non-zero exit.
"""

from __future__ import annotations

import json
import sys
import time

FINDING = {'file': 'm1.py', 'line': 1, 'severity': 'medium', 'text': 'check the name'}


def verdict(status: str, findings: list[dict[str, object]]) -> str:
    return json.dumps({'verdict': status, 'summary': f'{status.lower()} summary', 'findings': findings})


def main() -> int:
    mode, log = sys.argv[1], sys.argv[2]
    prompt = sys.stdin.read()
    with open(log, 'a', encoding='utf-8') as f:
        f.write(f'{mode}\n')
    with open(log + '.stdin', 'w', encoding='utf-8') as f:
        f.write(prompt)
    if mode == 'pass':
        print(verdict('PASS', []))
    elif mode == 'warn':
        print(verdict('WARN', [FINDING]))
    elif mode == 'fail':
        print(verdict('FAIL', [FINDING, {**FINDING, 'line': None, 'severity': 'high'}]))
    elif mode == 'fenced':
        print(f'I looked at it.\n\n```json\n{verdict("WARN", [FINDING])}\n```\n\nThat is all.')
    elif mode == 'envelope':
        print(
            json.dumps(
                {
                    'type': 'result',
                    'subtype': 'success',
                    'is_error': False,
                    'result': f'```json\n{verdict("PASS", [])}\n```',
                    'total_cost_usd': 0.4321,
                    'usage': {'input_tokens': 100, 'cache_read_input_tokens': 5000, 'output_tokens': 700},
                    'modelUsage': {'claude-opus-4-8': {}},
                }
            )
        )
    elif mode == 'garbage':
        print('Looks good to me! PASS')
    elif mode == 'two':
        print(f'```json\n{verdict("PASS", [])}\n```\n```json\n{verdict("FAIL", [])}\n```')
    elif mode == 'sleep':
        print(verdict('PASS', []), flush=True)
        time.sleep(30)
    elif mode.startswith('quote'):
        with open(sys.argv[3], encoding='utf-8') as f:
            quoted = f.read().strip()
        if mode == 'quote':
            finding = {'file': quoted, 'line': 1, 'severity': 'high', 'text': f'this leaks: {quoted}'}
            print(
                f'```json\n{json.dumps({"verdict": "FAIL", "summary": quoted, "findings": [finding]})}\n```'
            )
        elif mode == 'quote_verdict':
            print(json.dumps({'verdict': quoted, 'summary': '', 'findings': []}))
        else:
            print(f'reviewer: cannot go on with {quoted}', file=sys.stderr)
            return 1
    elif mode in ('escape', 'escape_and_wait'):
        # A process that leaves the session and keeps stdout open; its pid
        # goes to LOG.pid, for the test to stop it.
        print(verdict('PASS', []), flush=True)
        import os

        if os.fork() == 0:
            os.setsid()
            with open(log + '.pid', 'w', encoding='utf-8') as f:
                f.write(str(os.getpid()))
            time.sleep(60)
            return 0
        if mode == 'escape_and_wait':
            time.sleep(60)
    elif mode == 'exit':
        print(verdict('PASS', []))
        print('reviewer: quota exhausted', file=sys.stderr)
        return 3
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
