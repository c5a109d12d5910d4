"""The shared ground: the task list, MNIST, the loss, the machine, the mains.

Every other folder builds on this one, and it imports none of them.
"""
