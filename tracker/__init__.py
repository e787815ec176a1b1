"""paper-tracker: triage research-paper digests in the terminal."""
