"""The package file: a zip of JSON-lines parts and evidence files, a manifest, signed as a whole.

Layout (every name fixed; anything else refuses the file)::

    round.jsonl          (assignments) the round: framework text and its SHA-256, weight overrides
    agencies.jsonl       the supervisor's facts of each agency carried
    records.jsonl        one record a line: {"t": table, "u": uuid, "a": agency, "k": key, "v": {...}}
    tombstones.jsonl     deleted records: {"t", "u", "at", "by"}
    audit.jsonl          the audit trail of the carried records
    evidence/<sha256>    each evidence file once, named by its SHA-256
    manifest.json        what the package is, and every part's SHA-256, size and row count

Every entry is stored uncompressed, so each byte of a part is a byte its
hash covers (and no entry can be a zip bomb).  The zip's comment, the last
bytes of the file, is ``WBSIG1:`` and the Ed25519 signature (hex) of the
SHA-256 of every byte before it: one changed byte anywhere — a part, a
header, the manifest, the signature — refuses the file.  The key that signs
is the manifest's ``public_key``; whether the reader trusts that key is the
reader's rule (see ``merge`` and ``receive``).  Writing is deterministic
(fixed entry times, sorted rows): the same content gives the same bytes.
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.atomic_write import write_replacing
from workbench.exchange import keys
from workbench.model.errors import UserError
from workbench.model.problems import os_problem, path_text

FORMAT = "evaluator-workbench-package"
FORMAT_VERSION = 1
KINDS = ("assignment", "submission")
JSON_PARTS = ("round.jsonl", "agencies.jsonl", "records.jsonl", "tombstones.jsonl", "audit.jsonl")
_EVIDENCE = re.compile(r"evidence/[0-9a-f]{64}")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
CHUNK = 1024 * 1024
SIG_PREFIX = b"WBSIG1:"
SIG_LEN = len(SIG_PREFIX) + 128

#: Limits against a hostile file, checked on the zip's directory before anything is read.
MAX_MANIFEST = 16 * 1024 * 1024
MAX_JSON_PART = 2 * 1024 * 1024 * 1024
MAX_TOTAL = 64 * 1024 * 1024 * 1024
MAX_RATIO = 20  # unpacked / packed: our parts are stored, so anything far above 1 is a bomb


class PackageRefused(UserError):
    """A file that is not a sound, signed package: nothing of it is used."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"بستهٔ «{Path(path).name}» پذیرفته نشد: {reason}")
        self.file = str(path)
        self.reason = reason


Progress = Callable[[int, int], None]  # (done, total) in bytes
Cancelled = Callable[[], bool]


class Cancel(Exception):
    """The caller's cancel check said stop."""


# --------------------------------------------------------------------------- writing


