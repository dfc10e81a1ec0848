"""``python -m bufferzone`` runs the command line."""

from bufferzone.cli import main

raise SystemExit(main())
