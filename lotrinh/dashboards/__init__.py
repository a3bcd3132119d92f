"""Site pages that read across apps (home, search); views and templates only, no models."""