class PackageWriter:
    """Fill with :meth:`add_lines` and :meth:`add_blob`; :func:`write_package` adds the manifest and signs."""

    def __init__(self, zf: zipfile.ZipFile):
        self._zf = zf
        self.parts: dict[str, dict] = {}

    def add_lines(self, name: str, rows: Iterable[dict]) -> int:
        data = bytearray()
        count = 0
        for row in rows:
            data += (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode()
            count += 1
        self._zf.writestr(_info(name), bytes(data))
        self.parts[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "rows": count}
        return count

    def add_blob(self, sha256: str, size: int, chunks: Iterable[bytes]) -> None:
        name = f"evidence/{sha256}"
        if name in self.parts:
            return
        info = _info(name)
        info.file_size = size
        digest, written = hashlib.sha256(), 0
        with self._zf.open(info, "w", force_zip64=size > 2**31) as out:
            for chunk in chunks:
                digest.update(chunk)
                written += len(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256 or written != size:
            raise UserError(f"فایل مستند {sha256[:12]}… در پایگاه داده با نشانی خود (SHA-256) نمی‌خواند؛ بسته ساخته نشد")
        self.parts[name] = {"sha256": sha256, "size": size}


def content_hash(parts: dict[str, dict]) -> str:
    """What the package says, whatever its sequence number: the same for an unchanged export."""
    text = json.dumps(sorted((n, p["sha256"]) for n, p in parts.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def write_package(path: str | Path, fill: Callable[[PackageWriter], dict], key) -> dict:
    """Write a package atomically: ``fill(writer)`` adds the parts and returns the manifest's own fields."""
    result = {}

    def write(tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            writer = PackageWriter(zf)
            manifest = dict(fill(writer), format=FORMAT, format_version=FORMAT_VERSION, parts=writer.parts)
            manifest["content_sha256"] = content_hash(writer.parts)
            manifest["public_key"] = keys.public_hex(key)
            body = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
            zf.writestr(_info("manifest.json"), body)
            zf.comment = SIG_PREFIX + b"0" * 128
            result.update(manifest)
        with open(tmp, "r+b") as fh:
            size = fh.seek(0, 2)
            digest = _file_digest(fh, size - SIG_LEN)
            fh.seek(size - 128)
            fh.write(keys.sign(key, digest).encode())

    try:
        write_replacing(path, write)
    except OSError as exc:
        raise UserError(f"فایل «{path_text(path)}» نوشته نشد: {os_problem(exc)}") from exc
    return result


def _file_digest(fh, length: int) -> bytes:
    fh.seek(0)
    digest, left = hashlib.sha256(), length
    while left > 0:
        chunk = fh.read(min(CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    return digest.digest()


# --------------------------------------------------------------------------- reading


@dataclass
class Package:
    """A package whose every byte was checked against its signature and manifest."""

    path: Path
    manifest: dict
    id: str  # SHA-256 of the manifest
    _zf: zipfile.ZipFile = field(repr=False)

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    def lines(self, name: str) -> Iterator[dict]:
        if name not in self.manifest["parts"]:
            return
        with self._zf.open(name) as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)

    def blobs(self) -> list[tuple[str, int]]:
        return sorted((n[9:], p["size"]) for n, p in self.manifest["parts"].items() if n.startswith("evidence/"))

    def blob_chunks(self, sha256: str) -> Iterator[bytes]:
        with self._zf.open(f"evidence/{sha256}") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def close(self) -> None:
        self._zf.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_package(
    path: str | Path,
    kind: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Package:
    """Check every byte of the file at ``path`` against its signature and manifest, or raise :class:`PackageRefused`."""
    path = Path(path)
    if not path.is_file():
        raise PackageRefused(path, "فایل وجود ندارد" if not path.exists() else "فایل نیست")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        with path.open("rb") as fh:
            head = fh.read(4)
        if head.startswith(b"PK"):
            raise PackageRefused(path, "فایل ناقص یا آسیب‌دیده است (شاید نیمه‌کاره رونوشت شده)") from None
        raise PackageRefused(path, "این فایل بستهٔ میز کار ارزیاب نیست") from None
    except OSError as exc:
        raise PackageRefused(path, f"فایل خوانده نشد ({os_problem(exc)})") from exc
    try:
        manifest, package_id = _check(zf, path, kind, progress, cancelled)
    except (PackageRefused, Cancel):
        zf.close()
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        zf.close()
        raise PackageRefused(path, f"فایل آسیب‌دیده یا دست‌کاری‌شده است ({type(exc).__name__})") from exc
    return Package(path, manifest, package_id, zf)


def _check(zf: zipfile.ZipFile, path: Path, kind: str, progress, cancelled) -> tuple[dict, str]:
    infos = zf.infolist()
    names = [i.filename for i in infos]
    for name in names:
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name or ":" in name:
            raise PackageRefused(path, f"نام «{name}» در بسته به بیرون از پوشهٔ خود اشاره می‌کند")
    if len(set(names)) != len(names):
        raise PackageRefused(path, "نامی در بسته دو بار آمده است (دست‌کاری‌شده)")
    if "manifest.json" not in names:
        raise PackageRefused(path, "این فایل بستهٔ میز کار ارزیاب نیست (فهرست بسته ندارد)")
    total = 0
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageRefused(
                path, f"بخش «{info.filename}» بمب فشرده است (از {info.compress_size} بایت به {info.file_size} بایت)"
            )
        total += info.file_size
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
            raise PackageRefused(path, f"بخش «{info.filename}» به شکل بستهٔ میز کار نوشته نشده است")
    if total > MAX_TOTAL:
        raise PackageRefused(path, "بسته بیش از اندازه بزرگ است")
    by_name = {i.filename: i for i in infos}
    if by_name["manifest.json"].file_size > MAX_MANIFEST:
        raise PackageRefused(path, "فهرست بسته بیش از اندازه بزرگ است")
    body = zf.read("manifest.json")
    try:
        manifest = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PackageRefused(path, "فهرست بسته خوانا نیست (آسیب‌دیده یا دست‌کاری‌شده)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageRefused(path, "این فایل بستهٔ میز کار ارزیاب نیست")
    hashes = _scan(path, zf, infos, progress, cancelled)
    signature = zf.comment
    if not signature.startswith(SIG_PREFIX) or len(signature) != SIG_LEN:
        raise PackageRefused(path, "بسته امضا ندارد (ناقص یا دست‌کاری‌شده)")
    if not keys.verify(str(manifest.get("public_key", "")), hashes.pop(""), signature[len(SIG_PREFIX):].decode("ascii", "replace")):
        raise PackageRefused(path, "امضای بسته با محتوای آن نمی‌خواند (دست‌کاری‌شده یا آسیب‌دیده)")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise PackageRefused(path, "بسته با نسخهٔ تازه‌تری از میز کار ساخته شده است؛ برنامه را به‌روز کنید")
    if manifest.get("kind") != kind:
        expected = "بستهٔ ارزیاب" if kind == "submission" else "فایل واگذاری"
        raise PackageRefused(path, f"این فایل {expected} نیست")
    parts = manifest.get("parts")
    if not isinstance(parts, dict):
        raise PackageRefused(path, "فهرست بسته بخش‌هایش را نام نمی‌برد")
    present = set(names) - {"manifest.json"}
    if set(parts) != present:
        missing, extra = sorted(set(parts) - present), sorted(present - set(parts))
        what = f"بخش «{missing[0]}» نیست" if missing else f"بخش ناشناختهٔ «{extra[0]}» در آن است"
        raise PackageRefused(path, f"{what} (ناقص یا دست‌کاری‌شده)")
    for name in sorted(present):
        if name not in JSON_PARTS and not _EVIDENCE.fullmatch(name):
            raise PackageRefused(path, f"بخش ناشناختهٔ «{name}» در بسته است")
        part = parts[name]
        if by_name[name].file_size != part.get("size") or hashes[name] != part.get("sha256"):
            raise PackageRefused(path, f"بخش «{name}» با فهرست بسته نمی‌خواند (دست‌کاری‌شده یا آسیب‌دیده)")
        if name.startswith("evidence/") and name[9:] != part["sha256"]:
            raise PackageRefused(path, f"فایل مستند «{name}» با نام خود نمی‌خواند")
    return manifest, hashlib.sha256(body).hexdigest()


def _scan(path: Path, zf: zipfile.ZipFile, infos, progress, cancelled) -> dict[str, object]:
    """One pass over the file: the SHA-256 of each entry's bytes, and (under "") of all but the signature."""
    size = path.stat().st_size
    signed = size - SIG_LEN
    layout = []
    with path.open("rb") as fh:
        for info in infos:
            fh.seek(info.header_offset)
            header = fh.read(30)
            if len(header) != 30 or header[:4] != b"PK\x03\x04":
                raise PackageRefused(path, "ساختار فایل آسیب‌دیده است")
            start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
            if start + info.file_size > signed:
                raise PackageRefused(path, "فایل ناقص یا آسیب‌دیده است")
            layout.append((start, info.file_size, info.filename))
        layout.sort()
        digests = {name: hashlib.sha256() for _, _, name in layout}
        whole = hashlib.sha256()
        fh.seek(0)
        pos, idx = 0, 0
        while pos < signed:
            if cancelled is not None and cancelled():
                raise Cancel()
            chunk = fh.read(min(CHUNK, signed - pos))
            if not chunk:
                raise PackageRefused(path, "فایل ناقص است")
            whole.update(chunk)
            end = pos + len(chunk)
            view = memoryview(chunk)
            j = idx
            while j < len(layout) and layout[j][0] < end:
                start, length, name = layout[j]
                lo, hi = max(start, pos), min(start + length, end)
                if lo < hi:
                    digests[name].update(view[lo - pos : hi - pos])
                if start + length <= end:
                    j += 1
                    idx = j
                else:
                    break
            pos = end
            if progress is not None:
                progress(pos, signed)
    out: dict[str, object] = {name: d.hexdigest() for name, d in digests.items()}
    out[""] = whole.digest()
    return out
