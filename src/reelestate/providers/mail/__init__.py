"""Sending mail: SMTP, or `.eml` files in an outbox when no server is configured."""
