from __future__ import annotations

from review_trigger.cli import console

if __name__ == '__main__':
    console()
