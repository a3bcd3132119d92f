"""One schema module per app."""
