"""Index the knowledge folder: ``python ingest.py [--knowledge DIR] [--store DIR]``."""

import sys

from askbrenda.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", *sys.argv[1:]]))
