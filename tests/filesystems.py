"""Real filesystem faults for tests: a small disk that fills up, a read-only folder.

A full disk is a tmpfs of a few hundred kilobytes mounted over a test folder, which needs root. As
root, ``chmod`` does not stop writing, so a read-only folder is a read-only bind mount instead; as any
other user it is ``chmod 0555``. Where neither is possible the test is skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest


def _run(*command: str) -> str | None:
    """Run a mount command; None when it worked, else what it said."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except OSError as exc:
        return str(exc)
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit code {done.returncode}")


@contextmanager
def small_filesystem(folder: Path, *, size_kib: int) -> Iterator[Path]:
    """``folder`` becomes an empty filesystem of ``size_kib`` KiB for the duration (root only)."""
    if os.geteuid() != 0:
        pytest.skip("a small filesystem for disk-full tests needs root (mount -t tmpfs); run as root to test it")
    folder.mkdir(parents=True, exist_ok=True)
    problem = _run("mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(folder))
    if problem:
        pytest.skip(f"this machine does not let root mount a small tmpfs ({problem})")
    try:
        yield folder
    finally:
        _run("umount", "-l", str(folder))


def fill_up(folder: Path) -> None:
    """Write to ``folder`` until its filesystem has no room left."""
    with suppress(OSError), (folder / "filler").open("ab", buffering=0) as handle:
        while True:
            handle.write(b"\0" * 4096)


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """Nothing can be created, changed or removed in ``folder`` for the duration; its files stay readable."""
    if os.geteuid() == 0:
        # Root ignores permission bits; a read-only bind mount stops root too (EROFS).
        problem = _run("mount", "--bind", str(folder), str(folder)) or _run(
            "mount", "-o", "remount,bind,ro", str(folder)
        )
        if problem:
            _run("umount", str(folder))
            pytest.skip(f"as root, a read-only folder needs a read-only bind mount, which failed here ({problem})")
        try:
            yield folder
        finally:
            _run("umount", "-l", str(folder))
        return
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)


@contextmanager
def read_only_file(path: Path) -> Iterator[Path]:
    """``path`` cannot be written for the duration, though its folder can (a file with Read-only set)."""
    if os.geteuid() == 0:
        problem = _run("mount", "--bind", str(path), str(path)) or _run("mount", "-o", "remount,bind,ro", str(path))
        if problem:
            _run("umount", str(path))
            pytest.skip(f"as root, a read-only file needs a read-only bind mount, which failed here ({problem})")
        try:
            yield path
        finally:
            _run("umount", "-l", str(path))
        return
    path.chmod(0o444)
    try:
        yield path
    finally:
        path.chmod(0o644)
