"""The terminal width at which the screens change their layout (one number for all)."""

NARROW_BELOW = 110
"""Terminal width (columns) under which side panels hide (the main screen's digests,
the stats screen's second column)."""

SIDE_BY_SIDE_FROM = 160
"""Terminal width (columns) from which the main screen puts the paper's details beside
the list; below it they go under the list, so that titles get the width (at 120
columns a title beside the details was cut at 42 characters)."""
