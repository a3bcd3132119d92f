"""Target extraction: read a resolution's text and propose its quantitative targets for review."""
