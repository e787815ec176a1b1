"""RSS and Atom feeds of papers are read item by item, anchored on the papers' ids.

Bad cases from real feeds (tests/fixtures/real/SOURCES.md, arxiv-rss and hf-rss):
an RSS feed of Hugging Face papers was read as an HTML page and refused, and
an arXiv feed re-published by a filter bot was refused as "not a digest".
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import sources
from tracker.sources.parsed import DigestError, DoubtfulDigestError

ARXIV_RSS = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>cs.CL updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.CL</link>
    <lastBuildDate>Thu, 18 Sep 2025 04:00:01 +0000</lastBuildDate>
    <pubDate>Thu, 18 Sep 2025 00:00:00 -0400</pubDate>
    <item>
      <title>Proximity-Based Evidence Retrieval for Uncertainty-Aware Neural Networks</title>
      <link>https://arxiv.org/abs/2509.13338</link>
      <description>arXiv:2509.13338v1 Announce Type: new
Abstract: This work proposes an evidence-retrieval mechanism.
It replaces a single global cutoff.</description>
      <guid isPermaLink="false">oai:arXiv.org:2509.13338v1</guid>
      <category>cs.LG</category>
      <pubDate>Thu, 18 Sep 2025 00:00:00 -0400</pubDate>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:creator>Hassan Gharoun, Mohammad Sadegh Khorshidi, Fang Chen</dc:creator>
    </item>
    <item>
      <title>A Paper Linked Only By Its Guid</title>
      <link>https://example.org/mirror/x</link>
      <description>arXiv:2509.13400v2 Announce Type: replace
Abstract: Second abstract.</description>
      <guid isPermaLink="false">oai:arXiv.org:oai:arXiv.org:2509.13400v2</guid>
      <pubDate>Thu, 18 Sep 2025 00:00:00 -0400</pubDate>
    </item>
  </channel>
</rss>
"""


def _parse(text: str, name: str = "feed.xml") -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name)


def test_an_arxiv_rss_feed_gives_its_items_as_papers_of_the_feeds_day() -> None:
    parsed = _parse(ARXIV_RSS)
    assert parsed.format == "feed"
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Sep 18", "2025-09-18")]
    first, second = parsed.digest.papers
    assert (first.title, first.arxiv_id, first.line) == (
        "Proximity-Based Evidence Retrieval for Uncertainty-Aware Neural Networks",
        "2509.13338",
        8,
    )
    assert first.abstract == (
        "This work proposes an evidence-retrieval mechanism. It replaces a single global cutoff."
    )
    assert first.authors == ("Hassan Gharoun", "Mohammad Sadegh Khorshidi", "Fang Chen")
    assert first.published is None  # an item's pubDate is the listing, not the paper
    assert (second.arxiv_id, second.abstract) == ("2509.13400", "Second abstract.")


HF_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Hugging Face Papers RSS</title>
    <link>https://huggingface.co/papers</link>
    <lastBuildDate>Sun, 01 Feb 2026 08:05:49 GMT</lastBuildDate>
    <item>
      <title>STORM: Slot-based Task-aware Object-centric Representation</title>
      <link>https://huggingface.co/papers/2601.20381</link>
      <description><![CDATA[<div>
  <p>Authors: Alexandre Chapin, Liming Chen</p>
  <h3>AI summary</h3>
  <p>STORM adapts visual foundation models.</p>
  <h3>Abstract</h3>
  <p>Visual foundation models provide strong perceptual features.</p>
  <p>视觉基础模型为机器人技术提供了强大的感知特征。</p>
</div>]]></description>
      <pubDate>Sun, 01 Feb 2026 08:05:49 GMT</pubDate>
    </item>
  </channel>
</rss>
"""


def test_an_html_description_gives_the_abstract_under_its_heading_and_the_authors() -> None:
    """Bad case: this feed was read as an HTML page and refused ("no papers found")."""
    parsed = _parse(HF_RSS, "feed.xml")
    assert parsed.format == "feed"
    [paper] = parsed.digest.papers
    assert paper.arxiv_id == "2601.20381"
    assert paper.abstract == "Visual foundation models provide strong perceptual features."
    assert paper.authors == ("Alexandre Chapin", "Liming Chen")
    assert [s.date for s in parsed.digest.sections] == ["2026-02-01"]


ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>ArXiv Query: search_query=all:electron</title>
  <updated>2024-03-05T00:00:00-05:00</updated>
  <entry>
    <id>http://arxiv.org/abs/2403.01234v2</id>
    <published>2024-03-02T18:00:00Z</published>
    <title>Electrons
      in a Box</title>
    <summary>  We study electrons.
    In boxes.  </summary>
    <author><name>Ada Lovelace</name></author>
    <author><name>Alan Turing</name></author>
    <link href="http://arxiv.org/abs/2403.01234v2" rel="alternate" type="text/html"/>
  </entry>
</feed>
"""


