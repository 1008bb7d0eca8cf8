"""Publishing to social networks: the Protocol and the Meta Graph API client."""
