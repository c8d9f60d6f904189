"""The `newsreader` command line: Click commands with Rich output or `--json`."""

from .main import main

__all__ = ["main"]