def test_an_atom_feed_entry_is_a_paper_with_its_published_date() -> None:
    parsed = _parse(ATOM, "query.atom")
    assert parsed.format == "feed"
    [paper] = parsed.digest.papers
    assert (paper.title, paper.arxiv_id) == ("Electrons in a Box", "2403.01234")
    assert paper.abstract == "We study electrons. In boxes."
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.published == "2024-03-02"
    assert [s.date for s in parsed.digest.sections] == ["2024-03-05"]  # the feed's own day


RSS1 = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://arxiv.org/rss/cs.LG">
    <title>cs.LG updates on arXiv.org</title>
    <dc:date>2019-07-15T20:30:00-05:00</dc:date>
    <items><rdf:Seq><rdf:li rdf:resource="http://arxiv.org/abs/1907.05432"/></rdf:Seq></items>
  </channel>
  <item rdf:about="http://arxiv.org/abs/1907.05432">
    <title>Learning to Learn Fast. (arXiv:1907.05432v1 [cs.LG])</title>
    <link>http://arxiv.org/abs/1907.05432</link>
    <description rdf:parseType="Literal">&lt;p&gt;We learn fast.&lt;/p&gt;</description>
    <dc:creator>&lt;a href="http://arxiv.org/find/cs/1/au:+Doe_J/0/1/0/all/0/1"&gt;Jane Doe&lt;/a&gt;</dc:creator>
  </item>
</rdf:RDF>
"""


def test_arxivs_older_rdf_feed_drops_the_id_and_category_from_titles() -> None:
    parsed = _parse(RSS1, "cs.LG.rdf")
    [paper] = parsed.digest.papers
    assert (paper.title, paper.arxiv_id, paper.abstract) == (
        "Learning to Learn Fast.",
        "1907.05432",
        "We learn fast.",
    )
    assert [s.date for s in parsed.digest.sections] == ["2019-07-15"]


NEWS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>AI news</title>
<pubDate>Fri, 21 Aug 2026 09:00:00 GMT</pubDate>
<item><title>Company ships a model</title><link>https://example.com/blog/model</link>
<description>Today we ship.</description></item>
<item><title>Another launch</title><link>https://example.com/blog/launch</link>
<description>Also today.</description></item>
<item><title>A Real Paper</title><link>https://arxiv.org/abs/2608.00001</link></item>
</channel></rss>
"""


def test_a_feed_of_posts_that_are_not_papers_is_refused() -> None:
    """A news feed's posts link no paper: refused with one sentence, nothing imported."""
    with pytest.raises(DoubtfulDigestError) as err:
        _parse(NEWS, "news.xml")
    assert "news.xml" in str(err.value) and "\n" not in str(err.value)
    assert "2 of the 3 items" in str(err.value)


def test_a_feed_that_declares_entities_is_not_read() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title>"
        "<link>https://arxiv.org/abs/2608.00001</link></item></channel></rss>"
    )
    with pytest.raises(DigestError) as err:
        _parse(bomb, "bomb.xml")
    assert "entities" in str(err.value)


def test_a_broken_feed_names_its_line() -> None:
    with pytest.raises(DigestError) as err:
        _parse('<?xml version="1.0"?>\n<rss>\n<channel>\n<item><title>x</item>\n', "cut.xml")
    assert "cut.xml is not well-formed XML" in str(err.value) and err.value.line == 4


_TITLE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=40)
_LINK = st.sampled_from(
    [
        "https://arxiv.org/abs/2608.00001",
        "https://huggingface.co/papers/2608.00002",
        "https://example.com/post",
        "",
        "oai:arXiv.org:2608.00003v1",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TITLE, _LINK, _TITLE), min_size=1, max_size=6))
def test_any_feed_gives_only_titled_items_that_link_a_paper(
    items: list[tuple[str, str, str]],
) -> None:
    body = "".join(
        f"<item><title>{escape(t)}</title><guid>{escape(link)}</guid>"
        f"<description>{escape(d)}</description></item>"
        for t, link, d in items
    )
    text = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{body}</channel></rss>'
    )
    try:
        parsed = sources.parse_bytes(text.encode(), "any.xml")
    except DigestError as err:
        assert "any.xml" in str(err) and "\n" not in str(err)
        return
    titles = {" ".join(t.split()) for t, _, _ in items}
    for paper in parsed.digest.papers:
        assert paper.title in titles and paper.arxiv_id in {
            "2608.00001",
            "2608.00002",
            "2608.00003",
        }
