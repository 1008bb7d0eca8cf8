"""Persistence: database models, repositories and the blob store."""
