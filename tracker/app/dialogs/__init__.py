"""Modal dialogs, one per file; each returns its result through dismiss()."""
