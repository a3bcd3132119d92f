"""Settings modules: base (read from the environment), dev, test and production."""
