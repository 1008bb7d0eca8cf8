"""Repositories: every method takes the organisation from a `TenantContext`, never from its input."""
