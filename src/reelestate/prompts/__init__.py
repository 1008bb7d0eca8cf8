"""Prompt templates and copy rules: data, no logic."""
