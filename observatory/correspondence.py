"""Links from 2015 quartiers to 2024 quartiers derived from the producers' files, when a
configuration is too large to declare them by hand (all of France): same name, same département.

Every derived link says so next to the figures it carries; the official ANCT correspondence file,
when it is available, is declared instead (data.correspondence).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from observatory.sources.tabular import read_table
from observatory.territories import QpLink, Referential

DEMO = re.compile(r"DEMO_(\d{4})\.csv")


def _key(name: str, department: str) -> tuple[str, str]:
    text = name.replace("œ", "oe").replace("Œ", "Oe")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip(), department.lstrip("0")


def derive(data_dir: Path, referential: Referential) -> int:
    """Link every 2024 quartier whose name and département match a 2015 quartier; return the count."""
    files = sorted((p for p in data_dir.rglob("DEMO_*.csv") if DEMO.fullmatch(p.name)), key=lambda p: p.name)
    if not files:
        return 0
    table, _ = read_table(files[-1], ("CODGEO",))
    if table is None:
        return 0
    index = table.header.index("CODGEO"), table.header.index("LIBGEO")
    old = {}
    for _, cells in table.rows:
        code, name = str(cells[index[0]]), str(cells[index[1]])
        if code.startswith("QP"):
            old.setdefault(_key(name, code[2:5]), (code, name))
    links = 0
    for quartier in referential.quartiers:
        match = old.get(_key(quartier.name, quartier.departement))
        if match and match[0] not in referential.qp2015:
            note = (
                f"Données du quartier 2015 « {match[1]} » ({match[0]}), périmètre pouvant différer du quartier 2024. "
                "Lien établi automatiquement (même nom, même département), à vérifier avec le fichier officiel."
            )
            referential.qp2015[match[0]] = QpLink(match[0], quartier.id, note)
            links += 1
    return links
