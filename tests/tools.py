"""Helpers for tests that need a program from outside Python."""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(name: str, *, install_hint: str) -> str:
    """Return the path of ``name``; skip the test when it is missing — but fail under CI, which installs it."""
    path = shutil.which(name) or (name if os.path.isabs(name) and os.path.exists(name) else None)
    if path:
        return path
    message = f"{name} is not installed ({install_hint})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must install it", pytrace=False)
    pytest.skip(message)
