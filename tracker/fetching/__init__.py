"""Fetching digests over the network: Hugging Face's daily list, an arXiv category's feed.

:mod:`~tracker.fetching.remotes` names the services and their addresses,
:mod:`~tracker.fetching.plan` the days a fetch asks for,
:mod:`~tracker.fetching.http` gets one address politely (a pause between
requests, retries with backoff), :mod:`~tracker.fetching.download` gets every
planned day before anything is imported, and :mod:`~tracker.fetching.importing`
imports each day as ``tracker import`` would import the saved response.
No Textual: the CLI and the app (in a worker thread) share it.
"""

from __future__ import annotations

from tracker.fetching.download import Page, fetch_pages
from tracker.fetching.http import FetchError, Http
from tracker.fetching.importing import DayOutcome, import_pages
from tracker.fetching.plan import Plan, PlanError, plan_days, utc_today
from tracker.fetching.remotes import Remote, RemoteError, parse_remote

__all__ = [
    "DayOutcome",
    "FetchError",
    "Http",
    "Page",
    "Plan",
    "PlanError",
    "Remote",
    "RemoteError",
    "fetch_pages",
    "import_pages",
    "parse_remote",
    "plan_days",
    "utc_today",
]
