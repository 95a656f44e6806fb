"""``python -m crmbook`` runs the command line."""

from crmbook.cli import main

main()
