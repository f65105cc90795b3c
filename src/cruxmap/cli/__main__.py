"""``python -m cruxmap.cli``: the same as the ``cruxmap`` command."""

from . import main

main()
