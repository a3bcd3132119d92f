"""Shared kernel: text helpers, bilingual errors, base models and project-wide commands."""
