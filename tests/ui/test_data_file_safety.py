"""The window's promises about the data file: only real damage offers a backup in its place."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import pytest

from cohesion_desktop.db import backups
from cohesion_desktop.db import store as store_module
from cohesion_desktop.db.store import open_store
from tests.db.test_healthy_files import LOCKS, add_partners, held_by_another_program
from tests.filesystems import read_only_folder
from tests.ui.conftest import FakePrompts


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def folder_gone(data_file: Path) -> Iterator[None]:
    os.rename(data_file.parent, data_file.parent.with_name("elsewhere"))
    try:
        yield
    finally:
        os.rename(data_file.parent.with_name("elsewhere"), data_file.parent)


def pipe_as_shm(data_file: Path) -> AbstractContextManager[None]:
    shm = data_file.with_name(data_file.name + "-shm")
    shm.unlink(missing_ok=True)
    os.mkfifo(shm)
    return nullcontext()


FAULTS: dict[str, tuple[Callable[[Path], AbstractContextManager[object]], str]] = {
    "the folder is gone": (folder_gone, "does not exist"),
    "another program holds SQLite's lock": (
        lambda path: held_by_another_program(path, *LOCKS["exclusive locking mode"]), "Another program"),
    "a read-only folder": (lambda path: read_only_folder(path.parent), "is read-only"),
    "a disk error": (pipe_as_shm, "disk reported an error"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_file_that_cannot_be_opened_for_another_reason_is_never_offered_a_backup(
        make_window: Callable[[], object], prompts: FakePrompts, tmp_path: Path, fault: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data_file = tmp_path / "usb-stick" / "cohesion.sqlite"
    data_file.parent.mkdir()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    add_partners(data_file, 10)
    assert backups.make_automatic_backup(data_file) is not None  # a backup that could be offered
    before = digest(data_file)
    arrange, words = FAULTS[fault]
    prompts.script(0)  # were a restore offered, this would accept it
    with arrange(data_file):
        window = make_window()
        assert not window.open_data_file(data_file)  # type: ignore[attr-defined]
        assert window.store is None  # type: ignore[attr-defined]
    assert prompts.said("choose") == []
    assert any(words in text and "is damaged" not in text for text in prompts.said("error"))
    assert digest(data_file) == before
    assert not list(data_file.parent.glob("cohesion.damaged-*"))
    data_file.with_name(data_file.name + "-shm").unlink(missing_ok=True)
    with open_store(data_file):  # once the cause is gone, the file opens as it was
        pass
