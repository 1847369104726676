from __future__ import annotations

from review_trigger.cli import console, main

__all__ = ['console', 'main']

if __name__ == '__main__':
    console()
