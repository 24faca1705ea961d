"""Page script: Log (team leads)."""

from askbrenda.ui import review

review.page()
