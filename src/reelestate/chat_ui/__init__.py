"""The Chainlit web chat: runner events turned into messages, elements and actions."""
