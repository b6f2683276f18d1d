"""Format detection from content, body selection and metadata on small hand-written inputs."""

from __future__ import annotations

import hashlib
from datetime import date

from kb.model import DocFormat
from loaders.detect import detect_format
from loaders.read import document_id, read_document

MARKDOWN = """---
title: A post
date: 2021-03-05
author: Jane Roe
permalink: /2021/03/05/a-post/
---

TK/ The **administration** said the strike was [lawful](https://www.example.org/lawful-strike-slug).
Critics disagreed. ([Reuters](https://www.reuters.com/x) / [Lawfare](https://www.lawfareblog.com/y))

* **A headline in a bullet**. ([CNN](https://www.cnn.com/z))
* Another bullet without a link

```
print("code is not prose.")
```
"""

WEB = "\n".join(
    [
        "Skip to content",
        "Subscribe to our newsletter",
        "Menu",
        "Home",
        "A court rules the raid unlawful",
        "By Maria Lopez",
        "Published March 2, 2021",
        (
            "A federal court ruled on Monday that the raid violated both statute and treaty, "
            "in an opinion that legal scholars said could reshape the debate about the use of"
            " force abroad."
        ),
        (
            '"There was no armed attack to answer," the judge wrote, adding that the '
            "government had offered no evidence of necessity. The ruling told the story of a "
            "decision made in haste."
        ),
        "Advertisement",
        '"There was no armed attack to answer," the judge wrote.',
        (
            "The government said it would appeal, and lawyers for the plaintiffs told The "
            "Associated Press they expected the case to reach the Supreme Court within a "
            "year."
        ),
        ("Maria Lopez is a legal affairs correspondent at Example Daily covering the courts."),
        "Share this article",
        "Facebook",
        "Twitter",
        "Most Popular",
        "Senators unveil new plan for infrastructure spending",
        "Storm batters coast as thousands lose power",
        "© 2021 Example Daily",
        "Privacy Policy",
        "Terms of Service",
        "",
    ]
)


def test_detection_ignores_the_file_name() -> None:
    plain = b"Title line here\n\nA plain article body. It has two sentences.\n"
    for name in ("post.md", "page.html", "x.txt"):
        assert read_document(plain, name).meta.format is DocFormat.PLAIN
        assert read_document(MARKDOWN.encode(), name).meta.format is DocFormat.MARKDOWN
        assert read_document(WEB.encode(), name).meta.format is DocFormat.WEB


def test_markdown_without_front_matter_is_detected() -> None:
    text = "# Heading\n\nSee [one](https://a.com/1) and [two](https://b.com/2).\n"
    assert detect_format(text) is DocFormat.MARKDOWN


def test_markdown_reader() -> None:
    doc = read_document(MARKDOWN.encode(), "post.md")
    m = doc.meta
    assert (m.title, m.published, m.author) == ("A post", date(2021, 3, 5), "Jane Roe")
    assert m.url == "/2021/03/05/a-post/"
    texts = [p.text for p in doc.passages]
    assert texts[0].startswith("The **administration** said the strike was [lawful")
    assert "Critics disagreed." in texts
    assert any(t.startswith("A headline in a bullet") for t in texts)
    assert "Another bullet without a link" in texts
    joined = " ".join(texts)
    for bad in ("TK", "lawful-strike-slug", "http", "code is not prose", "title:"):
        assert bad not in joined
    assert [lk.text for lk in doc.links] == ["lawful", "Reuters", "Lawfare", "CNN"]
    for lk in doc.links:
        assert doc.raw[lk.start : lk.end] == lk.text


def test_web_reader_keeps_only_the_article() -> None:
    doc = read_document(WEB.encode(), "page.txt")
    m = doc.meta
    assert m.title == "A court rules the raid unlawful"
    assert m.author == "Maria Lopez"
    assert m.published == date(2021, 3, 2)
    assert m.publisher == "Example Daily"
    texts = [p.text for p in doc.passages]
    assert texts[0].startswith("A federal court ruled on Monday")
    assert texts[-1].startswith("The government said it would appeal")
    # the pull quote repeats a body sentence: it is kept once
    assert sum(t.startswith('"There was no armed attack to answer,"') for t in texts) == 1
    joined = " ".join(texts)
    for bad in (
        "Skip to",
        "newsletter",
        "Advertisement",
        "correspondent at",
        "Senators unveil",
        "Storm batters",
        "©",
        "Privacy",
        "Facebook",
    ):
        assert bad not in joined


def test_plain_reader_with_byline_date_and_crlf() -> None:
    raw = (
        "Drone strike prompts legal debate\r\n\r\nBy John Roe\r\n\r\nMarch 3, 2021\r\n\r\n"
        "The strike raised questions under Art. 51 of the U.N. Charter, experts said. "
        "Some argued it was lawful.\r\n\r\nf\r\n\r\n"
        "We use cookies to improve your experience. By continuing to use this site, you "
        "accept our cookie policy.\r\n"
    )
    doc = read_document(raw.encode(), "a.txt")
    assert doc.meta.format is DocFormat.PLAIN
    assert (doc.meta.title, doc.meta.author) == ("Drone strike prompts legal debate", "John Roe")
    assert doc.meta.published == date(2021, 3, 3)
    assert [p.text for p in doc.passages] == [
        "The strike raised questions under Art. 51 of the U.N. Charter, experts said.",
        "Some argued it was lawful.",
    ]


def test_body_date_is_not_the_publication_date() -> None:
    raw = "A headline\n\nThe attack of September 11, 2001 changed the law of war, he said.\n"
    assert read_document(raw.encode(), "a.txt").meta.published is None


def test_document_id_depends_on_the_source_only() -> None:
    v1 = read_document(b"First title\n\nVersion one of the body text.\n", "dir/story.txt")
    v2 = read_document(b"Other title\n\nVersion two, edited and longer.\n", "dir/story.txt")
    other = read_document(b"First title\n\nVersion one of the body text.\n", "dir/other.txt")
    assert v1.meta.id == v2.meta.id == document_id("dir/story.txt")
    assert v1.meta.id.startswith("document:story-")
    assert other.meta.id != v1.meta.id
    first = b"First title\n\nVersion one of the body text.\n"
    assert v1.meta.sha256 == hashlib.sha256(first).hexdigest()
    assert v1.meta.sha256 != v2.meta.sha256
    assert v1.meta.source == "dir/story.txt"


def test_passage_ids_depend_on_document_offset_and_text() -> None:
    a = read_document(b"T\n\nSame sentence here.\n", "a.txt")
    b = read_document(b"T\n\nSame sentence here.\n", "b.txt")
    assert a.passages[0].id != b.passages[0].id
    assert a.passages[0].id.startswith("passage:")
