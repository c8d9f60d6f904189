"""Content styles shared by the widgets. They name theme variables ($warning, …) rather
than colours, so highlights follow the theme the reader picks."""

from __future__ import annotations

HIT = "bold $text-warning on $warning-muted"  # a query word in results and articles
CURRENT_HIT = "bold $background on $warning"  # the hit that n / N moved to
TITLE = "bold"
MUTED = "$text-muted"  # metadata lines
TAG = "italic $text-muted"  # "[boilerplate]" and similar labels
HIDDEN = "$text-muted"  # a hidden paragraph shown with the toggle
ERROR = "bold $text-error"
SUGGESTION = "bold $text-success"
BAR_FULL = "$accent"
BAR_EMPTY = "$panel-lighten-2"
