"""Build the observatory: `python build.py [--config observatory.yml] [--site-dir DIR]`."""

import sys

from observatory.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
