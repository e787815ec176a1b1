"""The text parser's fast paths give what the general ones give (property tests).

Two hot spots of parsing a digest were made faster without changing a result:
``_clean`` returns early for a printable ASCII line, and ``SENTENCE_END``
checks the terminator before its lookbehinds. Each is compared here with the
code it replaced, kept verbatim below.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tracker.sources.text.lines import _ANSI, _CONTROL, _EDGE_JUNK, SENTENCE_END, _clean

# Before the fast paths (tracker/sources/text/lines.py at e02bb33).
SENTENCE_END_BEFORE = re.compile(
    r"[.!?…][\"'”’)\]]*\s*$"
    r"|(?<![\s.(][A-Za-z])(?<!\bvs)(?<!\bal)(?<!\betc)(?<!\bcf)(?<!\bNo)(?<!\bFig)"
    r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[^\W_a-z])"
)


def clean_before(raw: str) -> str:
    if "\x1b" in raw:
        raw = _ANSI.sub("", raw)
    if _CONTROL.search(raw):
        raw = _CONTROL.sub("", raw.replace("\t", " "))
    elif "\t" in raw:
        raw = raw.replace("\t", " ")
    text = raw.strip()
    if text and (text[0] in _EDGE_JUNK or text[-1] in _EDGE_JUNK):
        text = text.strip(_EDGE_JUNK).strip()
    return text


# Characters the two look at: terminators, quotes, brackets, the abbreviations'
# letters, spaces of every kind, controls, an escape, zero-width characters.
TEXT = st.lists(
    st.one_of(
        st.sampled_from(list(".!?…\"'”’“‘)]([ \t\n\x0b\x0c\r\x1b\x07\x85\xa0\u200b\ufeff")),
        st.sampled_from(list("vsaletcfNoFigxAZ09")),
        st.sampled_from(["vs.", "et al.", "etc.", "cf.", "No.", "Fig.", "e.g.", "A. B."]),
        st.characters(max_codepoint=0x2FF),
    ),
    max_size=40,
).map("".join)


@given(TEXT)
def test_clean_gives_what_the_general_path_gives(raw: str) -> None:
    assert _clean(raw) == clean_before(raw)


@given(TEXT)
def test_sentence_ends_are_found_as_before(text: str) -> None:
    assert SENTENCE_END.findall(text) == SENTENCE_END_BEFORE.findall(text)
    assert [m.span() for m in SENTENCE_END.finditer(text)] == [
        m.span() for m in SENTENCE_END_BEFORE.finditer(text)
    ]


def test_examples() -> None:
    text = "It works. Fig. 3 shows it, vs. the rest! And e.g. this? Yes…"
    assert SENTENCE_END.findall(text) == SENTENCE_END_BEFORE.findall(text) == [".", "!", "?", "…"]
    assert _clean("  plain title  ") == "plain title"
    assert _clean("\tTab\x07bed\x1b[1m ") == "Tabbed"
