"""The window's last-resort error handler: the user reads the message, the log keeps the traceback without it."""

from __future__ import annotations

import logging
import sys

import pytest

from cohesion_desktop.logging_setup import WITHHELD, configure_logging
from cohesion_desktop.ui.app import install_error_handler
from tests.ui.conftest import FakePrompts

NAME = "Annabel Bothwick-Quayle"


def test_an_unexpected_error_is_shown_but_logged_without_its_message(
    prompts: FakePrompts, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_path = configure_logging()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_error_handler(prompts)
    try:
        raise ValueError(f"no volunteer called {NAME}")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = log_path.read_text(encoding="utf-8")
    assert NAME in prompts.said("error")[0]
    assert "unexpected error" in logged and f"builtins.ValueError: {WITHHELD}" in logged
    assert "Annabel" not in logged and "Bothwick" not in logged
