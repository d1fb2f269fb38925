"""Benchmark: read and validate every producer file of ../shared/data (not a timed test).

    python benchmarks/read_shared_data.py [--data-dir ../shared/data] [--repeat 3]

Prints the median wall time of `load` (configuration, catalog, referential, published figures
and every producer file, read and checked), then the rows read per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observatory.pipeline import load  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times, obs = [], None
    for _ in range(args.repeat):
        start = time.perf_counter()
        obs = load(ROOT / "observatory.yml", data_dir=args.data_dir)
        times.append(time.perf_counter() - start)
    rows = sum(account.read for account in obs.accounts)
    files = sum(1 for account in obs.accounts if account.mapping)
    median = statistics.median(times)
    print(f"files={files} rows={rows} figures={len(obs.figures)}")
    print(f"read_validate_s={median:.2f} (median of {args.repeat}: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"rows_per_s={rows / median:,.0f}".replace(",", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
