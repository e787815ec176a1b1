"""What a piece of a page's text is: a title, a field label, an upvote count, prose.

The card reader asks these questions of link texts, headings and lines; the
answers never depend on where on the page the text stands.

Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata

from tracker.sources import dates, fields
from tracker.sources.names import NAME
from tracker.sources.page.short_names import abbreviates
from tracker.sources.text import is_page_noise, is_prose
from tracker.wording import shortened

BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
NUMBERING = re.compile(r"(?:#?\d{1,3}[.)、:]|\(\d{1,3}\)|\[\d{1,3}\])\s+")
LEAD_SYMBOLS = re.compile(r"[^\w\"'“‘(\[$¿¡]+")

# "Label: value" lines inside a card; the label is matched without its decoration.
LABEL = re.compile(r"(?P<label>[^\W\d][\w .()/&'’-]{0,38}?)\s*[:：]\s*(?P<value>.*)", re.DOTALL)
ORIGINAL_TITLE_LABELS = frozenset(
    {
        "原文标题",
        "英文标题",
        "原标题",
        "论文标题",
        "original title",
        "english title",
        "원제목",
        "원문 제목",
    }
)
ABSTRACT_LABELS = frozenset(
    {
        "abstract",
        "摘要",
        "summary",
        "tl;dr",
        "tldr",
        "초록",
        "요약",
        "概要",
        "論文概要",
        "abstract (original)",
    }
)
# "Title: …" as a record's field (not "Title (ZH)": a translation of it).
TITLE_LABELS = frozenset(
    {"title", "paper title", "标题", "题目", "제목", "タイトル", "titre", "título"}
)
AUTHOR_LABELS = frozenset({"authors", "author", "저자", "著者", "by"})
VOTE_LABELS = frozenset({"vote", "votes", "upvote", "upvotes", "likes", "热度", "点赞", "추천"})
DATE_LABELS = frozenset(
    {
        "published", "published on", "date", "publication date", "publish date", "pub date",
        "submitted", "submission date", "发布日期", "发表日期", "发布时间", "日期",
    }
)  # fmt: skip
SKIP_LABELS = frozenset(
    {
        "link", "links", "url", "arxiv", "arxiv id", "paper", "pdf", "code", "github", "project",
        "project page", "source", "hf", "huggingface", "hugging face", "链接", "论文链接", "代码",
        "项目", "作者", "机构", "方向", "领域", "关键词", "keywords", "subjects", "comments",
        "categories", "category", "tags", "submitted by", "organization", "org", "stars",
        "github stars", "upvotes today", "comments count", "링크", "논문 링크", "분야", "기관",
        # A bot's own fields under each paper: its id, when and how it summarised it, its score.
        "id", "paper id", "论文id", "论文编号", "总结时间", "总结类型", "生成时间", "更新时间",
        "score", "评分", "得分",
    }
)  # fmt: skip
_KNOWN_LABELS = (
    ORIGINAL_TITLE_LABELS
    | ABSTRACT_LABELS
    | AUTHOR_LABELS
    | VOTE_LABELS
    | DATE_LABELS
    | SKIP_LABELS
)
# A label that names another language's copy of the abstract ("초록 (Korean)", "中文摘要").
TRANSLATION = re.compile(
    r"korean|chinese|japanese|中文|한국어|日本語|译文|翻译|번역|\(ko\)|\(zh\)", re.I
)

VOTES = re.compile(
    r"(?:[▲△⬆↑⇧👍^]\ufe0f?|upvotes?|votes?|\(button\)|\[[-+ xX]?\])?\s*:?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d{1,7}|\d+(?:\.\d+)?k|-)"
    r"\s*(?:upvotes?|votes?|likes?|[▲⬆]\ufe0f?)?",
    re.IGNORECASE,
)
VOTE_MARK = re.compile(r"[▲△⬆↑⇧👍^]|upvote|vote|\(button\)|^\s*\[[-+ xX]?\]", re.IGNORECASE)
# "Match 2:", "Paper #3:": a record's number on a line of its own.
RECORD_NUMBER = re.compile(r"[^\W\d][\w ]{0,20}?\s*#?\d{1,4}\s*[:：]")
AUTHOR_COUNT = re.compile(r"[·•*\-\s]*(?:view\s+all\s+|\+\s*)?\d+\s+(?:more\s+)?authors?", re.I)
ALT_TEXT = re.compile(r"^(?:\[[^\[\]]*\]\s*)+")
ALT_ANYWHERE = re.compile(r"\[[^\[\]]*\]")

STARS = re.compile(r"(?:link:\s*)?github\s+[\d.,]+k?", re.IGNORECASE)  # "GitHub 11.3k" stars
AI_SUMMARY = re.compile(r"ai[- ]generated summary", re.IGNORECASE)
SUBMITTED = re.compile(r"[·•\s]*submitted\s+by\b", re.IGNORECASE)
COMMENTS = re.compile(r"[·•\s]*\d+\s+comments?", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?。！？](?=\s|$)")
TRUNCATED = ("...", "…")
SITE_WORDS = re.compile(
    r"hugging\s*face|huggingface|\bhf\b|arxiv|\bpdf\b|github|papers with code|alphaxiv|查看|详情"
    r"|자세히",
    re.IGNORECASE,
)

TITLE_MAX = 400
# "Read Paper", "View PDF", "Download the full text": what a link does, not what it names.
LINK_ACTION = re.compile(
    r"(?:read|view|open|download|see|get|visit|access)\s+(?:the\s+)?"
    r"(?:paper|pdf|article|abstract|full\s+(?:paper|text|article)|more|details)"
    # What a link is, not what it is called: "Paper Link", "PDF URL", "Link to the paper".
    r"|(?:paper|pdf|article|abstract|code|project)\s+(?:link|url)"
    r"|link\s+to\s+(?:the\s+)?(?:paper|pdf|article|abstract)",
    re.IGNORECASE,
)
# "[[CapVector]]": an Obsidian link to a note in the user's vault, not a paper's title.
# "Paper 1", "Paper #3", "论文 2", "第3篇": a card's number in the page's list, never its title.
COUNTER = re.compile(
    r"(?:(?:papers?|articles?|entry|item|pick|no\.?|论文|文章|논문)\s*#?\s*\d{1,4}"
    r"|第\s*\d{1,4}\s*篇(?:论文)?)[.:：]?",
    re.IGNORECASE,
)
WIKILINK = re.compile(r"\[\[[^\[\]\n]{1,120}\]\]")
# "Title *(175 votes)*": a count the page prints after the title, never part of it.
TRAILING_VOTES = re.compile(
    r"\s*[(（]\s*(?:[▲👍]\ufe0f?\s*)?\d{1,3}(?:,\d{3})*(?:\.\d+)?k?\s*"
    r"(?:up)?(?:votes?|likes?)\s*[)）]$",
    re.IGNORECASE,
)
# "LongVie: … Generation (评分: 7.5)", "(Score: 8/10)": a summariser's score after the title.
TRAILING_SCORE = re.compile(
    r"\s*[(（\[]\s*(?:score|rating|relevance|评分|得分|分数|评级|점수|スコア)\s*[:：]?\s*"
    r"\d{1,3}(?:\.\d+)?(?:\s*/\s*\d{1,3})?\s*[)）\]]$",
    re.IGNORECASE,
)


def title_of(text: str, *, heading: bool = False) -> str | None:
    """``text`` cleaned as a title, or None when it cannot be one.

    Not a title: nothing but a number, a counter (``Paper 1``), date, id or URL, a run of sentences,
    page navigation, a count of authors or comments, or (outside a heading) a
    link that names the site it points to (``arXiv Page``, ``View on Hugging Face``).
    """
    text = " ".join(text.split())  # shown text: its markup was read where it was found
    if " | " in text:
        cells = _title_cell(text)
        if cells is not None:
            if not cells:
                return None
            text = cells
    m = NUMBERING.match(text)
    if m and len(text) > m.end() + 3:
        text = text[m.end() :]
    m = LEAD_SYMBOLS.match(text)
    if m and not _names_a_symbol(m.group(0)):
        text = text[m.end() :]
    if text[:1] == "[" and text[-1:] == "]" and text.count("[") == 1 and text.count("]") == 1:
        text = text[1:-1].strip()  # "**[Title]**": brackets around it that link nowhere
    text = TRAILING_VOTES.sub("", TRAILING_SCORE.sub("", text)).strip(" -–—|·:").lstrip(",")
    own_day = dates.day_after(text)
    if own_day is not None:
        text = text[:own_day]  # "Nabla-R2D3: … with 2D Rewards (2025-06-18)": its own day
    labelled = field_label(text)
    if labelled is not None and labelled[0] in TITLE_LABELS and labelled[1]:
        text = labelled[1]  # "Title: Attention Is All You Need": the label is not the title
    if len(text) < 3 or len(text) > TITLE_MAX:
        return None
    letters = sum(1 for c in text if c.isalpha())
    if letters < 3:
        return None
    if (
        WIKILINK.search(text)
        or COUNTER.fullmatch(text)
        or LINK_ACTION.fullmatch(text)
        or dates.date_only(text) is not None
        or fields.arxiv_id(text.removeprefix("arXiv:").removeprefix("arxiv:").strip("` "))
        is not None
        or BARE_URL.fullmatch(text)
        or AUTHOR_COUNT.fullmatch(text)
        or COMMENTS.fullmatch(text)
        or is_page_noise(text)
        or looks_like_prose(text)
    ):
        return None
    if (
        SITE_WORDS.search(text)
        and len(SITE_WORDS.sub(" ", text).split()) <= (1 if heading else 3)
        and ": " not in text  # "Name: a title naming arXiv" is a title
    ):
        return None  # "arXiv Page", "View on Hugging Face", "到 Huggingface 论文主页查看详情"
    return text


# A title of a paper among its short name and a one-liner: the words of a name alone.
_NAME_WORDS = 2


def _title_cell(text: str) -> str | None:
    """The title among the cells of ``short name | one-liner | Title``; "" when none is one.

    Digest sites write a paper's link as cells set apart by spaced bars: its
    short name, a one-liner in the reader's language, its title
    (``UniMesh | 统一三维网格的理解与生成 | UniMesh: Unifying 3D Mesh …``). The
    title is the one cell left when the translated ones (Han, kana, Hangul
    beside untranslated cells), the cut ones (``Speculative Decoding...``) and
    the short names of another cell (``UniMesh``) are set aside. A link of a
    short name and a one-liner only (``UniMesh | 统一三维网格…``, a site's
    sidebar) names the paper but gives no title: "". None when the text is
    not such cells (one bar and no translation: ``Title | Site``), so it is
    read as it stands.
    """
    parts = [part.strip(" *_") for part in text.split(" | ")]
    parts = [part for part in parts if part]
    translated = [bool(CJK.search(part)) for part in parts]
    if len(parts) < 3 and not (any(translated) and not all(translated)):
        return None
    left = [
        part
        for part, cjk in zip(parts, translated, strict=True)
        if not cjk and not is_truncated(part)
    ]
    left = [
        part
        for part in left
        if not any(other is not part and abbreviates(part, other) for other in left)
    ]
    if len(left) != 1 or len(left[0].split()) <= _NAME_WORDS:
        return ""
    return left[0]


def _names_a_symbol(lead: str) -> bool:
    """``∆-`` of ``∆-SQIsign``: a math sign glued to the name is part of it, not a bullet."""
    first = lead[0]
    return (
        not any(c.isspace() for c in lead)
        and unicodedata.category(first) == "Sm"
        and "ARROW" not in unicodedata.name(first, "")
        and first not in "+<=>|~¬"
    )


# Chinese, Japanese and Korean script: a title written in it may be a translation.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# "Seung Y. Lee & Iván Marinovic · Stanford GSB WP 4253 · 2025年4月": names, then the venue.
BYLINE = re.compile(
    rf"{NAME.pattern}(?:\s*(?:,|&|\band\b)\s*{NAME.pattern}){{0,9}}"
    r"(?:,?\s+et al\.?)?\s+[·•|]\s+\S.*"
)


def reads_as_text(text: str) -> bool:
    """A paragraph: sentences, or one long sentence (an AI summary of a paper)."""
    return is_prose(text) or (len(text) >= 80 and text.endswith((".", "!", "?", "。")))


# "… eccentric binaries. II. Orbital evolution …": a part's number ends no sentence.
_PART_NUMBER = re.compile(r"(?<!\w)[IVX]{1,4}\.(?=\s)")


def looks_like_prose(text: str) -> bool:
    if len(text) >= 300:
        return True
    return len(SENTENCE_END.findall(_PART_NUMBER.sub("", text))) >= 2 and is_prose(text)


def is_truncated(title: str) -> bool:
    return title.endswith(TRUNCATED)


def vote_count(text: str) -> int | None:
    """An upvote count: ``▲ 181``, ``(BUTTON) 42``, ``Vote: 55``, ``-`` (none yet)."""
    m = VOTES.fullmatch(text.strip())
    if m is None:
        return None
    n = m.group("n").replace(",", "").lower()
    if n == "-":
        return 0
    if n.endswith("k"):
        return int(float(n[:-1]) * 1000)
    return int(n)


def field_label(text: str) -> tuple[str, str] | None:
    """``("authors", "A, B")`` for a line ``**Authors:** A, B`` (decoration dropped)."""
    m = LEAD_SYMBOLS.match(text)
    if m:
        text = text[m.end() :]
    m = LABEL.match(text[:60])
    if m is None:
        return None
    label = m.group("label").strip().casefold()
    value = text[m.start("value") :].strip() if m.group("value") or len(text) > 60 else ""
    return label, value


def known_field(text: str) -> tuple[str, str] | None:
    """``field_label`` for a label a card's fields use (``Authors``, ``Comments``, ``摘要`` …)."""
    found = field_label(text)
    if found is None:
        return None
    base = re.sub(r"\s*\(.*\)$", "", found[0])
    return found if found[0] in _KNOWN_LABELS or base in _KNOWN_LABELS else None


def excerpt(text: str, limit: int = 60) -> str:
    return repr(shortened(text, limit))


def heading_key(text: str) -> str:
    """A heading's words only: ``## 📚 Sources:`` → ``sources``."""
    text = NUMBERING.sub("", text, count=1)
    return LEAD_SYMBOLS.sub("", text, count=1).strip(" :：").casefold()
