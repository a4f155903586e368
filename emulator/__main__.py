"""Run the emulator: ``python -m emulator serve`` (the same as the ``onlyfans-emulator`` script)."""
import sys

from .cli import main

sys.exit(main(prog="python -m emulator"))
