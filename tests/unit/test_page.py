"""Pages whose papers are links (tracker.sources.page): one id is one paper, no junk rows.

Each page here is written in the shape of a kind of real page the importer met (see the
bad cases of issue 13): a search view of huggingface.co/papers as a text
browser renders it, Markdown archives written by bots, a trending report, an
arXiv listing run through a Markdown converter, pages saved as HTML.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker import sources
from tracker.models import normalize_title
from tracker.sources import markup
from tracker.sources.parsed import DigestError, ParsedPaper


def _parse(text: str, name: str = "page.md", fmt: str = sources.AUTO) -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name, fmt)


def _titles(parsed: sources.Parsed) -> list[str]:
    return [p.title for p in parsed.digest.papers]


def _by_title(parsed: sources.Parsed) -> dict[str, ParsedPaper]:
    return {p.title: p for p in parsed.digest.papers}


# A search view (huggingface.co/papers?q=…) as a text browser dumps it: titles are
# reference-style links whose list of URLs the copy lost, each card's abstract is
# the text of a link, and every card prints the paper's own date.
SEARCH_VIEW = """\
# Web source

- URL: https://huggingface.co/papers?q=Long-context+ASR
- Title: [[Hugging Face's logo] Hugging Face][1]
- Captured (UTC): 2026-06-29T16:31:22.135762458+00:00

```text
[[Hugging Face's logo] Hugging Face][1]
* [ Models ][2]
  * Solutions
    * [ Storage Buckets][26]
* [Log In][27]
new

Get trending papers in your email inbox!

# Daily Papers

## by[AK][30] and the research community
* Daily
* Weekly

Jun 29
[
-
][31]

### [MURMUR: An Efficient Inference System for Long-Form ASR][32]

[

Hours of audio are usually cut into windows, which loses context at the cuts. This system
schedules the windows so that long transcripts keep their context and stay fast.

][33]
[
* 3 authors
][34]
·
May 30
[
65
][35]

### [Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context][36]

[

A report on a multimodal model family that reads very long inputs. Recall stays high across
text, audio and video when the context grows to millions of tokens.

][37]
[
* 671 authors
][38]
·
Mar 8, 2024 [ 6][39]
[
24
][64]

### [VIBEVOICE-ASR Technical Report][65]

[

One model transcribes long recordings, tells the speakers apart and places timestamps. It
does all three in a single pass instead of a pipeline.

][66]
[[microsoft] Microsoft][67]
·
Mar 13 [ 3][68]
[
1
][69]

### [ChunkFormer: Masked Chunking Conformer For Long-Form Speech Transcription][70]

[

Masked chunks let a conformer transcribe hours of speech on one accelerator. Padding is
avoided, so batches cost less memory and time.

][71]
[
* 4 authors
][72]
·
Feb 20, 2025

[-] 33
```
"""


def test_search_view_is_one_digest_of_the_page_day() -> None:
    """Bad case: each paper's own date was a digest boundary (108 one-paper digests)."""
    parsed = _parse(SEARCH_VIEW)
    sections = parsed.digest.sections
    assert [(s.label, s.date) for s in sections] == [("Jun 29", "2026-06-29")]
    assert _titles(parsed) == [
        "MURMUR: An Efficient Inference System for Long-Form ASR",
        "Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context",
        "VIBEVOICE-ASR Technical Report",
        "ChunkFormer: Masked Chunking Conformer For Long-Form Speech Transcription",
    ]


def test_search_view_dates_counts_and_badges_are_fields_not_titles() -> None:
    """Bad cases: 'Mar 8, 2024 [ 6]', '[[microsoft] Microsoft]', '[-] 33' became papers."""
    papers = _by_title(_parse(SEARCH_VIEW))
    murmur = papers["MURMUR: An Efficient Inference System for Long-Form ASR"]
    gemini = papers[
        "Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context"
    ]
    vibe = papers["VIBEVOICE-ASR Technical Report"]
    chunk = papers["ChunkFormer: Masked Chunking Conformer For Long-Form Speech Transcription"]
    # A date without a year is the last such day on or before the page's day.
    assert [p.published for p in (murmur, gemini, vibe, chunk)] == [
        "2026-05-30",
        "2024-03-08",
        "2026-03-13",
        "2025-02-20",
    ]
    # Each count sits above its title; "-" is no upvote yet.
    assert [p.upvotes for p in (murmur, gemini, vibe, chunk)] == [0, 65, 24, 1]
    assert murmur.abstract.startswith("Hours of audio are usually cut into windows")
    assert murmur.abstract.endswith("keep their context and stay fast.")
    assert "\n" not in murmur.abstract  # hard-wrapped lines of one paragraph are joined


SEARCH_WITH_PUBLISHED_ON = """\
Title: Daily Papers - Hugging Face

URL Source: https://huggingface.co/papers?q=vllm

Markdown Content:
# Daily Papers

Sep 14

### [Efficient Memory Management for Large Language Model Serving with PagedAttention](https://huggingface.co/papers/2309.06180)

Serving many requests at once needs memory for each request's cache; paging that memory wastes little of it.

· Published on Sep 12, 2023

[Upvote

60](https://huggingface.co/login?next=%2Fpapers%2F2309.06180)

[GitHub 3.29k](https://github.com/vllm-project/vllm) [arXiv Page](https://arxiv.org/abs/2309.06180)

### [Orca: Progressive Learning from Complex Explanation Traces of GPT-4](https://huggingface.co/papers/2306.02707)

A small model learns from step-by-step explanations written by a larger one.

· Published on Jun 5, 2023

[Upvote

47](https://huggingface.co/login?next=%2Fpapers%2F2306.02707)
"""


def test_published_on_upvote_and_github_buttons_are_not_papers() -> None:
    """Bad cases: '· Published on Sep 12, 2023', '[Upvote', 'GitHub 3.29k arXiv Page', 'Title: …'."""
    parsed = _parse(SEARCH_WITH_PUBLISHED_ON)
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Sep 14", None)]
    assert _titles(parsed) == [
        "Efficient Memory Management for Large Language Model Serving with PagedAttention",
        "Orca: Progressive Learning from Complex Explanation Traces of GPT-4",
    ]
    vllm, orca = parsed.digest.papers
    assert (vllm.arxiv_id, vllm.published) == ("2309.06180", "2023-09-12")
    assert (orca.arxiv_id, orca.published) == ("2306.02707", "2023-06-05")
    assert vllm.abstract == (
        "Serving many requests at once needs memory for each request's cache; paging that "
        "memory wastes little of it."
    )


def test_title_wrapped_over_two_heading_lines() -> None:
    """Bad case: a title split over two ### lines was cut (or became two papers)."""
    parsed = _parse(
        "# Daily Papers — Sep 12, 2023\n\n"
        "### Efficient Memory Management for Large Language Model Serving with\n"
        "### PagedAttention\n\n"
        "[arXiv](https://arxiv.org/abs/2309.06180)\n\n"
        "Paging the cache memory lets a server batch many more requests.\n"
    )
    assert _titles(parsed) == [
        "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    ]
    assert parsed.digest.papers[0].arxiv_id == "2309.06180"


def test_title_wrapped_inside_link_text() -> None:
    """Bad case: '[Efficient Memory Management for Large Language Model Serving with' was a title."""
    parsed = _parse(
        "Sep 12\n\n"
        "### [Efficient Memory Management for Large Language Model Serving with\n"
        "PagedAttention](https://huggingface.co/papers/2309.06180)\n\n"
        "Paging the cache memory lets a server batch many more requests.\n\n"
        "### [Textbooks Are All You Need II: phi-1.5\n"
        "### technical report](https://huggingface.co/papers/2309.05463)\n\n"
        "A small model trained on textbook-like data does well on reasoning.\n"
    )
    assert _titles(parsed) == [
        "Efficient Memory Management for Large Language Model Serving with PagedAttention",
        "Textbooks Are All You Need II: phi-1.5 technical report",
    ]


def test_same_id_twice_is_one_paper_and_the_full_title_wins() -> None:
    """A trending report lists each paper in a table (title cut to 45 characters) and as a card."""
    parsed = _parse(
        "# HuggingFace Papers Trending 日报 - 2026年06月26日\n\n"
        "| 排名 | 论文 | 热度⬆️ |\n|:----:|------|:------:|\n"
        "| 1 | [Efficient Memory Management for Large Languag...]"
        "(https://arxiv.org/abs/2309.06180) | 60 |\n\n"
        "## 📌 论文详情\n\n"
        "### 1. Efficient Memory Management for Large Language Model Serving with PagedAttention\n"
        "- 🔗 **链接**: https://huggingface.co/papers/2309.06180\n"
        "- 📄 **arXiv**: [`2309.06180`](https://arxiv.org/abs/2309.06180)\n"
        "- ⬆️ **热度**: 60 ⬆️\n"
        "- 👤 **作者**: 9位作者 (akhaliq提交)\n\n"
        "> 📝 **摘要**: 用分页的方式管理缓存，让服务器同时处理更多请求。\n\n"
        "## 💡 技术亮点\n"
        "- **🏆 vLLM重返前五**: 60赞\n"
    )
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Jun 26", "2026-06-26")]
    [paper] = parsed.digest.papers
    assert paper.title == (
        "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    )
    assert paper.arxiv_id == "2309.06180"
    assert paper.upvotes == 60
    assert paper.abstract == "用分页的方式管理缓存，让服务器同时处理更多请求。"


KOREAN_ARCHIVE = """\
## Daily Papers (2025-04-25)

### [Step1X-Edit: A Practical Framework for General Image Editing](https://arxiv.org/abs/2504.17761)

![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2504.17761.png)

Vote: 55

Authors: Jingwei Wu, Zheng Ge, Chunrui Han

- ***What's New***: 글로 지시하면 그림을 고치는 공개 모델입니다.
- ***Technical Details***: 지시와 그림의 쌍을 많이 모아 학습했습니다.

### [Paper2Code: Automating Code Generation from Scientific Papers in Machine Learning](https://arxiv.org/abs/2504.17192)

![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2504.17192.png)

Vote: 47

Authors: Minju Seo, Jinheon Baek

- ***What's New***: 논문을 읽고 실행되는 코드를 만듭니다.

## License

This project is licensed under the CC BY-NC 4.0 license.
"""


def test_daily_archive_with_a_dated_heading_and_korean_summaries() -> None:
    """Bad cases: 'Daily Papers (2025-04-25)' was 'not a digest'; Korean bullets became titles."""
    parsed = _parse(KOREAN_ARCHIVE, "25.md")
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Apr 25", "2025-04-25")]
    assert _titles(parsed) == [
        "Step1X-Edit: A Practical Framework for General Image Editing",
        "Paper2Code: Automating Code Generation from Scientific Papers in Machine Learning",
    ]
    step, code = parsed.digest.papers
    assert step.upvotes == 55
    assert step.authors == ("Jingwei Wu", "Zheng Ge", "Chunrui Han")
    assert step.abstract == (
        "What's New: 글로 지시하면 그림을 고치는 공개 모델입니다.\n\n"
        "Technical Details: 지시와 그림의 쌍을 많이 모아 학습했습니다."
    )
    # The license section after the last card is not part of its abstract.
    assert "license" not in code.abstract.lower()


def test_original_title_line_wins_over_a_translated_heading() -> None:
    parsed = _parse(
        "# Hugging Face 2025-01-22 论文日报\n\n"
        "## 📝 论文详情\n\n"
        "### 1. MMVU：专家级多学科视频理解评估\n\n"
        "**原文标题：** MMVU: Measuring Expert-Level Multi-Discipline Video\n"
        "  Understanding\n\n"
        "**摘要：**\n一个考查视频理解的专家级评测集。\n\n"
        "**论文链接：** [HuggingFace](https://huggingface.co/papers/2501.12380) | "
        "[arXiv](https://arxiv.org/abs/2501.12380)\n\n---\n\n"
        "### 2. 智能体反思\n\n"
        "**原文标题：** Agent-R: Training Language Model Agents to Reflect via Iterative\n"
        "  Self-Training\n\n"
        "**摘要：**\n让智能体在出错后学会及时反思。\n\n"
        "**论文链接：** [HuggingFace](https://huggingface.co/papers/2501.11425) | "
        "[arXiv](https://arxiv.org/abs/2501.11425)\n"
    )
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Jan 22", "2025-01-22")]
    assert _titles(parsed) == [
        "MMVU: Measuring Expert-Level Multi-Discipline Video Understanding",
        "Agent-R: Training Language Model Agents to Reflect via Iterative Self-Training",
    ]
    assert [p.abstract for p in parsed.digest.papers] == [
        "一个考查视频理解的专家级评测集。",
        "让智能体在出错后学会及时反思。",
    ]


def test_heading_card_whose_link_comes_last_and_sub_headings_are_not_papers() -> None:
    """Bad case: sub-headings of a bot's summary ('### 1. 介绍本文的主要工作') became papers."""
    parsed = _parse(
        "# 【2023-09-25】Huggingface 每日论文速览\n\n"
        "## CodePlan: Repository-level Coding using LLMs and Planning\n\n"
        "### 1. 介绍本文的主要工作\n\n把整个代码库的修改当作规划问题来做。\n\n"
        "### 2. 本文工作的主要亮点\n\n- 新的框架\n\n"
        "[到 Huggingface 论文主页查看详情](https://huggingface.co/papers/2309.12499)\n\n"
        "## DualToken-ViT: Position-aware Efficient Vision Transformer with Dual  Token Fusion\n\n"
        "### 文章总结\n\n一个小而快的视觉模型。\n\n"
        "[到 Huggingface 论文主页查看详情](https://huggingface.co/papers/2309.12424)\n"
    )
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Sep 25", "2023-09-25")]
    assert _titles(parsed) == [
        "CodePlan: Repository-level Coding using LLMs and Planning",
        "DualToken-ViT: Position-aware Efficient Vision Transformer with Dual Token Fusion",
    ]
    assert [p.arxiv_id for p in parsed.digest.papers] == ["2309.12499", "2309.12424"]
    assert "把整个代码库的修改当作规划问题来做。" in parsed.digest.papers[0].abstract


def test_html_anchors_headings_without_links_and_summary_bullets_are_not_papers() -> None:
    """Bad cases: '<a id="source-section-9"></a>', '# What is Papers with Code?', bot bullets."""
    parsed = _parse(
        "# Papers of the day — 2025-03-04\n\n"
        '<a id="source-section-8"></a>\n'
        "## [Differential Transformer](https://huggingface.co/papers/2410.05258)\n\n"
        "- Attention is computed as the difference of two softmax maps.\n"
        "- Cancels attention noise and helps long contexts.\n\n"
        '<a id="source-section-9"></a>\n'
        "## [Pointer Networks](https://arxiv.org/abs/1506.03134)\n\n"
        "- Outputs are positions in the input sequence.\n\n"
        "# What is Papers with Code?\n\n"
        "Papers with Code is a free resource with Machine Learning papers and code.\n"
    )
    assert _titles(parsed) == ["Differential Transformer", "Pointer Networks"]
    diff = parsed.digest.papers[0]
    assert diff.abstract == (
        "Attention is computed as the difference of two softmax maps.\n\n"
        "Cancels attention noise and helps long contexts."
    )
    assert "Papers with Code" not in parsed.digest.papers[1].abstract
    assert any("What is Papers with Code?" in str(w) for w in parsed.digest.warnings)


def test_single_paper_page_gives_its_paper_only() -> None:
    """Bad case: the model-card and collection headings of a paper's page became papers."""
    parsed = _parse(
        "Title: Paper page - Differential Transformer\n\n"
        "URL Source: https://huggingface.co/papers/2410.05258\n\n"
        "Markdown Content:\n"
        "# Differential Transformer\n\n"
        "Published on Oct 7, 2024\n\n"
        "Authors: Tianzhu Ye, Li Dong, Furu Wei\n\n"
        "## Abstract\n\n"
        "Transformer tends to overallocate attention to irrelevant context. In this work, we "
        "introduce Diff Transformer.\n\n"
        "[View arXiv page](https://arxiv.org/abs/2410.05258) [View PDF](https://arxiv.org/pdf/2410.05258)\n\n"
        "## Models citing this paper 3\n\n"
        "#### [microsoft/Diff-Transformer](https://huggingface.co/microsoft/Diff-Transformer)\n\n"
        "## Collections including this paper 12\n\n"
        "#### [Long context papers](https://huggingface.co/collections/x/long-context)\n"
    )
    [paper] = parsed.digest.papers
    assert paper.title == "Differential Transformer"
    assert paper.arxiv_id == "2410.05258"
    assert paper.published == "2024-10-07"
    assert paper.authors == ("Tianzhu Ye", "Li Dong", "Furu Wei")
    assert paper.abstract == (
        "Transformer tends to overallocate attention to irrelevant context. In this work, we "
        "introduce Diff Transformer."
    )


def test_papers_listed_only_under_sources_are_not_this_pages_papers() -> None:
    parsed = _parse(
        "# Hugging Face Daily Papers — 2026-08-03\n\n"
        "## Detailed paper analyses\n\n"
        "- [2607.23802 — From RLVR to RLSVR: Task Transformation Induces Self-Verifiable "
        "Rewards](2026-08-03/2607.23802.md)\n"
        "- [2607.28617 — AISPA: User-Centric System Prompt Auditing](2026-08-03/2607.28617.md)\n\n"
        "## Sources\n\n"
        "- **From RLVR to RLSVR: Task Transformation Induces Self-Verifiable Rewards** — "
        "`2607.23802` — [Hugging Face](https://huggingface.co/papers/2607.23802)\n"
        "- **AISPA: User-Centric System Prompt Auditing** — `2607.28617` — "
        "[arXiv](https://arxiv.org/abs/2607.28617)\n"
        "- **Skill Self-Play: Pushing the Frontier of LLM Capability** — `2607.22529` — "
        "[Hugging Face](https://huggingface.co/papers/2607.22529)\n"
    )
    assert _titles(parsed) == [
        "From RLVR to RLSVR: Task Transformation Induces Self-Verifiable Rewards",
        "AISPA: User-Centric System Prompt Auditing",
    ]
    assert any("listed only under a sources" in str(w) for w in parsed.digest.warnings)


def test_several_days_under_day_headings_are_several_digests() -> None:
    parsed = _parse(
        "## Daily Papers (2025-04-25)\n\n"
        "### [Step1X-Edit: A Practical Framework](https://arxiv.org/abs/2504.17761)\n\n"
        "Vote: 55\n\n"
        "## Daily Papers (2025-04-26)\n\n"
        "### [Paper2Code: Automating Code Generation](https://arxiv.org/abs/2504.17192)\n\n"
        "Vote: 47\n"
    )
    assert [(s.label, s.date, len(s.papers)) for s in parsed.digest.sections] == [
        ("Apr 25", "2025-04-25", 1),
        ("Apr 26", "2025-04-26", 1),
    ]


def test_a_page_whose_paper_links_have_no_titles_is_refused() -> None:
    """Never invent, never hide: most candidates doubtful -> one sentence, nothing stored."""
    text = "Oct 7\n\n" + "".join(
        f"### [arXiv Page](https://arxiv.org/abs/2410.0{n:04d})\n\n[PDF](https://arxiv.org/pdf/2410.0{n:04d})\n\n"
        for n in range(1, 5)
    )
    # Headings that are links to papers but say nothing but the site: no title for any of them.
    text += "### [Real Title of a Paper](https://arxiv.org/abs/2410.09999)\n"
    with pytest.raises(DigestError) as err:
        _parse(text, "odd.md")
    message = str(err.value)
    assert "odd.md" in message
    assert "--format" in message
    assert "\n" not in message


def test_page_without_paper_links_is_left_to_the_text_reader() -> None:
    from tracker.sources import page

    assert page.parse("Aug 25\n\nA Title Of A Paper\n\nSome abstract. It has sentences.\n") is None


# -- arXiv listings in Markdown and HTML --------------------------------------------------

ARXIV_MARKDOWN = """\
# Computation and Language

## Authors and titles for new submissions

### Showing new listings for Friday, 9 October 2026

[1] [arXiv:2610.08778](https://arxiv.org/abs/2610.08778) [[pdf](https://arxiv.org/pdf/2610.08778), [html](https://arxiv.org/html/2610.08778v1), [other](https://arxiv.org/format/2610.08778)]

Title:
Sparse Attention Routers for Very Long
Documents

[Ana Lima](https://arxiv.org/a/lima_a_1), [Bo Chen](https://arxiv.org/a/chen_b_1)

Comments:
32 pages, 6 figures

Subjects:
Artificial Intelligence (cs.AI); Computation and Language (cs.CL)

We study routers that pick a sparse set of blocks for each query in documents of a million tokens. Our router matches dense attention on four benchmarks.

[2] [arXiv:2610.08801](https://arxiv.org/abs/2610.08801) [[pdf](https://arxiv.org/pdf/2610.08801)]

**Title:** Counting Tokens Is Not Enough

**Authors:** [C. Diaz](https://arxiv.org/a/diaz_c_1)

**Subjects:** Machine Learning (cs.LG)

Token counts are a poor proxy for compute in mixture-of-experts models, as we show on three model families.
"""


@pytest.mark.parametrize("fmt", [sources.AUTO, "arxiv"])
def test_arxiv_listing_extracted_as_markdown(fmt: str) -> None:
    """Bad cases: read as a Hugging Face page (Subjects, '32 pages…', authors as papers);
    --format arxiv found nothing."""
    parsed = _parse(ARXIV_MARKDOWN, "list.md", fmt)
    assert parsed.format == "arxiv"
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Oct 9", "2026-10-09")]
    first, second = parsed.digest.papers
    assert (first.title, first.arxiv_id) == (
        "Sparse Attention Routers for Very Long Documents",
        "2610.08778",
    )
    assert first.authors == ("Ana Lima", "Bo Chen")
    assert first.abstract.startswith("We study routers")
    assert (second.title, second.authors) == ("Counting Tokens Is Not Enough", ("C. Diaz",))
    assert second.abstract.startswith("Token counts are a poor proxy")


# The README's example of the Markdown form (README.md, "arxiv" under Import formats),
# the fields one under the other with no blank line between them, as some converters
# write them. Bad case (found by a new user): the line of author links went on the
# title ("… Very Long Documents Ana Lima, Bo Chen") and the paper had no authors.
README_ARXIV_EXAMPLE = """\
[1] [arXiv:2610.08778](https://arxiv.org/abs/2610.08778) [[pdf](…), [html](…)]
Title:
Sparse Attention Routers for Very Long Documents
[Ana Lima](https://arxiv.org/a/lima_a_1), [Bo Chen](https://arxiv.org/a/chen_b_1)
Subjects:
Computation and Language (cs.CL)
"""
_EXAMPLE_TITLE = "Sparse Attention Routers for Very Long Documents"
_EXAMPLE_ABSTRACT = (
    "We study routers that pick a sparse set of blocks for each query in documents of a "
    "million tokens."
)


@pytest.mark.parametrize(
    "abstract",
    ["", f"\n{_EXAMPLE_ABSTRACT}\n", f"{_EXAMPLE_ABSTRACT}\n"],
    ids=["no abstract", "abstract after a blank line", "abstract right under the subjects"],
)
def test_arxiv_markdown_without_blank_lines_ends_the_title_at_the_author_links(
    abstract: str,
) -> None:
    """Bad cases: the authors were the title's last words; an abstract right under the
    subjects was read as more subjects (and lost)."""
    parsed = _parse(README_ARXIV_EXAMPLE + abstract, "arx.md")
    assert parsed.format == "arxiv"
    [paper] = parsed.digest.papers
    assert (paper.title, paper.authors) == (_EXAMPLE_TITLE, ("Ana Lima", "Bo Chen"))
    assert (paper.arxiv_id, paper.primary_class) == ("2610.08778", "cs.CL")
    assert paper.abstract == (_EXAMPLE_ABSTRACT if abstract else "")
    assert parsed.digest.warnings == ()


_EXAMPLE_ENTRY = README_ARXIV_EXAMPLE.split("\n", 1)[0] + "\n"
_EXAMPLE_LINKS = README_ARXIV_EXAMPLE.split("\n")[3]


@pytest.mark.parametrize(
    "fields",
    [
        # the title wrapped over two lines, then the author links
        f"Title:\nSparse Attention Routers for Very Long\nDocuments\n{_EXAMPLE_LINKS}\n",
        # the title beside its label, wrapped; with and without a blank line after it
        f"Title: Sparse Attention Routers for Very Long\nDocuments\n{_EXAMPLE_LINKS}\n",
        f"Title: Sparse Attention Routers for Very Long\nDocuments\n\n{_EXAMPLE_LINKS}\n",
        f"**Title:**\n{_EXAMPLE_TITLE}\n{_EXAMPLE_LINKS}\n",
        f"> Title:\n> {_EXAMPLE_TITLE}\n> {_EXAMPLE_LINKS}\n",
        # author pages as the listing links them today, relative, and the old search
        f"Title:\n{_EXAMPLE_TITLE}\n"
        "[Ana Lima](https://arxiv.org/search/cs?searchtype=author&query=Lima,+A), "
        "[Bo Chen](https://arxiv.org/search/cs?searchtype=author&query=Chen,+B)\n",
        f"Title:\n{_EXAMPLE_TITLE}\n[Ana Lima](/a/lima_a_1) and [Bo Chen](/a/chen_b_1)\n",
        f"Title:\n{_EXAMPLE_TITLE}\n"
        '[Ana Lima](/find/cs/1/au:+Lima_A/0/1/0/all/0/1 "Lima"), '
        "[Bo Chen](/find/cs/1/au:+Chen_B/0/1/0/all/0/1)\n",
        # an Authors: label ends the title too
        f"Title:\n{_EXAMPLE_TITLE}\nAuthors: Ana Lima, Bo Chen\n",
        f"Title:\n{_EXAMPLE_TITLE}\n**Authors:** {_EXAMPLE_LINKS}\n",
        f"Title:\n{_EXAMPLE_TITLE}\nAuthors:\n{_EXAMPLE_LINKS}\n",
        # more fields between the authors and the subjects
        f"Title:\n{_EXAMPLE_TITLE}\n{_EXAMPLE_LINKS}\nComments:\n32 pages, 6 figures\n",
    ],
    ids=[
        "title wrapped",
        "title beside its label, wrapped",
        "title beside its label, wrapped, blank line",
        "bold label",
        "quoted",
        "author search links",
        "relative author links and 'and'",
        "old author search links with titles",
        "Authors: label",
        "bold Authors: label and links",
        "Authors: label alone",
        "comments after the authors",
    ],
)
def test_arxiv_markdown_title_ends_where_its_authors_begin(fields: str) -> None:
    text = _EXAMPLE_ENTRY + fields + "Subjects:\nComputation and Language (cs.CL)\n"
    parsed = _parse(text, "arx.md")
    [paper] = parsed.digest.papers
    assert (paper.title, paper.authors) == (_EXAMPLE_TITLE, ("Ana Lima", "Bo Chen"))
    assert paper.primary_class == "cs.CL"
    assert parsed.digest.warnings == ()


def test_arxiv_markdown_author_links_where_the_title_should_be_are_no_title() -> None:
    """An entry whose Title: label has the author links under it has no title: it is
    skipped and said so, never imported with the names as its title."""
    text = (
        _EXAMPLE_ENTRY + f"Title:\n{_EXAMPLE_LINKS}\nSubjects:\nComputation and Language (cs.CL)\n"
    )
    text += README_ARXIV_EXAMPLE.replace("[1]", "[2]").replace("2610.08778", "2610.08801")
    parsed = _parse(text, "arx.md")
    assert [(p.title, p.arxiv_id) for p in parsed.digest.papers] == [(_EXAMPLE_TITLE, "2610.08801")]
    assert [w.line for w in parsed.digest.warnings] == [1]
    assert "arXiv:2610.08778" in parsed.digest.warnings[0].message


# Title words a wrapped line could not be mistaken for a field label with.
_LABEL_WORDS = {"title", "authors", "author", "comments", "subjects", "doi", "categories"}
_word_st = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=9
).filter(lambda w: w.lower() not in _LABEL_WORDS)
_name_st = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
    .filter(lambda w: w not in ("and", "et", "al"))
    .map(str.capitalize)
)
_AUTHOR_PAGES = [
    "https://arxiv.org/a/{key}_1",
    "/a/{key}_1",
    "https://arxiv.org/search/cs?searchtype=author&query={key}",
]


@st.composite
def _arxiv_markdown_entries(draw: st.DrawFn) -> tuple[str, str, tuple[str, ...]]:
    """An entry of the Markdown form: its title wrapped anywhere, beside its label or
    under it, author links of any kind, blank lines between the fields or none."""
    words = draw(st.lists(_word_st, min_size=1, max_size=12))
    cuts = sorted(draw(st.sets(st.integers(1, 11), max_size=2)) & set(range(1, len(words))))
    title_lines = [
        " ".join(words[a:b]) for a, b in zip([0, *cuts], [*cuts, len(words)], strict=True)
    ]
    names = draw(st.lists(st.tuples(_name_st, _name_st).map(" ".join), min_size=1, max_size=4))
    page = draw(st.sampled_from(_AUTHOR_PAGES))
    links = ", ".join(f"[{name}]({page.format(key=name.replace(' ', '_'))})" for name in names)
    label = draw(st.sampled_from(["Title:\n", "Title: ", "**Title:** "]))
    fields = [
        _EXAMPLE_ENTRY.rstrip("\n"),
        label + "\n".join(title_lines),
        links,
        "Subjects:\nMachine Learning (cs.LG)",
    ]
    if draw(st.booleans()):
        fields.append(_EXAMPLE_ABSTRACT)
    gap = draw(st.sampled_from(["\n", "\n\n"]))  # no blank line between the fields, or one
    return gap.join(fields) + "\n", " ".join(words), tuple(names)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_arxiv_markdown_entries())
def test_arxiv_markdown_titles_and_authors_stay_apart(
    entry: tuple[str, str, tuple[str, ...]],
) -> None:
    text, title, authors = entry
    parsed = _parse(text, "arx.md")
    assert parsed.format == "arxiv"
    [paper] = parsed.digest.papers
    assert (paper.title, paper.authors) == (title, authors)


ARXIV_HTML = """\
<!DOCTYPE html>
<html lang="en">
<head><title>Computation and Language  new submissions</title>
<script>var x = "[1] arXiv:9999.99999";</script><style>.list-title { font-size: 1.2em; }</style></head>
<body>
<h1>Computation and Language</h1>
<h3>Showing new listings for Friday, 9 October 2026</h3>
<dl id='articles'>
<dt><a name='item1'>[1]</a>
  <a href ="/abs/2610.08778" title="Abstract" id="2610.08778">arXiv:2610.08778</a>
  [<a href="/pdf/2610.08778" title="Download PDF">pdf</a>, <a href="/format/2610.08778">other</a>]
</dt>
<dd><div class='meta'>
  <div class='list-title mathjax'><span class='descriptor'>Title:</span>
    Sparse Attention Routers for Very Long
    Documents
  </div>
  <div class='list-authors'><a href="https://arxiv.org/a/lima_a_1">Ana Lima</a>, <a href="https://arxiv.org/a/chen_b_1">Bo Chen</a></div>
  <div class='list-subjects'><span class='descriptor'>Subjects:</span>
    <span class="primary-subject">Computation and Language (cs.CL)</span></div>
  <p class='mathjax'>We study routers that pick a sparse set of blocks for each query in documents
    of a million tokens. Our router matches dense attention &amp; costs less.</p>
</div></dd>
</dl>
</body></html>
"""


def test_arxiv_listing_saved_as_html() -> None:
    """Bad case: a saved HTML page was refused."""
    parsed = _parse(ARXIV_HTML, "new.html")
    assert parsed.format == "html"
    [paper] = parsed.digest.papers
    assert paper.title == "Sparse Attention Routers for Very Long Documents"
    assert paper.arxiv_id == "2610.08778"
    assert paper.authors == ("Ana Lima", "Bo Chen")
    assert paper.abstract.endswith("matches dense attention & costs less.")
    assert parsed.digest.sections[0].date == "2026-10-09"


HF_DAILY_HTML = """\
<!doctype html>
<html><head><meta charset="utf-8" /><title>Daily Papers - Hugging Face</title>
<script type="application/ld+json">{"name":"Daily Papers"}</script></head>
<body>
<header><nav><a href="/"><img alt="Hugging Face's logo" src="/logo.svg"> Hugging Face</a>
<ul><li><a href="/models">Models</a></li><li><a href="/login">Log In</a></li></ul></nav></header>
<main><h1>Daily Papers</h1><p>by <a href="/akhaliq">AK</a> and the research community</p>
<div><a href="/papers/date/2024-10-04">Previous</a><div>Oct 7</div><a href="/papers/date/2024-10-08">Next</a></div>
<article><a href="/papers/2410.05258"><img src="https://cdn-thumbnails.huggingface.co/p/2410.05258.png"></a>
<div><div><input type="checkbox"> <svg viewBox="0 0 12 12"><path d="M5"></path></svg><div>181</div></div>
<h3><a href="/papers/2410.05258">Differential
Transformer</a></h3>
<a href="/papers/2410.05258"><div>· 7 authors</div></a>
<a href="/papers/2410.05258#community"><svg><path d="M16"></path></svg> 3</a></div></article>
<article><a href="/papers/1506.03134"><img src="https://cdn-thumbnails.huggingface.co/p/1506.03134.png"></a>
<div><div><input type="checkbox"> <svg viewBox="0 0 12 12"><path d="M5"></path></svg><div>42</div></div>
<h3><a href="/papers/1506.03134">Pointer Networks</a></h3>
<a href="/papers/1506.03134"><div>· 3 authors</div></a></div></article>
</main>
<footer><a href="/terms-of-service">TOS</a> <a href="/privacy">Privacy</a></footer>
</body></html>
"""


def test_daily_papers_page_saved_as_html() -> None:
    parsed = _parse(HF_DAILY_HTML, "papers.html")
    assert parsed.format == "html"
    # "Oct 7" between its Previous and Next links (2024-10-04, 2024-10-08) takes their year.
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Oct 7", "2024-10-07")]
    assert [(p.title, p.arxiv_id, p.upvotes) for p in parsed.digest.papers] == [
        ("Differential Transformer", "2410.05258", 181),
        ("Pointer Networks", "1506.03134", 42),
    ]
    assert parsed.digest.warnings == ()


def test_a_markdown_readme_with_some_html_is_not_read_as_html() -> None:
    parsed = _parse(
        '<div align="center">\n\n# Papers\n\n</div>\n\n'
        "## Daily Papers (2025-04-25)\n\n"
        "### [Step1X-Edit: A Practical Framework](https://arxiv.org/abs/2504.17761)\n\n"
        "Vote: 55\n"
    )
    assert parsed.format == "text"
    assert _titles(parsed) == ["Step1X-Edit: A Practical Framework"]


def test_the_projects_own_readme_is_refused_as_a_document() -> None:
    """Bad case: README.md was read as an arXiv listing of one paper, the example of the
    Markdown form in a code block (with a paragraph of the README as its abstract)."""
    from pathlib import Path

    data = (Path(__file__).parents[2] / "README.md").read_bytes()
    with pytest.raises(DigestError) as err:
        sources.parse_bytes(data, "README.md")
    message = str(err.value)
    assert message.startswith("README.md: ")
    assert "a document, not a digest" in message
    assert "\n" not in message


# A document that shows in code blocks what the pages it reads look like (as README.md
# does): its examples are not its papers.
_DOCUMENT_PROSE = """\
# listing-tools

- Reads the listings you save and keeps them in one place.
- Never fetches anything you did not ask for.
- Runs on Linux, macOS and Windows.
- Writes nothing until you say so.

## Install

1. Download the release for your system.
2. Unpack it anywhere you like.
3. Run the installer and follow what it says.

## Use

Save a listing from your browser, then open it with the tool. A listing looks like this:

## Licence

MIT: see the LICENSE file.
"""
_EXAMPLES = [
    "```markdown\n" + README_ARXIV_EXAMPLE + "```\n",
    "~~~~\n### [Differential Transformer](https://huggingface.co/papers/2410.05258)\n~~~~\n",
    '  ```json\n  [{"paper": {"id": "2410.05258", "title": "Differential Transformer"}}]\n  ```\n',
]


@pytest.mark.parametrize("example", _EXAMPLES, ids=["arxiv entry", "card", "json"])
def test_a_documents_code_examples_are_not_its_papers(example: str) -> None:
    """Bad case: the page was read as an arXiv listing of its example, or a page of
    the example's one card."""
    text = _DOCUMENT_PROSE.replace("\n## Licence", f"\n{example}\n## Licence")
    with pytest.raises(DigestError) as err:
        _parse(text, "TOOL.md")
    message = str(err.value)
    assert message.startswith("TOOL.md: ")
    assert "a document, not a digest" in message
    assert "\n" not in message


def test_a_page_captured_whole_in_a_code_block_is_read() -> None:
    """A clipping tool that wraps the page it copied in one fence: the fence is the page."""
    text = "# Web source\n\n- URL: https://arxiv.org/list/cs.CL/new\n\n```text\n"
    text += ARXIV_MARKDOWN + "```\n"
    parsed = _parse(text, "capture.md")
    assert parsed.format == "arxiv"
    assert _titles(parsed) == [_EXAMPLE_TITLE, "Counting Tokens Is Not Enough"]


def test_a_digest_with_a_code_example_keeps_its_papers() -> None:
    text = (
        "# Daily Papers 2024-10-08\n\n"
        "### [Differential Transformer](https://huggingface.co/papers/2410.05258)\n\n"
        "Transformer tends to overallocate attention to irrelevant context.\n\n"
        "Cite it as:\n\n```bibtex\n@article{ye2024,\n  title={Differential Transformer},\n}\n```\n"
    )
    parsed = _parse(text, "day.md")
    assert _titles(parsed) == ["Differential Transformer"]


# -- the fixtures with links, through the page reader ---------------------------------------


def test_lynx_dump_takes_titles_and_ids_from_its_link_list() -> None:
    from pathlib import Path

    data = (Path(__file__).parent.parent / "fixtures" / "digests" / "lynx.txt").read_bytes()
    parsed = sources.parse_bytes(data, "lynx.txt")
    assert [(p.title, p.arxiv_id, p.upvotes) for p in parsed.digest.papers] == [
        ("Differential Transformer", "2410.05258", 42),
        (
            "Pointer Networks: A Neural Architecture That Learns to Point at Positions in Its Input",
            "1506.03134",
            13,
        ),
        ("Order Matters: Sequence to sequence for sets", "1511.06391", 7),
    ]
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Oct 7", None)]


# -- properties (hypothesis) --------------------------------------------------------------

_WORDS = [
    "Sparse",
    "Attention",
    "Routers",
    "Long",
    "Context",
    "Scaling",
    "Laws",
    "Diffusion",
    "Policies",
    "Reward",
    "Models",
    "Vision",
    "Language",
    "Agents",
    "Memory",
    "Retrieval",
    "Tokenizers",
    "Efficient",
    "Inference",
    "Graph",
    "Networks",
    "Benchmark",
    "Reasoning",
    "Speech",
    "Video",
    "Robots",
    "Planning",
    "Transformers",
    "Mixture",
    "Experts",
]

# Distinct words: a "title" that is one word said over and over is no title, and when
# that word is the site's navigation ('Models: Models Models', under a 'Models' menu
# line) it is rightly skipped as navigation, with a warning (hypothesis found it).
_titles_st = st.lists(st.sampled_from(_WORDS), min_size=3, max_size=9, unique=True).map(
    lambda words: f"{words[0]}: {' '.join(words[1:])}"
)
_abstract_st = st.lists(st.sampled_from(_WORDS), min_size=12, max_size=40).map(
    lambda words: " ".join(words).capitalize() + ". " + " ".join(reversed(words)) + "."
)
# What real pages put around a card: every one of these once became a "paper".
_NOISE = [
    "[[microsoft] Microsoft](https://huggingface.co/microsoft)",
    "· Published on Sep 12, 2023",
    "Mar 8, 2024 [ 6]",
    "Feb 3 [ 6]",
    "·",
    "May 30",
    "[Upvote\n\n42](https://huggingface.co/login)",
    "[GitHub 3.29k](https://github.com/x/y) [arXiv Page](https://arxiv.org/abs/{id})",
    "* 7 authors",
    "Vote: 55",
    "▲ 181",
    "[-] 33",
    '<a id="source-section-9"></a>',
    "Subjects: Artificial Intelligence (cs.AI)",
    "Storage Buckets",
    "[3](https://huggingface.co/papers/{id}#community)",
    "![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{id}.png)",
    "Submitted by",
    "[akhaliq](https://huggingface.co/akhaliq)",
]
_HEADINGS = [
    "### [{title}](https://huggingface.co/papers/{id})",
    "## [{title}](https://arxiv.org/abs/{id})",
]


@st.composite
def _pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    titles = draw(st.lists(_titles_st, min_size=1, max_size=6, unique_by=normalize_title))
    heading = draw(st.sampled_from(_HEADINGS))
    lines = ["Hugging Face", "Models", "Daily Papers", "", "Oct 7", ""]
    for number, title in enumerate(titles):
        pid = f"2410.{number + 1:05d}"
        before = draw(st.lists(st.sampled_from(_NOISE), max_size=3))
        after = draw(st.lists(st.sampled_from(_NOISE), max_size=4))
        lines += [n.format(id=pid) for n in before] + [""]
        lines += [heading.format(title=title, id=pid), ""]
        if draw(st.booleans()):
            lines += [draw(_abstract_st), ""]
        lines += [n.format(id=pid) for n in after] + [""]
    lines += ["TOS Privacy About", "Company"]
    return "\n".join(lines) + "\n", titles


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages())
def test_cards_give_exactly_their_titles_never_noise(
    page_and_titles: tuple[str, list[str]],
) -> None:
    text, titles = page_and_titles
    parsed = _parse(text)
    assert _titles(parsed) == titles
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Oct 7", None)]
    for paper in parsed.digest.papers:
        assert paper.arxiv_id is not None
        assert "[" not in paper.abstract and "Published" not in paper.abstract


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _pages(),
    st.sampled_from(["\r\n", "\r", "\n"]),
    st.booleans(),
    st.sampled_from(["", " ", "  \t"]),
)
def test_line_endings_bom_and_trailing_spaces_change_nothing(
    page_and_titles: tuple[str, list[str]], newline: str, bom: bool, trailing: str
) -> None:
    text, _ = page_and_titles
    variant = newline.join(line + trailing for line in text.split("\n"))
    data = ("\ufeff" if bom else "").encode() + variant.encode()
    plain = _parse(text).digest
    other = sources.parse_bytes(data, "page.md").digest
    assert [(s.label, s.date) for s in other.sections] == [
        (s.label, s.date) for s in plain.sections
    ]
    assert [
        (p.title, p.abstract, p.arxiv_id, p.upvotes, p.published, p.authors) for p in other.papers
    ] == [
        (p.title, p.abstract, p.arxiv_id, p.upvotes, p.published, p.authors) for p in plain.papers
    ]


