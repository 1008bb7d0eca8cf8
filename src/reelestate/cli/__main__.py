"""`python -m reelestate.cli`, the same as the `reelestate` command."""

from reelestate.cli import main

main()
