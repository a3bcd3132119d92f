#!/usr/bin/env python
"""Django's command-line utility; users run the installed `lotrinh` command instead."""

import sys

from lotrinh.cli import main

if __name__ == "__main__":
    sys.exit(main())
