"""`python -m reelestate.api.cli`, the same as the `reelestate` command."""

from reelestate.api.cli import main

main()
