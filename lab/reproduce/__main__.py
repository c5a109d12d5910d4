"""Run the reproduction: python -m lab.reproduce (see runs.py)."""
import sys

from lab.reproduce.runs import main

sys.exit(main())
