"""The order digests are listed in everywhere (the sidebar, ``tracker digests``, stats).

Newest day first (a reader looks for today's), those without a date after
them; not in the order they were imported.
"""

from __future__ import annotations

from tracker.models import Digest, label_month_day


def newest_first(digests: list[Digest]) -> list[Digest]:
    """Dated digests newest day first (one day's in import order), then undated ones.

    An undated digest whose label names a day without its year ("Aug 6", a page
    imported before --date was asked for) comes by that day, latest first, as
    the dated ones do: alphabetically "Aug 6" would come before "Mar 8". The
    others follow by label.
    """
    dated = [d for d in digests if d.date]
    dated.sort(key=lambda d: str(d.date), reverse=True)  # stable: ties keep their order
    undated = [d for d in digests if not d.date]
    days = {id(d): label_month_day(d.label) for d in undated}
    by_day = [d for d in undated if days[id(d)] is not None]
    by_day.sort(key=lambda d: days[id(d)] or (0, 0), reverse=True)
    by_label = [d for d in undated if days[id(d)] is None]
    by_label.sort(key=lambda d: d.display_label.casefold())
    return dated + by_day + by_label
