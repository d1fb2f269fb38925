"""Issue floors on a built site, read from the pages' CSV downloads (what a reader downloads is
what the page shows): per 2024 quartier, the indicators shown with a millésime and a source, and
those compared with the quartier's contract EPCI on the same millésime.

    python scripts/measure_floors.py SITE_DIR [--config observatory.yml]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from observatory.inputs.config import load_config  # noqa: E402
from observatory.inputs.territories import load_referential  # noqa: E402


def measure(site: Path, config_path: Path) -> list[tuple[str, str, int, int]]:
    config = load_config(config_path)
    referential = load_referential(config.quartiers, config.territories)
    epci_of = {}
    for quartier in referential.quartiers:
        for contract in config.contracts:
            if set(contract.epci) & set(quartier.epcis):
                epci_of[quartier.id] = [f"epci-{siren}" for siren in contract.epci]
    rows = []
    for quartier, epcis in sorted(epci_of.items()):
        path = site / "telechargements" / "quartiers" / f"{quartier}.csv.gz"
        if not path.exists():
            rows.append((quartier, referential.territories[quartier].name, 0, 0))
            continue
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as file:
            figures = list(csv.DictReader(file))
        own = {
            (f["indicateur_code"], f["millesime"])
            for f in figures
            if f["territoire_code"] == quartier and f["millesime"] and f["producteur"]
        }
        available = {
            (f["indicateur_code"], f["millesime"])
            for f in figures
            if f["territoire_code"] == quartier and f["statut"] == "disponible"
        }
        epci = {
            (f["indicateur_code"], f["millesime"])
            for f in figures
            if f["territoire_code"] in epcis and f["statut"] == "disponible"
        }
        shown = len({indicator for indicator, _ in own})
        compared = len({indicator for indicator, _ in available & epci})
        rows.append((quartier, referential.territories[quartier].name, shown, compared))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--config", type=Path, default=ROOT / "observatory.yml")
    args = parser.parse_args()
    rows = measure(args.site, args.config)
    print("quartier;nom;indicateurs avec millésime et source;indicateurs comparés à l'EPCI (même millésime)")
    for row in rows:
        print(";".join(str(part) for part in row))
    shown = [r[2] for r in rows]
    compared = [r[3] for r in rows]
    print(
        f"médiane : {statistics.median(shown)} indicateurs, {statistics.median(compared)} comparés à l'EPCI ; "
        f"minimum : {min(shown)} et {min(compared)} ({len(rows)} quartiers)"
    )


if __name__ == "__main__":
    main()