_SOUP = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "[",
                "]",
                "](",
                "][",
                "](https://huggingface.co/papers/2410.05258)",
                "[12]: https://arxiv.org/abs/2410.05258",
                "### ",
                "## ",
                "* ",
                "> ",
                "|",
                "**",
                "`",
                "\\_",
                '<a id="x"></a>',
                '<video src="v.mp4"></video>',
                "arXiv:2410.05258",
                "Title:",
                "原文标题：",
                "**摘要：**",
                "Oct 7",
                "2025-04-25",
                "--- 1. ",
                " ---",
                "·",
                "Published on Mar 8, 2024",
                "[ 6]",
                "▲ 42",
                "\n",
                "\n\n",
                "\r\n",
                "\t",
                "\x1b[2J",
                "https://huggingface.co/papers/2410.05258",
                "(",
                ")",
                "A Title Of Some Paper",
            ]
        ),
        st.text(max_size=12),
    ),
    max_size=80,
)


_HF_LINK = "](https://huggingface.co/papers/2410.05258)"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SOUP)
@example(["[", "AAA[", "[", _HF_LINK, "]", _HF_LINK])  # found by Hypothesis: soup
@example(["[", "AAA[", "[", "]", "]", "### ", _HF_LINK])
@example(["[", "AA`A", _HF_LINK])  # a lone tick stays
@example(["[", "0", "[", "]", "**", "Title:", _HF_LINK])  # a lone '**' joined two words
def test_markup_soup_gives_papers_with_titles_or_one_sentence(pieces: list[str]) -> None:
    """Any mix of link syntax: papers whose titles are on the page, or a DigestError."""
    text = "".join(pieces)
    try:
        parsed = _parse(text, "soup.md")
    except DigestError as err:
        assert "\n" not in str(err)
        return
    # What the page says once escapes are gone; brackets aside, since where a
    # renderer shows them in nested link soup is its own business.
    shown = _without_brackets(markup.strip_controls(text))
    for paper in parsed.digest.papers:
        assert paper.title.strip()
        assert not any(ord(c) < 32 for c in paper.title)
        assert all(_without_brackets(word) in shown for word in paper.title.split()[:1])


