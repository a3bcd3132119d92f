"""Import of reported figures from Excel (.xlsx) and CSV, with a dry run before anything is written."""
