"""`python -m evenhand`: the same command line as the `evenhand` entry point."""

from evenhand.cli import main

main()
