"""Run the emulator: ``python -m emulator serve``."""
import sys

from .cli import main

sys.exit(main())