def _without_brackets(text: str) -> str:
    return text.replace("[", "").replace("]", "")


def test_clipped_paper_page_is_its_paper_not_its_recommendations() -> None:
    parsed = _parse(
        "---\n"
        'title: "Paper page - Retrieval Without a Retriever"\n'
        'source: "https://huggingface.co/papers/2605.05242"\n'
        "created: 2026-05-16\n"
        "---\n"
        "arxiv:2605.05242\n\n"
        "## Retrieval Without a Retriever\n\n"
        "[#2 Paper of the day](https://huggingface.co/papers/date/2026-05-08)"
        "[Some Lab](https://huggingface.co/some-lab)\n\n"
        "## Abstract\n\n"
        "Agents that grep the corpus beat a retriever.\n\n"
        "AI-generated summary\n\n"
        "We let an agent search raw text with shell tools and no index. It does better than "
        "sparse and dense retrievers on several benchmarks.\n\n"
        "### Community\n\n"
        "The following papers were recommended by the Semantic Scholar API\n\n"
        "- [A Recommended Paper About Search](https://huggingface.co/papers/2605.00001) (2026)\n"
        "- [Another Recommended Paper](https://huggingface.co/papers/2605.00002) (2026)\n\n"
        "## Models citing this paper 0\n"
    )
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("May 8", "2026-05-08")]
    [paper] = parsed.digest.papers
    assert (paper.title, paper.arxiv_id) == ("Retrieval Without a Retriever", "2605.05242")
    assert paper.abstract == (
        "We let an agent search raw text with shell tools and no index. It does better than "
        "sparse and dense retrievers on several benchmarks."
    )
    assert any("2 other papers" in str(w) for w in parsed.digest.warnings)


