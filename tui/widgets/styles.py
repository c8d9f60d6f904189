"""Content styles shared by the widgets. They name theme variables ($warning, …) rather
than colours, so highlights follow the theme the reader picks."""

from __future__ import annotations

HIT = "bold $text-warning on $warning-muted"  # a query word in results and articles
CURRENT_HIT = "bold $background on $warning"  # the hit that n / N moved to
TITLE = "bold"  # an unread article's title
READ_TITLE = "not bold"
ON_SHOW = "bold $text-accent"  # the ▶ beside the article on show
UNREAD = "$text-primary"  # the ● beside an unread article
FLAGGED = "bold $text-warning"  # the ⚑ beside a flagged article
MUTED = "$text-muted"  # metadata lines
TAG = "italic $text-muted"  # "[boilerplate]" and similar labels
HIDDEN = "$text-muted"  # a hidden paragraph shown with the toggle
ERROR = "bold $text-error"
SUGGESTION = "bold $text-success"
BAR_FULL = "$accent"
BAR_EMPTY = "$panel-lighten-2"
URL = "underline $text-accent"
FLASH = "bold $text-success"  # a passing word about what a key did
FILTER = "bold $text-accent"
PANE_FOCUSED = "bold $background on $accent"  # the pane with the keys, in the indicator
PANE_VISIBLE = "bold"
PANE_HIDDEN = "$text-muted 60%"
