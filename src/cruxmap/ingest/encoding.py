"""Bytes → text: binary sniffing, encoding detection and newline normalisation.

News articles arrive as UTF-8 (with or without a BOM), UTF-16 with a BOM (Windows "Unicode"
saves) or Windows-1252/Latin-1 (older exports, Word "Save as text"). The chain below tries
the unambiguous encodings first and only asks ``charset-normalizer`` when Windows-1252 is not
plausible, because on short English text it prefers Central-European code pages that turn
``crème`` into ``crčme``.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

#: magic numbers of formats that are sometimes misnamed as text
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.epub)"),
    (b"%PDF-", "a PDF"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # must precede UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: C0 control characters other than tab, newline, carriage return and form feed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x85")

_FIX_ENCODING = "re-save the file as UTF-8"


def normalise_newlines(text: str) -> str:
    """CRLF, CR and the Unicode line/paragraph separators all become ``\\n``."""
    if "\r" not in text and "\u2028" not in text and "\u2029" not in text and "\x85" not in text:
        return text
    return _NEWLINES.sub("\n", text)


def sniff_binary(data: bytes, path: str) -> None:
    """Raise ``binary-file`` when the bytes are an image, archive, executable or other non-text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(
                f"this is {what}, not text",
                path=path,
                code="binary-file",
                fix="give the article as .txt, .md, .html or .pdf",
            )
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return  # UTF-16/32 text is full of NUL bytes by design
    head = data[:8192]
    if b"\x00" in head and not _looks_like_bomless_utf16(head):
        raise InputError(
            "the file holds NUL bytes, so it is binary, not text",
            path=path,
            code="binary-file",
            fix="give the article as .txt, .md, .html or .pdf",
        )


def _looks_like_bomless_utf16(head: bytes) -> bool:
    """English UTF-16 without a BOM has a NUL in (almost) every other byte."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.9


def decode_bytes(data: bytes, path: str, *, newlines: bool = True) -> tuple[str, str]:
    """Decode a text file and (unless ``newlines=False``) normalise its newlines; return ``(text, encoding)``.

    Exports keep their line separators (a JSON string may hold a raw U+2028); their records'
    texts are normalised one by one. Raises ``InputError('undecodable')`` when no encoding
    gives plausible text.
    """
    text, encoding = _decode(data, path)
    if len(_CONTROL.findall(text[:20000])) > max(8, len(text[:20000]) // 100):
        raise InputError(
            f"decoded as {encoding}, the text is full of control characters",
            path=path,
            code="undecodable",
            fix=_FIX_ENCODING,
        )
    return (normalise_newlines(text) if newlines else text), encoding


def _decode(data: bytes, path: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise InputError(
                    f"the file starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {err.start})",
                    path=path,
                    code="undecodable",
                    fix=_FIX_ENCODING,
                ) from err
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192] and _looks_like_bomless_utf16(data[:8192]):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    try:
        cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        cp1252 = None
    if cp1252 is not None and _plausible_western(cp1252):
        return cp1252, "cp1252"
    # Mostly-ASCII bytes with a few stray ones: any code-page guess would be arbitrary.
    if _non_ascii_share(data) >= 0.3:
        guess = _charset_normalizer_guess(data)
        if guess is not None:
            return guess
    if cp1252 is not None:
        return cp1252, "cp1252"
    raise InputError(
        "the bytes are neither UTF-8, UTF-16 nor Windows-1252/Latin-1 text",
        path=path,
        code="undecodable",
        fix=_FIX_ENCODING,
    )


def _non_ascii_share(data: bytes) -> float:
    sample = data[:50000]
    return (len(sample) - len(sample.decode("latin-1").encode("ascii", "ignore"))) / max(1, len(sample))


def _plausible_western(text: str) -> bool:
    """Windows-1252 text in a Western language has few non-ASCII letters.

    Cyrillic or Greek bytes read as Windows-1252 come out as words made only of accented
    Latin letters (``Ïðèâåò``); those go to charset-normalizer instead.
    """
    sample = text[:50000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return True
    accented = sum(1 for ch in sample if ch.isalpha() and ord(ch) > 127)
    return accented / letters < 0.15


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200000]).best()
    if best is None or best.chaos > 0.3:
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None
