"""The outer edge: CLI, REST API, webhooks."""
