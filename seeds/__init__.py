"""The bundled Hugging Face Daily Papers digests (imported on first run)."""
