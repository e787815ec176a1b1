"""The terminal width at which the screens change their layout (one number for all)."""

NARROW_BELOW = 110
"""Terminal width (columns) under which the layout stacks."""
