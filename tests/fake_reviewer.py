"""A fake reviewer command: reads the prompt on stdin and answers as its
first argument says. Each call appends a line to the file named by the
second argument and keeps the prompt it read beside it (``.stdin``), so a
test can count the calls and read what was sent.

    fake_reviewer.py pass|warn|fail|fenced|envelope|garbage|two|sleep|exit LOG
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
    elif mode == 'exit':
        print(verdict('PASS', []))
        print('reviewer: quota exhausted', file=sys.stderr)
        return 3
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
