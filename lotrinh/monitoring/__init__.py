"""The monitoring plan: how each indicator a province targets is measured, and what is missing."""
