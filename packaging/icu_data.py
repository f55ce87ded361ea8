"""Shrink the ICU data library that PySide6's Linux Qt carries (``libicudata.so.73``, 32 MB) to what Qt uses.

build_installer.spec calls :func:`trimmed_library` on Linux. Qt asks ICU for four things only (the ICU functions
libQt6Core imports): collation (``QCollator``), case mapping, time-zone ids and names (``QTimeZone``) and character
conversion (``QStringConverter``). Of ICU's data, that needs collation, time-zone names, the supplemental tables and
the root locale; not the break-iteration dictionaries, currency, unit, language and region names, transliteration,
spelled-out numbers, or the conversion tables of legacy encodings (Qt 6 converts UTF-8/16/32 and Latin-1 itself,
and the app reads files with Python). Locale data is kept for the app's languages; any other locale falls back to
root, which is how ICU treats a locale it has no data for. This is the filtering ICU's own data build tool offers,
done on the built library: 32 MB become about 2.5 MB.

ICU keeps its data as one "common data package", the library's only symbol (``icudt73_dat``, all of ``.rodata``):

    header      uint16 headerSize, magic 0xda 0x27, UDataInfo (little-endian, dataFormat "CmnD", formatVersion 1),
                padded to headerSize
    contents    uint32 count, then count × (uint32 nameOffset, uint32 dataOffset), both counted from ``count``;
                the names ("icudt73l/coll/root.res"), NUL-terminated and sorted (ICU finds an item by binary
                search); then the items, each aligned on 16 bytes

(ICU sources: ``common/ucmndata.h``, ``tools/toolutil/package.cpp``.) The binutils that PyInstaller needs on Linux
(``objcopy``, ``nm``, ``as``, ``ld``) take the package out of the library and build the new one around it.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from collections.abc import Iterable
from pathlib import Path

MAGIC = b"\xda\x27"
COMMON_DATA_FORMAT = b"CmnD"
ALIGNMENT = 16
PADDING = b"\xaa"  # what ICU's own packager fills the gaps with
# Trees of the package none of Qt's ICU calls reads.
UNUSED_TREES = frozenset({"brkitr", "curr", "lang", "rbnf", "region", "translit", "unit"})
# Locale data kept in the other trees: the app's languages, UK English and Welsh (root always stays).
KEPT_LANGUAGES = frozenset({"en", "cy"})
_LOCALE_ID = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")


class NotCommonData(ValueError):
    """The bytes are not an ICU common data package this module understands."""


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and the (name, bytes) items of a little-endian common data package."""
    if len(blob) < 32 or blob[2:4] != MAGIC:
        raise NotCommonData("no ICU data header")
    header_size = struct.unpack_from("<H", blob, 0)[0]
    is_big_endian = blob[8]
    if is_big_endian or blob[12:16] != COMMON_DATA_FORMAT:
        raise NotCommonData(f"not a little-endian common data package (format {blob[12:16]!r})")
    count = struct.unpack_from("<I", blob, header_size)[0]
    entries = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_offset, data_offset) in enumerate(entries):
        start = header_size + name_offset
        name = blob[start : blob.index(b"\0", start)].decode("ascii")
        end = header_size + entries[index + 1][1] if index + 1 < count else len(blob)
        items.append((name, blob[header_size + data_offset : end]))
    return blob[:header_size], items


def write_package(header: bytes, items: Iterable[tuple[str, bytes]]) -> bytes:
    """A common data package of ``items``, which must be sorted by name as ICU looks them up by bisection."""
    items = list(items)
    names = [name for name, _data in items]
    if names != sorted(names, key=lambda name: name.encode("ascii")):
        raise ValueError("the items are not sorted by name")
    names_start = 4 + 8 * len(items)
    name_offsets, name_bytes = [], bytearray()
    for name in names:
        name_offsets.append(names_start + len(name_bytes))
        name_bytes += name.encode("ascii") + b"\0"
    data_start = _aligned(names_start + len(name_bytes))
    data_offsets, data_bytes = [], bytearray()
    for _name, data in items:
        data_offsets.append(data_start + len(data_bytes))
        data_bytes += data + PADDING * (_aligned(len(data)) - len(data))
    contents = bytearray(struct.pack("<I", len(items)))
    for name_offset, data_offset in zip(name_offsets, data_offsets, strict=True):
        contents += struct.pack("<II", name_offset, data_offset)
    contents += name_bytes + PADDING * (data_start - names_start - len(name_bytes))
    return header + bytes(contents) + bytes(data_bytes)


def used_by_qt(name: str) -> bool:
    """Whether an item ("icudt73l/coll/de.res") is one that Qt's calls into ICU can read, for the kept languages."""
    path = name.split("/", 1)[1]
    tree, _, leaf = path.rpartition("/")
    if tree in UNUSED_TREES or leaf.endswith(".cnv"):
        return False
    stem, _, extension = leaf.rpartition(".")
    if extension == "res" and stem != "res_index" and _LOCALE_ID.fullmatch(stem):
        return stem.split("_")[0] in KEPT_LANGUAGES
    return True


def trimmed_package(blob: bytes) -> bytes:
    header, items = read_package(blob)
    return write_package(header, [(name, data) for name, data in items if used_by_qt(name)])


def trimmed_library(library: Path, work: Path) -> Path:
    """Build, in ``work``, a copy of the ICU data library ``library`` that holds only :func:`used_by_qt` items."""
    tools = {tool: shutil.which(tool) for tool in ("nm", "readelf", "objcopy", "as", "ld")}
    missing = [tool for tool, found in tools.items() if found is None]
    if missing:
        raise FileNotFoundError(f"binutils' {', '.join(missing)} not found")
    symbols = _run(tools["nm"], "-D", "--defined-only", str(library)).split()
    [symbol] = [word for word in symbols if re.fullmatch(r"icudt\d+_dat", word)]
    soname = re.search(r"\(SONAME\)\s+Library soname: \[(.+?)\]", _run(tools["readelf"], "-d", str(library)))
    if soname is None:
        raise NotCommonData(f"{library} has no soname")
    work.mkdir(parents=True, exist_ok=True)
    original = work / "original.dat"
    _run(tools["objcopy"], "-O", "binary", "--only-section=.rodata", str(library), str(original))
    trimmed = work / "trimmed.dat"
    trimmed.write_bytes(trimmed_package(original.read_bytes()))
    source = work / "data.s"
    source.write_text(
        "\t.section .rodata\n"
        f"\t.balign {ALIGNMENT}\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        f"\t.size {symbol}, {trimmed.stat().st_size}\n"
        f"{symbol}:\n"
        f'\t.incbin "{trimmed}"\n'
        '\t.section .note.GNU-stack,"",@progbits\n',
        encoding="ascii",
    )
    _run(tools["as"], "-o", str(work / "data.o"), str(source))
    out = work / soname.group(1)
    _run(tools["ld"], "-shared", "-soname", soname.group(1), "-o", str(out), str(work / "data.o"))
    return out


def _aligned(size: int) -> int:
    return -(-size // ALIGNMENT) * ALIGNMENT


def _run(*command: str | None) -> str:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, check=True).stdout
