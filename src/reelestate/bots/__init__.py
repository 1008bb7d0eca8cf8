"""Messenger channels over the agent runner."""
