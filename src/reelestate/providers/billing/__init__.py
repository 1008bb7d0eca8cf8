"""Payments: the credit catalogue, a Stripe client, webhook signatures, and the default without
Stripe (every payment call says billing is not configured)."""
