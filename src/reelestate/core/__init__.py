"""Settings, errors, logging: what every layer may use."""
