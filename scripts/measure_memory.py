"""Peak memory of `observatory check` reading one large producer file (issue 29: ≤ 1 GB for 200 MB).

    python scripts/measure_memory.py [--megabytes 200] [--source PATH]

Writes, in a temporary folder, a REVN_2022.csv of the given size made of the rows of a real ANCT
file (default ../shared/data/qpv-2015/REVN_2022.csv: every line padded with empty fields, as the
producer publishes it) under distinct made-up 2015 quartier codes, runs `observatory check` on it
with the two-quartier fixture's configuration in a child process, and prints its peak resident
memory (getrusage of the child) against the floor; exit code 1 above it.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_MB = 1024


def write_file(source: Path, target: Path, megabytes: int) -> int:
    """A producer file of about `megabytes` MB: the source's quartier rows, recoded, repeated."""
    lines = source.read_bytes().split(b"\n")
    header, body = lines[0], [line for line in lines[1:] if line.startswith(b"QP")]
    size, count = len(header) + 1, 0
    with target.open("wb") as out:
        out.write(header + b"\n")
        while size < megabytes * 1024 * 1024:
            _, rest = body[count % len(body)].split(b";", 1)
            line = b"QP%03d%03d;" % (100 + count // 1000, count % 1000) + rest + b"\n"
            out.write(line)
            size += len(line)
            count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data" / "qpv-2015" / "REVN_2022.csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "REVN_2022.csv"
        rows = write_file(args.source, target, args.megabytes)
        command = [sys.executable, "-m", "observatory", "check", folder]
        command += ["--config", str(ROOT / "tests" / "fixtures" / "mini" / "observatory.yml")]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
        size = target.stat().st_size / 1024 / 1024
    verdict = "atteint" if peak <= FLOOR_MB and done.returncode == 0 else "NON ATTEINT"
    print(f"fichier de {size:.0f} Mo ({rows} lignes) : check en {'succès' if done.returncode == 0 else 'échec'}")
    times = peak / size
    print(f"mémoire de pointe : {peak:.0f} Mo, {times:.1f} fois le fichier (plancher ≤ {FLOOR_MB} Mo) — {verdict}")
    return 0 if verdict == "atteint" else 1


if __name__ == "__main__":
    sys.exit(main())
