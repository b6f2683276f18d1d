"""Unreadable input is refused with a clear one-line reason, never half-read."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from loaders.errors import DocumentError
from loaders.read import MAX_BYTES, read_document, read_path


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content (NUL bytes)"),
        (b"text with a NUL\x00 in it", "binary content (NUL bytes)"),
        ("Caf\xe9 cr\xe8me, d\xe9j\xe0 vu".encode("latin-1"), "not valid UTF-8 text"),
        (bytes(range(1, 32)) * 20, "binary content (control characters)"),
    ],
)
def test_unreadable_bytes(data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError) as err:
        read_document(data, "bad.txt")
    assert str(err.value).startswith(reason)
    assert "\n" not in str(err.value)


def test_broken_front_matter() -> None:
    data = b"---\ntitle: [unclosed\ndate: 2020-01-04\n---\n\nBody text here.\n"
    with pytest.raises(DocumentError) as err:
        read_document(data, "post.md")
    assert str(err.value).startswith("broken YAML front matter: ")
    assert "\n" not in str(err.value)


def test_front_matter_with_unquoted_colons() -> None:
    with pytest.raises(DocumentError, match="broken YAML front matter"):
        read_document(b"---\ntitle: Day 1: the strike: aftermath\n---\n\nBody text.\n", "post.md")


def test_too_large_bytes() -> None:
    with pytest.raises(DocumentError, match="larger than the 20 MB limit"):
        read_document(b"a" * (MAX_BYTES + 1), "big.txt")


def test_too_large_file_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # sparse: costs no disk space
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(DocumentError, match="larger than the 20 MB limit"):
        read_path(big)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="cannot read file"):
        read_path(tmp_path / "nope.txt")


def test_directory_is_not_a_document(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="cannot read file"):
        read_path(tmp_path)


TEXT = "A headline about the strike\n\nThe strike was lawful, officials said. Critics disagree.\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ],
)
def test_accepted_encodings(data: bytes) -> None:
    doc = read_document(data, "ok.txt")
    assert doc.raw == TEXT
    assert [p.text for p in doc.passages] == [
        "The strike was lawful, officials said.",
        "Critics disagree.",
    ]
    assert doc.meta.title == "A headline about the strike"
