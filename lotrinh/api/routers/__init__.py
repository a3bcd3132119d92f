"""One router per app."""
