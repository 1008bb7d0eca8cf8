"""Narration voices: ElevenLabs, OpenAI and the embedded espeak-ng."""
