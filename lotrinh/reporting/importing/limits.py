"""Limits of the import, in one place: each one says what it protects against.

They are checked in this order, each before the next, more expensive, step: the file's size before
it is read; for .xlsx, the zip's declared sizes before openpyxl opens it; then rows and columns
while the sheet is streamed, so a bad file is refused before it can use much time or memory.
"""

from __future__ import annotations

from django.conf import settings

MB = 1024 * 1024

# A file bigger than this is refused before it is read. A template of the largest unit set (every
# commune of the legacy structure, ~11,000 rows, 60 figures each) is about 4 MB as .xlsx and 6 MB
# as CSV, so 20 MB (LOTRINH_IMPORT_MAX_MB) leaves room while keeping a stray video or database
# dump out.
MAX_UPLOAD_BYTES = settings.LOTRINH_IMPORT_MAX_MB * MB

# An .xlsx is a zip of XML files. Before openpyxl touches it we add up the sizes its directory
# declares (Python's zipfile never inflates a member past its declared size, so they are a bound).
MAX_UNCOMPRESSED_BYTES = 200 * MB
# Sheet XML of plain numbers compresses about 10-30 times; zip bombs compress thousands of times.
# Members smaller than RATIO_CHECK_FROM_BYTES are not judged: tiny files have odd ratios.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1 * MB
MAX_ZIP_MEMBERS = 1_000

# One data row is one unit, and one period has one structure: the largest unit set that can report
# (all districts and communes of the legacy structure) is about 11,000 units. A file with more data
# rows than this cannot be a template and is refused as soon as row MAX_ROWS + 1 is reached, so a
# 100,000-row file costs a fraction of a second and no memory to refuse.
MAX_ROWS = 20_000
# Unit code, unit name and up to this many figures (the national form has 60).
MAX_COLUMNS = 2 + 250
# A data row may have blank cells past the header (spreadsheet exports add them), but none past
# this many cells; a CSV line may not be longer than MAX_LINE_CHARACTERS. Both are checked before
# a row's cells are looked at one by one, so a row of a million cells is refused, not read.
MAX_ROW_CELLS = 1_000
MAX_LINE_CHARACTERS = 100_000

# A dry run lists every change and error; beyond these, the page shows the first ones and a count
# (the full list is still checked, and apply still refuses while any error remains).
MAX_SHOWN_CHANGES = 2_000
MAX_SHOWN_ISSUES = settings.LOTRINH_IMPORT_MAX_ISSUES_LISTED
# Reading lists at most this many problems of the file's cells (formulas, cells outside the
# columns), then one line counting the rest: each listed problem is a sentence in two languages.
MAX_READ_ISSUES = settings.LOTRINH_IMPORT_MAX_ISSUES_LISTED

# An uploaded file waits this long for its "Apply" before it is deleted.
UPLOAD_KEPT_SECONDS = 24 * 3600
