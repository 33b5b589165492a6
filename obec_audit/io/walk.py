"""Every path under the inputs, accounted for: files to read (``.zip`` members included),
folders, and what is not read with why.

- folders are searched recursively in name order; a symlinked folder is followed once (its
  real path), a link back to a folder already met is a ``loop``; a folder that cannot be
  listed is ``unreadable``;
- Excel lock files (``~$…``) and hidden/system files are ``ignored`` (listed, no finding);
- a ``.zip`` is opened and its members (≤ ``ZIP_DEPTH`` archives deep) become entries whose
  name is ``archive.zip:member.xlsx``.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / 'a.csv').write_text('x', encoding='utf-8'); _ = (d / '~$a.xlsx').write_bytes(b'x')
>>> [(e.name, e.kind, e.status) for e in walk(d)]
[(..., 'dir', ''), ('a.csv', 'file', ''), ('~$a.xlsx', 'file', 'ignored')]
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Entry", "walk", "zip_members", "ZIP_DEPTH", "ZIP_MEMBER_MAX", "DATA_SUFFIXES"]

ZIP_DEPTH = 2
#: a member bigger than this (uncompressed) is not read (zip bombs)
ZIP_MEMBER_MAX = 512 << 20
#: names that promise a student table: no header in them is an error, not a note
DATA_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".csv", ".ods", ".tsv"})


@dataclass
class Entry:
    """One path met. ``kind``: ``file``, ``dir`` or ``member`` (of a zip); ``status``: '' (to
    read), ``ignored``, ``loop``, ``duplicate``, ``unreadable``; ``explicit``: named on the
    command line."""

    path: Path
    name: str
    kind: str = "file"
    status: str = ""
    reason_en: str = ""
    message_th: str = ""
    explicit: bool = False
    opener: Callable[[], bytes] | None = None
    depth: int = 0

    def read(self) -> bytes:
        return self.opener() if self.opener is not None else self.path.read_bytes()

    @property
    def suffix(self) -> str:
        return Path(self.name.rsplit(":", 1)[-1]).suffix.lower()


def _ignored(name: str) -> bool:
    return name.startswith(("~$", ".", "._")) or name in {"Thumbs.db", "desktop.ini", "__MACOSX"}


def walk(paths) -> list[Entry]:
    """The entries of ``paths`` (a path, a str or an iterable of them), in order."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Entry] = []
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            _walk_dir(p, out, seen_dirs, seen_files)
        else:
            key = os.path.realpath(p)
            if key in seen_files:
                continue
            seen_files.add(key)
            out.append(Entry(p, p.name, explicit=True))
    return out


def _walk_dir(d: Path, out: list[Entry], seen_dirs: set[str], seen_files: set[str]) -> None:
    real = os.path.realpath(d)
    if real in seen_dirs:
        out.append(Entry(d, d.name, "dir", "loop", "symlink loop or folder already read",
                         f"โฟลเดอร์ {d.name} เป็นทางลัด (symlink) ไปยังโฟลเดอร์ที่อ่านแล้ว จึงไม่อ่านซ้ำ"))
        return
    seen_dirs.add(real)
    try:
        children = sorted(d.iterdir(), key=lambda c: c.name)
    except OSError as exc:
        out.append(Entry(d, d.name, "dir", "unreadable", f"cannot list folder: {exc.strerror or exc}",
                         f"เปิดโฟลเดอร์ {d.name} ไม่ได้ (ไม่มีสิทธิ์อ่าน) แฟ้มในโฟลเดอร์นี้จึงไม่ได้ตรวจ "
                         "ให้คัดลอกแฟ้มมาไว้ในโฟลเดอร์ที่เปิดได้แล้วตรวจอีกครั้ง"))
        return
    out.append(Entry(d, d.name, "dir", reason_en=f"{len(children)} entries"))
    for c in children:
        if _ignored(c.name):
            out.append(Entry(c, c.name, "dir" if c.is_dir() else "file", "ignored",
                             "lock, hidden or system file",
                             f"{c.name} เป็นแฟ้มชั่วคราว/แฟ้มระบบ ไม่ใช่ข้อมูล ไม่ได้อ่าน"))
            continue
        if c.is_dir():
            _walk_dir(c, out, seen_dirs, seen_files)
        elif c.is_file():
            key = os.path.realpath(c)
            if key in seen_files:
                out.append(Entry(c, c.name, "file", "duplicate", "same file met twice (link)",
                                 f"แฟ้ม {c.name} เป็นทางลัดไปยังแฟ้มที่อ่านแล้ว จึงอ่านครั้งเดียว"))
                continue
            seen_files.add(key)
            out.append(Entry(c, c.name))
        else:
            out.append(Entry(c, c.name, "file", "unreadable", "broken link or special file",
                             f"{c.name} เป็นทางลัดที่ปลายทางหายไป หรือไม่ใช่แฟ้มธรรมดา จึงอ่านไม่ได้"))


def zip_members(entry: Entry, data: bytes) -> list[Entry]:
    """The members of a zip (folders and hidden members skipped), as entries to read; raises
    ``zipfile.BadZipFile`` (or OSError) when the archive cannot be opened."""
    z = zipfile.ZipFile(io.BytesIO(data))
    out: list[Entry] = []
    for info in z.infolist():
        if info.is_dir():
            continue
        base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
        parts = info.filename.replace("\\", "/").split("/")
        name = f"{entry.name}:{base}"
        if any(_ignored(part) for part in parts if part):
            out.append(Entry(entry.path, name, "member", "ignored", "hidden or system member",
                             f"{name} เป็นแฟ้มระบบในแฟ้มบีบอัด ไม่ได้อ่าน", depth=entry.depth + 1))
            continue
        if info.file_size > ZIP_MEMBER_MAX:
            out.append(Entry(entry.path, name, "member", "unreadable", "member too large",
                             f"{name} ใหญ่เกินไป ({info.file_size:,} ไบต์) ให้แตกแฟ้มบีบอัดแล้วส่งแฟ้มแยก",
                             depth=entry.depth + 1))
            continue
        out.append(Entry(Path(f"{entry.path}/{info.filename}"), name, "member",
                         opener=(lambda i=info: z.read(i)), depth=entry.depth + 1))
    return out
