"""External capabilities, each a Protocol with a real client and an embedded default."""
