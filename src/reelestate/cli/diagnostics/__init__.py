"""Which implementation each external part uses, whether it is configured, and whether it answers.

`await check_providers(settings)` runs every check at once, each with a short timeout, and
returns a `ProviderReport` with no secret in it; the CLI prints it and `/readyz` can reuse it.
"""

from reelestate.cli.diagnostics.model import PartStatus, ProviderReport, safe_url
from reelestate.cli.diagnostics.run import check_providers

__all__ = ["PartStatus", "ProviderReport", "check_providers", "safe_url"]