def test_copy_without_any_link_reads_its_heading_cards() -> None:
    """A trending view captured as Markdown without links: '### Title' cards, each twice."""
    card = (
        "### {title}\n\n{abstract}\n- {n} authors\n"
        "[LINK: GitHub 1.2k](https://github.com/example/{n})\n\n"
    )
    cards = [
        ("Agent Lightning: Train Agents with Reinforcement Learning", "A flexible framework trains the language model of any agent with reinforcement learning, apart from the agent's own code.", 8),
        ("SmolDocling: An ultra-compact model for end-to-end\n  multi-modal document conversion", "A small vision-language model converts whole documents, tables and formulas included, into one markup.", 5),
        ("MemOS: A Memory OS for AI System", "An operating system for the memory of language models unifies plain text, activations and parameters.", 39),
    ]  # fmt: skip
    text = (
        "# What is Papers with Code?\n**URL:** https://paperswithcode.com\n"
        "**Page Title:** Trending Papers - Hugging Face\n--------------------\n\n"
        "Get trending papers in your email inbox once a day!\n\n## Trending Papers\n\n"
    )
    for title, abstract, n in cards:
        text += card.format(title=title, abstract=abstract, n=n) * 2
    parsed = _parse(text, "trending.md")
    assert _titles(parsed) == [
        "Agent Lightning: Train Agents with Reinforcement Learning",
        "SmolDocling: An ultra-compact model for end-to-end multi-modal document conversion",
        "MemOS: A Memory OS for AI System",
    ]
    assert parsed.digest.papers[1].abstract.startswith("A small vision-language model")


def test_links_nested_in_link_text_show_their_words_at_any_depth() -> None:
    page = (
        "[Deep [Nested [Link](https://x.org/a) Title](https://x.org/b) Here]"
        "(https://huggingface.co/papers/2410.05258)\n"
    )
    assert _titles(_parse(page, "nested.md")) == ["Deep Nested Link Title Here"]


def test_a_label_and_an_id_are_no_title() -> None:
    """Found by Hypothesis: '### **摘要：**arXiv:ID' gave the paper '摘要：arXiv:ID'."""
    page = "### **摘要：**arXiv:2410.05258\n[[12]: https://arxiv.org/abs/2410.05258\n"
    with pytest.raises(DigestError, match="an id alone"):
        _parse(page, "label.md")
    good = "### A Real Title Of A Paper\narXiv:2410.05258\n\n### 摘要：arXiv:2410.05259\n"
    assert _titles(_parse(good, "mixed.md")) == ["A Real Title Of A Paper"]
