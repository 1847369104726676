from __future__ import annotations

from review_trigger.cli import main

if __name__ == '__main__':
    raise SystemExit(main())
