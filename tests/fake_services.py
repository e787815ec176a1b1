"""A local stand-in for Hugging Face's and arXiv's servers, and responses in their exact shape.

No test touches the network: `tracker fetch` is pointed at an http.server on
127.0.0.1 (port 0) in the test process through ``TRACKER_HF_API`` and
``TRACKER_ARXIV_API``.

The workplace forbids committing data fetched from public repositories
(tests/fixtures/real/SOURCES.md), so the responses served in CI are made here:
the JSON has every field, nesting and type of a real
``huggingface.co/api/daily_papers?date=…`` answer (modelled on the recorded
responses ``hf-json/api-new-2026-08-20.json`` and ``api-old-2024-06-21.json``
of the real corpus), the RSS those of ``rss.arxiv.org/rss/CATEGORY`` (as in
``arxiv-rss/dzdydx-filter-2025-08-06.xml``), and the papers in them are the
bundled seeds' titles and abstracts with made-up ids and people. The recorded
responses themselves are served byte for byte by tests that run only when
``$TRACKER_REAL_CORPUS`` points at the corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from tracker import sources

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class FakeServer:
    """Answers each path (with its query) from ``routes``; a list is answered in turn, then its last."""

    routes: dict[str, Reply | list[Reply]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    base: str = ""
    gate: threading.Event | None = None
    """When set, every answer waits for it (a slow network, for at most 10 s)."""

    def reply(self, path: str) -> Reply:
        self.requests.append(path)
        if self.gate is not None:
            self.gate.wait(10)
        found = self.routes.get(path)
        if found is None:
            return 404, {}, b'{"error":"Not Found"}'
        if isinstance(found, list):
            return found.pop(0) if len(found) > 1 else found[0]
        return found

    def json(self, path: str, data: bytes) -> None:
        self.routes[path] = (200, {"Content-Type": "application/json; charset=utf-8"}, data)

    def rss(self, path: str, data: bytes) -> None:
        self.routes[path] = (200, {"Content-Type": "application/rss+xml"}, data)


def serve() -> Iterator[FakeServer]:
    """A running server on 127.0.0.1 (a free port); stopped when the generator is closed."""
    server = FakeServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = server.reply(self.path)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def seed_papers() -> list[tuple[str, str]]:
    """(title, abstract) of the bundled seeds' papers, in page order, each once."""
    seen: dict[str, str] = {}
    for path in SEEDS:
        parsed = sources.parse_bytes(path.read_bytes(), path.name)
        for paper in parsed.digest.papers:
            seen.setdefault(paper.title, paper.abstract)
    return list(seen.items())


def _hex(n: int, width: int = 24) -> str:
    return f"{n:0{width}x}"[-width:]


def _user(n: int) -> dict[str, object]:
    return {
        "_id": _hex(0x6632EF2C0000 + n),
        "avatarUrl": f"/avatars/{_hex(n, 32)}.svg",
        "isPro": False,
        "fullname": f"Test Person {n}",
        "user": f"tester{n}",
        "type": "user",
        "name": f"tester{n}",
    }


def hf_day(day: dt.date, papers: list[tuple[str, str]], first_id: int = 1) -> bytes:
    """A ``daily_papers?date=DAY`` answer (the current schema) listing ``papers``."""
    items = []
    listed = f"{day.isoformat()}T00:00:00.000Z"
    for n, (title, abstract) in enumerate(papers, start=first_id):
        arxiv_id = f"{day:%y%m}.9{n:04d}"
        authors = [
            {
                "_id": _hex(0x6A85134C0000 + n * 10 + k),
                "user": _user(n * 10 + k),
                "name": f"Author {n}-{k}",
                "status": "claimed_verified" if k == 0 else "admin_assigned",
                "statusLastChangedAt": "2026-08-18T09:12:01.417Z",
                "hidden": False,
            }
            for k in range(3)
        ]
        published = f"{(day - dt.timedelta(days=3)).isoformat()}T00:00:00.000Z"
        items.append(
            {
                "paper": {
                    "id": arxiv_id,
                    "authors": authors,
                    "publishedAt": published,
                    "submittedOnDailyAt": listed,
                    "title": title,
                    "submittedOnDailyBy": _user(n),
                    "summary": abstract,
                    "upvotes": 100 - n,
                    "discussionId": _hex(0x6A85134D0000 + n),
                    "projectPage": f"https://example.org/project-{n}/",
                    "githubRepo": f"https://github.com/example/project-{n}",
                    "githubRepoAddedBy": "user",
                    "ai_summary": f"A summary of {title}.",
                    "ai_keywords": ["test keyword", "another keyword"],
                    "ai_summary_model": "example/summary-model",
                    "githubStars": 10 + n,
                },
                "publishedAt": f"{(day - dt.timedelta(days=1)).isoformat()}T20:00:00.000Z",
                "title": title,
                "summary": abstract,
                "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv_id}.png",
                "numComments": n % 4,
                "submittedBy": {
                    **{k: v for k, v in _user(n).items() if k != "user"},
                    "isHf": False,
                    "isHfAdmin": False,
                    "isMod": False,
                    "isUserFollowing": False,
                },
                "isAuthorParticipating": n % 2 == 0,
            }
        )
    return json.dumps(items, ensure_ascii=False, indent=2).encode()


def arxiv_rss(
    category: str,
    day: dt.date,
    papers: list[tuple[str, str]],
    *,
    replaced: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> bytes:
    """``rss.arxiv.org/rss/CATEGORY``: the announcement of ``day`` (new items, then replacements)."""
    stamp = format_datetime(
        dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    )
    items = []
    for n, ((title, abstract), kind) in enumerate(
        [*((p, "new") for p in papers), *((p, "replace") for p in replaced)], start=1
    ):
        arxiv_id = f"{day:%y%m}.8{n:04d}"
        items.append(
            f"""    <item>
      <title>{escape(title)}</title>
      <link>https://arxiv.org/abs/{arxiv_id}</link>
      <description>arXiv:{arxiv_id}v1 Announce Type: {kind}\x20
Abstract: {escape(abstract)}</description>
      <guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v1</guid>
      <category>{category}</category>
      <category>cs.AI</category>
      <pubDate>{stamp}</pubDate>
      <arxiv:announce_type>{kind}</arxiv:announce_type>
      <dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>
      <dc:creator>Ana Example, Bo Sample, Chen Placeholder</dc:creator>
    </item>"""
        )
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>{category} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/{category}</link>
    <description>{category} updates on the arXiv.org e-print archive.</description>
    <atom:link href="https://rss.arxiv.org/rss/{category}" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
    <lastBuildDate>{stamp}</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>{stamp}</pubDate>
    <skipDays>
      <day>Saturday</day>
      <day>Sunday</day>
    </skipDays>
{chr(10).join(items)}
  </channel>
</rss>
""".encode()
