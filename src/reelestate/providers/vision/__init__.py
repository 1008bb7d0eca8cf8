"""Photo analysis: the embedded OpenCV + ONNX analyser and the LLM vision provider."""
