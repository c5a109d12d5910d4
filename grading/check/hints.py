"""One-line hints for failures whose cause public solutions share.

Each hint is found by a pattern in the failed point's name or in what it
found, and says what to change.
"""
import re

# (where to look: 'point' or 'found', pattern, hint)
HINTS = [
    ('found', r'A KerasTensor cannot be used as input to a TensorFlow '
     r'function',
     'Keras 3 builds models from symbolic KerasTensors, which TensorFlow '
     'ops cannot take: a loss computed with tf or keras.backend ops on the '
     "model's tensors (auto.add_loss(...)) must move into a layer, or into "
     "an activity regularizer, as this project's 3-variational.py does"),
    ('found', r"module '[\w.]*backend' has no attribute",
     'Keras 3 dropped most of keras.backend (K.random_normal, K.exp, '
     'K.shape): build the sampling from layers that exist on Keras 2 and 3'),
    ('found', r'^SystemExit\b',
     "the file exits when it is imported: put the code that runs it under "
     "if __name__ == '__main__':"),
    ('found', r"No module named '[\w.]+'",
     'the house rules allow no import but `import tensorflow.keras as '
     'keras`'),
    ('point', r'^executable\b', 'make it executable: chmod +x FILE'),
    ('point', r'^first line\b',
     'the first line must be exactly #!/usr/bin/env python3'),
    ('point', r'^ends with a newline\b', 'end the file with a newline'),
    ('point', r'^imports\b',
     'the house rules allow no import but `import tensorflow.keras as '
     'keras`'),
    ('point', r'^pycodestyle\b',
     'run pycodestyle 2.11.1 on the file and fix what it lists'),
    ('point', r'^(module docstring|functions and classes without)',
     'give the module and every function and class a docstring'),
    ('found', r'^FileNotFoundError',
     'name the file exactly as the task does, in the folder you check'),
]


def hint_for(point, found):
    """Return the hint for a failed point, or None."""
    for where, pattern, hint in HINTS:
        if re.search(pattern, point if where == 'point' else found):
            return hint
    return None
