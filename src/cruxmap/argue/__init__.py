"""Argue: claims, embeddings, stance toward hypotheses."""
