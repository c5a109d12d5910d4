"""Run the reproduction: python -m tools.reproduce (see runs.py)."""
import sys

from tools.reproduce.runs import main

sys.exit(main())
