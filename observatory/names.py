"""Names compared whatever their accents, ligatures, case and signs: the one folding rule."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """'Mons-en-Barœul' → 'mons en baroeul': names compared whatever their accents, ligatures and signs."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()
