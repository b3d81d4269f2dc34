#!/usr/bin/env python
"""Kept for tools that expect it; `samverkan` is the same command."""

from samverkan.cli import main

if __name__ == "__main__":
    main()
