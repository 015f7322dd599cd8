"""Shared test helpers."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

SHARED = Path(os.environ.get("MARSAD_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")


def load_scorer() -> ModuleType:
    """The project's scorer (shared/eval/score.py beside the repository); skips the test without it."""
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip(f"no scorer at {path}")
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


from store_fixtures import store  # noqa: E402,F401  (a fresh store on SQLite and on PostgreSQL)
