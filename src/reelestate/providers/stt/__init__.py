"""Speech to text: a small Protocol and a client for OpenAI-compatible transcription servers."""
