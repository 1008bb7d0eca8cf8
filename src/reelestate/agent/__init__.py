"""The conversation: LangGraph state, nodes, brains and the runner every channel calls."""
