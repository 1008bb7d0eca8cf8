"""Local servers speaking the wire protocols of the speech services, for the real clients."""
