"""Who is calling: passwords are checked in storage; tokens, keys and principals live here."""
