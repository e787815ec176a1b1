"""The plain-text reader on a page as a browser copies it once rendered.

A bot's Markdown digest, copied from the browser, loses its links and marks:
the authors stand unlabelled under each title (or in italics, ``*A, B, C*``),
the collapsed ``<details>`` leaves its ``Details`` label, and a numbered list
of contributions may run together on one line. None of these is a title.
Names and contributions made up.
"""

from __future__ import annotations

import pytest

from tracker.sources import text

ABSTRACT = "We study a question in depth and report careful experiments on it. " * 2

PAGE = f"""Daily Papers

Oct 8, 2024

[1] Hierarchical Exemplar Contrast for Relation Extraction

*Ann Liu, Bo Hu, Chen Zhang, Dan Li*

Main category: cs.CL

TL;DR: A contrastive framework for unsupervised relation extraction.

Details

Motivation: To improve unsupervised relation extraction.

1. Introduction of a hierarchical approach for relation extraction 2. Implementation of exemplar-wise contrast

{ABSTRACT}

[2] Curriculum Learning for Sequence Labeling

Xuemei Tang, Jun Wang, Qi Su, Jinghang Gu

Main category: cs.CL

TL;DR: A two-stage curriculum that speeds up sequence labeling training.

Details

1. A two-stage curriculum framework 2. Faster training on six benchmarks

{ABSTRACT}
"""


def test_names_details_and_runs_of_points_are_no_titles() -> None:
    digest = text.parse(PAGE, "copy.txt")
    papers = list(digest.papers)
    assert [p.title for p in papers] == [
        "Hierarchical Exemplar Contrast for Relation Extraction",
        "Curriculum Learning for Sequence Labeling",
    ]
    assert "Details" not in papers[0].abstract.split("\n\n")
    assert "1. Introduction of a hierarchical approach" in papers[0].abstract
    # A list run together is plainly part of the abstract: no "that paper is missing" warning.
    assert not any("is missing" in w.message for w in digest.warnings)
    assert papers[0].authors == ("Ann Liu", "Bo Hu", "Chen Zhang", "Dan Li")
    assert papers[1].authors == ("Xuemei Tang", "Jun Wang", "Qi Su", "Jinghang Gu")


@pytest.mark.parametrize(
    "title",
    [
        # Two capitalised phrases and a comma: a title, not two people.
        "Large Language Models, Small Data",
        "Vision Transformers, Explained Simply",
    ],
)
def test_a_title_with_a_comma_stays_a_title(title: str) -> None:
    page = f"Daily Papers\n\nOct 8, 2024\n\n{title}\n\n{ABSTRACT}\n"
    assert [p.title for p in text.parse(page, "day.txt").papers] == [title]
