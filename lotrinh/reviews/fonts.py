"""The serif font a PDF review is set in: Liberation Serif 2 (metric-compatible with Times New Roman,
every Vietnamese glyph), or DejaVu Serif where it is absent. `scripts/ensure-fonts` installs
Debian's fonts-liberation2 at setup (fonts-liberation 1.x has no Vietnamese letters, so a font is
used only if it has them); LOTRINH_SERIF_FONT_DIR names another folder holding it."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from reportlab.pdfbase.ttfonts import TTFontFile

from lotrinh.core.errors import UserFacingError

logger = logging.getLogger(__name__)

FOLDERS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/liberation-serif",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
)
FAMILIES = {
    "Liberation Serif": ("LiberationSerif-{}.ttf", ("Regular", "Bold", "Italic", "BoldItalic")),
    "DejaVu Serif": ("DejaVuSerif{}.ttf", ("", "-Bold", "-Italic", "-BoldItalic")),
}


@dataclass(frozen=True)
class SerifFont:
    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


VIETNAMESE = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"


def _vietnamese(path: Path) -> bool:
    """Whether the font draws every Vietnamese letter (both cases)."""
    glyphs = TTFontFile(str(path)).charToGlyph
    return all(ord(c) in glyphs for c in VIETNAMESE + VIETNAMESE.upper())


@functools.cache
def serif_font() -> SerifFont:
    folders = [settings.LOTRINH_SERIF_FONT_DIR, *FOLDERS]
    for family, (pattern, styles) in FAMILIES.items():
        for folder in filter(None, folders):
            paths = [Path(folder) / pattern.format(style) for style in styles]
            if all(path.is_file() for path in paths) and _vietnamese(paths[0]):
                if family != "Liberation Serif":
                    logger.warning(
                        "Liberation Serif not found: review PDFs use %s (run scripts/ensure-fonts)",
                        family,
                    )
                return SerifFont(family, *paths)
    raise UserFacingError(
        _(
            "No serif font with Vietnamese letters is installed: install fonts-liberation "
            "(scripts/ensure-fonts) or set LOTRINH_SERIF_FONT_DIR."
        )
    )
