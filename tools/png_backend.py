"""A matplotlib backend whose `plt.show()` writes PNG files, not windows.

The task's mains end with `plt.show()`. Selected with

    MPLBACKEND=module://tools.png_backend python 0-main.py

each `plt.show()` saves every open figure as `<name>-<n>.png` in
`$FIGURES_DIR` (default `figures/`), numbering figures in the order they
are shown, and then closes them, as closing a window would. The name is
`$FIGURES_NAME`, or the running script's name without `.py`.
"""
import os
import sys

from matplotlib import pyplot
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

DPI = 150


def _figures_name():
    """Return $FIGURES_NAME, or the running script's name without .py."""
    if os.environ.get('FIGURES_NAME'):
        return os.environ['FIGURES_NAME']
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ''
    return os.path.splitext(name)[0] or 'figure'


class FigureManager(FigureManagerBase):
    """Turns `plt.show()` into one PNG file per open figure."""

    shown = 0

    @classmethod
    def pyplot_show(cls, *, block=None):
        """Save every open figure, then close them all."""
        directory = os.environ.get('FIGURES_DIR', 'figures')
        os.makedirs(directory, exist_ok=True)
        for number in pyplot.get_fignums():
            FigureManager.shown += 1
            path = os.path.join(directory, '{}-{}.png'.format(
                _figures_name(), FigureManager.shown))
            pyplot.figure(number).savefig(path, dpi=DPI)
            print('figure saved to {}'.format(path), file=sys.stderr)
        pyplot.close('all')


class FigureCanvas(FigureCanvasAgg):
    """The Agg canvas, managed by the PNG-writing manager."""

    manager_class = FigureManager
