"""What a file really is, by its bytes, whatever its name says.

>>> sniff(b'PK\\x03\\x04' + b'\\x00' * 26 + b'[Content_Types].xml')
'xlsx'
>>> sniff(b'\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1' + b'\\x00' * 100)
'xls'
>>> sniff('<html><table>'.encode())
'html'
>>> sniff('\\ufeffชื่อ\\tนามสกุล'.encode('utf-16-le'))
'text'
>>> sniff(b'')
'empty'
"""

from __future__ import annotations

import io
import zipfile

__all__ = ["sniff", "KIND_TH", "text_encoding", "OLE_MAGIC", "ZIP_MAGIC"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"

#: Thai words for each kind, for messages ("แฟ้มนี้เป็น …")
KIND_TH: dict[str, str] = {
    "xlsx": "แฟ้ม Excel (.xlsx)",
    "ods": "แฟ้ม OpenDocument (.ods จาก LibreOffice/WPS)",
    "xls": "แฟ้ม Excel รุ่นเก่า (.xls)",
    "encrypted": "แฟ้ม Excel ที่ตั้งรหัสผ่าน",
    "zip": "แฟ้มบีบอัด (.zip)",
    "html": "หน้าเว็บ (HTML)",
    "xml2003": "แฟ้ม Excel 2003 XML",
    "text": "แฟ้มข้อความ (CSV/ข้อความ)",
    "pdf": "แฟ้ม PDF",
    "image": "แฟ้มรูปภาพ",
    "word": "แฟ้ม Word",
    "empty": "แฟ้มว่าง (0 ไบต์)",
    "binary": "แฟ้มชนิดที่ไม่รู้จัก",
}


def _zip_kind(data: bytes) -> str:
    """xlsx / ods / word / zip for a zip container (its whole bytes, or its head)."""
    if b"mimetype" in data[:100] and _ODS_MIME in data[:200]:
        return "ods"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype").strip().startswith(_ODS_MIME):
                return "ods"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                return "word"
            if "[Content_Types].xml" in names:
                return "xlsx"
            return "zip"
    except Exception:  # noqa: BLE001 - a head only, or a damaged zip: guess from the bytes
        if b"[Content_Types].xml" in data or b"xl/" in data[:65536]:
            return "xlsx"
        if b"word/" in data[:65536]:
            return "word"
        return "zip"


def sniff(data: bytes) -> str:
    """The kind of a file from its bytes (the whole file, or at least its first 64 KiB):
    xlsx, ods, xls, encrypted, zip, html, xml2003, text, pdf, image, word, empty or binary."""
    if not data:
        return "empty"
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        head = data[: 1 << 20]
        if "EncryptedPackage".encode("utf-16-le") in head or b"EncryptedPackage" in head:
            return "encrypted"
        if "WordDocument".encode("utf-16-le") in head:
            return "word"
        return "xls"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    enc = text_encoding(data[:65536])
    if enc is None:
        return "binary"
    head = data[:4096].decode(enc, errors="ignore").lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in data[:8192].decode(
        enc, errors="ignore"
    ):
        return "xml2003"
    if head.startswith(("<!doctype html", "<html", "<table", "<?xml", "<meta", "<head", "<body")) or (
        head.startswith("<") and "<table" in data[:65536].decode(enc, errors="ignore").lower()
    ):
        return "html"
    return "text"


def text_encoding(data: bytes) -> str | None:
    """The encoding of text bytes, or None when they are not text: a BOM (UTF-8, UTF-16),
    UTF-16 without BOM (every other byte NUL), strict UTF-8, else cp874 when the bytes are
    mostly ASCII and Thai. NUL bytes here and there (damage) do not make text binary.

    >>> text_encoding('ชื่อ'.encode('utf-16'))
    'utf-16'
    >>> text_encoding('ชื่อ,x'.encode('cp874'))
    'cp874'
    >>> text_encoding(bytes(range(256)) * 4) is None
    True
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    if sample.count(0) > max(8, len(sample) // 50):
        return None
    clean = sample.replace(b"\x00", b"")
    try:
        clean.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(clean) - 4:  # a character cut at the end of the sample
            return "utf-8"
    ok = sum(b < 0x80 and (b >= 0x20 or b in (9, 10, 13)) or 0xA1 <= b <= 0xFB for b in clean)
    return "cp874" if ok > 0.95 * max(1, len(clean)) else None
