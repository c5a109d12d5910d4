"""The concepts, shown: figures from the trained models (make gallery)."""
