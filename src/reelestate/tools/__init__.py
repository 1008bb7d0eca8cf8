"""The agent's tools: pure functions over pydantic models plus thin wrappers."""
