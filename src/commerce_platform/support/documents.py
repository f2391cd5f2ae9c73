"""Knowledge documents: parse Markdown / text / HTML into titled sections, then chunk them
into passages of about ``target_tokens`` tokens on sentence boundaries with overlap.

A "token" here is a whitespace-separated word (close to sub-word token counts / 1.3 for
English prose, which is all the ~300-token guidance needs).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath

SUPPORTED_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
                      ".html": "html", ".htm": "html"}


class DocumentParseError(ValueError):
    """A document that cannot be parsed; the sync logs it with the document name and skips it."""


@dataclass
class Section:
    heading: str
    text: str


@dataclass
class ParsedDocument:
    source: str
    title: str
    category: str | None
    sections: list[Section]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Chunk:
    chunk_no: int
    heading: str
    text: str
    tokens: int


def doc_kind(source: str) -> str | None:
    return SUPPORTED_SUFFIXES.get(PurePosixPath(source).suffix.lower())


def _decode(source: str, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise DocumentParseError(f"{source}: looks binary (NUL bytes), not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentParseError(f"{source}: not valid UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8") from exc


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip().lower()] = v.strip().strip("'\"")
    return meta, text[m.end():]


def _clean_md_line(line: str) -> str:
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_EMPH.sub(r"\2", line)
    line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)  # list bullets
    line = re.sub(r"^\s*>\s?", "", line)  # quotes
    if line.strip().startswith("|"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            return ""
        line = "; ".join(c for c in cells if c)
    return line.strip()


def _sections_from_lines(lines: list[tuple[str | None, str]], title: str) -> list[Section]:
    """lines: (heading or None, text line). Paragraph breaks become sentence ends."""
    sections: list[Section] = []
    heading = title
    buf: list[str] = []

    def flush():
        text = _join_paragraphs(buf)
        if text:
            sections.append(Section(heading, text))

    for head, line in lines:
        if head is not None:
            flush()
            heading, buf = head, []
        else:
            buf.append(line)
    flush()
    return sections


def _join_paragraphs(lines: list[str]) -> str:
    out, para = [], []
    for line in lines + [""]:
        if line.strip():
            para.append(line.strip())
        elif para:
            text = " ".join(para)
            if not re.search(r"[.!?:;]$", text):
                text += "."
            out.append(text)
            para = []
    return "\n".join(out)


def parse_markdown(source: str, text: str) -> ParsedDocument:
    meta, body = _front_matter(text)
    title = meta.get("title")
    lines: list[tuple[str | None, str]] = []
    in_code = False
    for raw in body.splitlines():
        if raw.strip().startswith("```"):
            in_code = not in_code
            continue
        m = None if in_code else _MD_HEADING.match(raw)
        if m:
            head = _clean_md_line(m.group(2))
            if len(m.group(1)) == 1 and title is None:
                title = head
                continue
            lines.append((head, ""))
        else:
            cleaned = raw.strip() if in_code else _clean_md_line(raw)
            # A list item is a sentence of its own.
            if raw.lstrip()[:2] in ("- ", "* ", "+ ") or re.match(r"^\s*\d+[.)]\s", raw):
                lines.append((None, ""))
            lines.append((None, cleaned))
    title = title or _title_from_name(source)
    return ParsedDocument(source, title, meta.get("category"), _sections_from_lines(lines, title), meta)


def parse_text(source: str, text: str) -> ParsedDocument:
    meta, body = _front_matter(text)
    raw_lines = body.splitlines()
    title = meta.get("title")
    if title is None:
        first = next((ln.strip() for ln in raw_lines if ln.strip()), "")
        if first and len(first) <= 100 and not first.endswith("."):
            title = first
            raw_lines = raw_lines[raw_lines.index(next(ln for ln in raw_lines if ln.strip())) + 1:]
    title = title or _title_from_name(source)
    lines: list[tuple[str | None, str]] = []
    for i, raw in enumerate(raw_lines):
        s = raw.strip()
        prev_blank = i == 0 or not raw_lines[i - 1].strip()
        next_blank = i + 1 >= len(raw_lines) or not raw_lines[i + 1].strip()
        # A short line standing alone without end punctuation is a heading ("DELIVERY TIMES").
        if s and prev_blank and next_blank and len(s) <= 80 and not re.search(r"[.!?,;]$", s):
            lines.append((s.rstrip(":"), ""))
        else:
            lines.append((None, s))
    return ParsedDocument(source, title, meta.get("category"), _sections_from_lines(lines, title), meta)


class _HtmlText(HTMLParser):
    BLOCK = {"p", "div", "li", "tr", "br", "section", "article", "ul", "ol", "table", "dd", "dt", "td", "th"}
    HEAD = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str | None, str]] = []
        self.title: str | None = None
        self.meta: dict[str, str] = {}
        self._skip = 0
        self._head_tag: str | None = None
        self._buf: list[str] = []
        self._in_title = False
        self._title_buf: list[str] = []

    def _flush_text(self) -> None:
        text = " ".join("".join(self._buf).split())
        self._buf = []
        if text:
            self.lines.append((None, text))
            self.lines.append((None, ""))

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "nav", "footer", "noscript"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            a = dict(attrs)
            if a.get("name") and a.get("content"):
                self.meta[a["name"].lower()] = a["content"]
        elif tag in self.HEAD:
            self._flush_text()
            self._head_tag = tag
        elif tag in self.BLOCK:
            self._flush_text()

    def handle_endtag(self, tag):
        if tag in ("script", "style", "nav", "footer", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.HEAD and self._head_tag == tag:
            head = " ".join("".join(self._buf).split())
            self._buf = []
            self._head_tag = None
            if head:
                if tag == "h1" and self.title is None:
                    self.title = head
                else:
                    self.lines.append((head, ""))
        elif tag in self.BLOCK:
            self._flush_text()

    def handle_data(self, data):
        if self._in_title:
            self._title_buf.append(data)
        elif not self._skip:
            self._buf.append(data)


def parse_html(source: str, text: str) -> ParsedDocument:
    parser = _HtmlText()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # noqa: BLE001 - html.parser raises assorted errors on garbage
        raise DocumentParseError(f"{source}: HTML could not be parsed ({exc})") from exc
    parser._flush_text()
    title = parser.title or html.unescape(" ".join("".join(parser._title_buf).split())) or _title_from_name(source)
    return ParsedDocument(source, title, parser.meta.get("category"), _sections_from_lines(parser.lines, title),
                          parser.meta)


def _title_from_name(source: str) -> str:
    return PurePosixPath(source).stem.replace("-", " ").replace("_", " ").strip().capitalize()


def parse_document(source: str, data: bytes) -> ParsedDocument:
    """Parse by file suffix. Raises DocumentParseError naming the document when it cannot."""
    kind = doc_kind(source)
    if kind is None:
        raise DocumentParseError(f"{source}: unsupported document type (use .md, .txt or .html)")
    text = _decode(source, data)
    doc = {"markdown": parse_markdown, "text": parse_text, "html": parse_html}[kind](source, text)
    if not doc.sections or not any(s.text.strip() for s in doc.sections):
        raise DocumentParseError(f"{source}: no text found in the document")
    if doc.category is None and "/" in source:
        doc.category = source.split("/", 1)[0]
    return doc


_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-ZÅÄÖ0-9])|\n+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_SPLIT.split(text) if s and s.strip()]


def count_tokens(text: str) -> int:
    return len(text.split())


def chunk_document(doc: ParsedDocument, target_tokens: int = 300, overlap_tokens: int = 50) -> list[Chunk]:
    """Greedy packing of sentences into chunks of at most ~target_tokens; a chunk that follows a
    full one in the same section starts with its last sentences (up to overlap_tokens). Small
    neighbouring sections share a chunk (the chunk keeps the first section's heading; later
    headings stay in the text as a lead-in)."""
    chunks: list[Chunk] = []
    cur: list[str] = []
    cur_tokens = 0
    cur_heading: str | None = None

    def emit():
        nonlocal cur, cur_tokens, cur_heading
        if cur:
            text = " ".join(cur)
            chunks.append(Chunk(len(chunks), cur_heading or doc.title, text, count_tokens(text)))
        cur, cur_tokens, cur_heading = [], 0, None

    for section in doc.sections:
        sentences = split_sentences(section.text)
        if not sentences:
            continue
        sec_tokens = sum(count_tokens(s) for s in sentences)
        if cur and cur_tokens + sec_tokens > target_tokens:
            emit()
        if cur:  # joining a small section to the running chunk: keep its heading as a lead-in
            cur.append(f"{section.heading}:")
            cur_tokens += count_tokens(section.heading)
        else:
            cur_heading = section.heading
        for sent in sentences:
            n = count_tokens(sent)
            if cur and cur_tokens + n > target_tokens:
                tail: list[str] = []
                tail_tokens = 0
                for prev in reversed(cur):
                    t = count_tokens(prev)
                    if tail_tokens + t > overlap_tokens:
                        break
                    tail.insert(0, prev)
                    tail_tokens += t
                heading = cur_heading
                emit()
                cur, cur_tokens, cur_heading = tail, tail_tokens, heading if tail else section.heading
                cur_heading = section.heading
            cur.append(sent)
            cur_tokens += n
    emit()
    return chunks
