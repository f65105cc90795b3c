"""One run: set-up, documents, corpus steps, write (``engine.py``), and runs made from runs (``children.py``)."""
