"""Opening a paper's page or PDF in a web browser without writing over the terminal.

The app and ``tracker open`` both call :func:`open_url`. The browser is
started in a session of its own with its input and output away from the
terminal: a browser (or ``xdg-open``) that prints warnings would otherwise
write them over the app's screen, and one that reads the terminal would fight
the app for it. Standard error is kept in a temporary file so that a failure
can be told in one sentence.

Which browser: the ``browser`` setting in config.toml when it is given (a
command; ``%s`` stands for the address, else the address is appended), else
the standard :mod:`webbrowser` module's choice (``$BROWSER``, the desktop's
default), run in a child Python so that everything it starts is captured the
same way. Terminal browsers (w3m, lynx) are not used unless the setting names
one: they would need the terminal the app is drawing on. When nothing could be
started -- over SSH, typically -- the result says so and carries the address,
so the user can copy it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from tracker.models import Paper
from tracker.sources.fields import ARXIV_ID, arxiv_id, arxiv_url

WAIT_S = 3.0
"""How long a browser command may take to fail; still running after that counts as opened."""

_WEBBROWSER_CHILD = "import sys, webbrowser\nsys.exit(0 if webbrowser.open(sys.argv[1]) else 3)\n"
"""The standard module's choice, run in a child whose output is captured."""

_ID_PAGE = re.compile(rf"(?:arxiv\.org/abs/|huggingface\.co/papers/)({ARXIV_ID}(?:v\d+)?)")
"""A paper's arXiv or Hugging Face page, whose address holds its arXiv id."""

_NO_BROWSER = 3
"""The child's exit status when webbrowser found nothing to open the address with."""


@dataclass(frozen=True, slots=True)
class Opened:
    """What became of one request to open an address."""

    url: str
    ok: bool
    how: str
    """The command that opened it, or why nothing could (one clause)."""

    @property
    def message(self) -> str:
        """One sentence for the user; a failure carries the address so it can be copied."""
        if self.ok:
            return f"Opened {self.url} ({self.how})"
        return f"Could not open a browser: {self.how}. The address: {self.url}"


def paper_url(paper: Paper) -> str:
    """The page ``o`` opens: the paper's link, its arXiv page, or a search for its title."""
    if paper.url:
        return paper.url
    if paper.arxiv_id:
        return arxiv_url(paper.arxiv_id)
    from urllib.parse import quote

    return "https://huggingface.co/papers?q=" + quote(" ".join(paper.title.split()))


def pdf_url(paper: Paper) -> str | None:
    """The paper's PDF: a link that is one, else arXiv's PDF of its id; None when unknown."""
    url = paper.url or ""
    if url.lower().split("?")[0].endswith(".pdf") or "arxiv.org/pdf/" in url:
        return url
    page = _ID_PAGE.search(url)
    found = paper.arxiv_id or (arxiv_id(page.group(1)) if page else None)
    if found:
        return f"https://arxiv.org/pdf/{found}"
    return None


def browser_argv(command: str, url: str) -> list[str]:
    """The browser setting as an argument list with the address in place of ``%s`` (or last)."""
    argv = shlex.split(command)
    if any("%s" in arg for arg in argv):
        return [arg.replace("%s", url) for arg in argv]
    return [*argv, url]


def open_url(url: str, command: str | None = None, *, wait: float = WAIT_S) -> Opened:
    """Open ``url`` with ``command`` (the browser setting) or the system's browser.

    Blocks for up to ``wait`` seconds (call it off the UI thread). Never
    raises for a missing or failing browser: the result says what happened.
    """
    if command and command.strip():
        try:
            argv = browser_argv(command, url)
        except ValueError as err:  # unbalanced quotes
            return Opened(url, False, f"the browser setting {command!r} cannot be read ({err})")
        if not argv:
            return Opened(url, False, "the browser setting is empty")
        return _run(url, argv, argv[0], wait)
    env = dict(os.environ)
    # Without TERM the module leaves out the terminal browsers (w3m, lynx…),
    # which would have no terminal to draw on.
    env.pop("TERM", None)
    return _run(url, [sys.executable, "-c", _WEBBROWSER_CHILD, url], "", wait, env)


def _run(
    url: str, argv: list[str], name: str, wait: float, env: dict[str, str] | None = None
) -> Opened:
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,  # no controlling terminal; not killed with the app
                close_fds=True,
                env=env,
            )
        except OSError as err:
            return Opened(
                url,
                False,
                f"the browser command {name!r} could not be started ({err.strerror or err})",
            )
        try:
            status = process.wait(wait)
        except subprocess.TimeoutExpired:
            return Opened(url, True, name or "web browser")  # a browser that stays open
        if status == 0:
            return Opened(url, True, name or "web browser")
        if not name and status == _NO_BROWSER:
            return Opened(
                url,
                False,
                "no web browser was found (name one with [open] browser in config.toml)",
            )
        errors.seek(0)
        said = _last_line(errors.read())
        who = repr(name) if name else "the web browser"
        return Opened(
            url, False, f"{who} exited with status {status}" + (f": {said}" if said else "")
        )


def _last_line(raw: bytes) -> str:
    lines = [line.strip() for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


__all__ = ["Opened", "browser_argv", "open_url", "paper_url", "pdf_url"]
