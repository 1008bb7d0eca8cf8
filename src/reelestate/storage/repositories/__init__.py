"""Repositories: every method takes the organisation from a `TenantContext`, not its input."""
