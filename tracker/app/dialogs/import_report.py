"""An import's report as the import dialogs show it."""

from __future__ import annotations

from rich.text import Text

from tracker.app.text import literal
from tracker.library import ImportReport, import_text
from tracker.library.import_plan import YEAR_HINT


def report_text(report: ImportReport, star: str, year_hint: str) -> Text:
    """The report's lines (``import_text.outcome_lines``): the file's line and the
    unusual ones bold, and the CLI's way to date a digest with no year
    (:data:`YEAR_HINT`, ``--date``) replaced by the dialog's (``year_hint``)."""
    text = Text()
    for n, line in enumerate(import_text.outcome_lines(report, star=star)):
        style = "bold" if n == 0 or line.lstrip().startswith("unusual:") else ""
        text.append_text(literal(line.replace(YEAR_HINT, year_hint) + "\n", style))
    return text
