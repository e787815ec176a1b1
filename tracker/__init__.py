"""paper-tracker: triage research-paper digests, keep notes, find papers again."""

__version__ = "0.1.0"
"""The release; pyproject.toml reads it from here (``tracker --version`` prints it)."""
