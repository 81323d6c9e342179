"""``python -m extractor`` runs the command line (see :mod:`extractor.cli`)."""

from extractor.cli import main

if __name__ == "__main__":
    main()
