"""argue stage."""
