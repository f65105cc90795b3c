"""Article uploads into a run: checked names, size and count limits, one folder per run.

Files land in ``<root>/<run id>/<name>``; the run id has been resolved against the store and
the name checked by ``check_upload_name``, and the final path is verified to lie inside the
run's folder all the same. Text uploads are read through ``ingest.document_from_text`` first,
so an empty or undecodable file is refused with the one-line reason instead of failing later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException, UploadFile

from .security import check_upload_name

CHUNK = 64 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 5_000_000  # per file
    max_files_per_request: int = 20
    max_files_per_run: int = 200


class Uploads:
    def __init__(self, root: Path, limits: UploadLimits):
        self.root, self.limits = root, limits

    def folder(self, run_id: str) -> Path:
        return self.root / run_id

    def files(self, run_id: str) -> list[dict]:
        folder = self.folder(run_id)
        if not folder.is_dir():
            return []
        return [{"name": p.name, "bytes": p.stat().st_size} for p in sorted(folder.iterdir()) if p.is_file()]

    async def save(self, run_id: str, files: list[UploadFile]) -> list[dict]:
        """Check every file first, then write them all; nothing is written when one is refused."""
        if len(files) > self.limits.max_files_per_request:
            raise HTTPException(status_code=413, detail=f"{len(files)} files in one upload; at most "
                                                        f"{self.limits.max_files_per_request}")
        if len(self.files(run_id)) + len(files) > self.limits.max_files_per_run:
            raise HTTPException(status_code=413, detail=f"a run holds at most {self.limits.max_files_per_run} "
                                                        "uploaded files")
        folder = self.folder(run_id)
        checked: list[tuple[Path, bytes]] = []
        for upload in files:
            name = check_upload_name(upload.filename)
            target = folder / name
            if os.path.commonpath([folder.resolve(), target.resolve()]) != str(folder.resolve()):
                raise HTTPException(status_code=400, detail=f"{name!r}: outside the upload folder")
            data = await self._read_limited(upload, name)
            _check_content(name, data)
            checked.append((target, data))
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        for target, data in checked:
            target.write_bytes(data)
            saved.append({"name": target.name, "bytes": len(data)})
        return saved

    async def _read_limited(self, upload: UploadFile, name: str) -> bytes:
        """The file's bytes, read in chunks and refused as soon as they pass the limit."""
        parts, total = [], 0
        while chunk := await upload.read(CHUNK):
            total += len(chunk)
            if total > self.limits.max_bytes:
                raise HTTPException(status_code=413, detail=f"{name!r} is over the "
                                                            f"{self.limits.max_bytes / 1e6:g} MB upload limit")
            parts.append(chunk)
        return b"".join(parts)


def _check_content(name: str, data: bytes) -> None:
    """Refuse files that ingest would reject anyway (empty, not text, PDF without the header)."""
    from ..ingest import document_from_text
    from ..model import Failure

    if name.lower().endswith(".pdf"):
        if not data.startswith(b"%PDF-"):
            raise HTTPException(status_code=422, detail=f"{name!r} is not a PDF file")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise HTTPException(status_code=422, detail=f"{name!r} is not text; upload .txt, .md, .html "
                                                        "or .pdf articles") from None
        text = str(best)
    result = document_from_text(text, name)
    if isinstance(result, Failure):
        raise HTTPException(status_code=422, detail=result.message)
