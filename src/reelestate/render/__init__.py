"""The render engine: RenderSpec in, validated MP4 + SRT + thumbnail + contact sheet out."""
