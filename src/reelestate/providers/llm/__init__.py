"""Chat language models: a small Protocol and an OpenAI-compatible client."""
