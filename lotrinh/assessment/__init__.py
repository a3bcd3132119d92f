"""Progress against targets: pluggable, documented methods (scoring.py, pure) and stored assessments."""
