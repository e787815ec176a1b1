"""LaTeX parts of titles: found, shown as Unicode, kept only when safe for BibTeX."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker import latex
from tracker.exports.bibtex import escape_keeping_latex


def test_math_and_font_commands_become_unicode() -> None:
    assert latex.to_unicode(r"Attention in $\mathcal{O}(n \log n)$ time") == (
        "Attention in 𝒪(n log n) time"
    )
    assert latex.to_unicode(r"$\beta$-VAE and \textit{italic} words") == "β-VAE and italic words"
    assert latex.to_unicode(r"$\nabla^2$DFT") == "∇^2DFT"


def test_plain_text_stays_as_it_is() -> None:
    for text in ("costs $5 and $10 today", "50% of R&D", "a_b ^ c ~ d", "plain title", "$ x $"):
        assert latex.to_unicode(text) == text
        assert latex.parts(text) == []


def test_commands_that_read_files_or_define_things_are_never_kept() -> None:
    for text in (r"\input{/etc/passwd}", r"$\input{x}$", r"\def\x{y}", r"$a % comment$"):
        assert latex.parts(text) == []
        assert escape_keeping_latex(text).count("\\textbackslash{}") + text.count("%") >= 1


def test_spans_follow_the_conversion() -> None:
    text = r"A $\beta$-VAE study"
    shown, spans = latex.to_unicode_spans(text, [(0, 1), (2, 9), (14, 19)])
    assert shown == "A β-VAE study"
    assert [shown[a:b] for a, b in spans] == ["A", "β", "study"]


@given(st.text(alphabet="ab $\\{}^_%&#x", max_size=40))
def test_kept_parts_are_balanced_so_an_entry_never_breaks(text: str) -> None:
    value = escape_keeping_latex(text)
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
