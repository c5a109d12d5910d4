"""What CPU a figure was measured on: its model and vector instructions.

Exact digits depend on both (RESULTS.md), so results record them; a run
of the mains records its libraries' versions and its date as well.
"""
import datetime
import importlib.metadata
import os
import platform


def cpu_info():
    """Return (model name, flags) of the first CPU in /proc/cpuinfo."""
    fields = {}
    try:
        with open('/proc/cpuinfo') as stream:
            for line in stream:
                key, _, value = line.partition(':')
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    return (fields.get('model name') or platform.processor()
            or platform.machine(), fields.get('flags', '').split())


def vector_isa(flags):
    """Return the widest x86 vector instruction set among the CPU's flags.

    The exact digits a main prints depend on it (RESULTS.md).
    """
    if 'avx512f' in flags:
        return 'AVX-512'
    if 'avx2' in flags:
        return 'AVX2'
    return 'neither AVX2 nor AVX-512'


def describe():
    """Return what a committed figure records of the machine beside it."""
    cpu, flags = cpu_info()
    return {'cpu': cpu, 'isa': vector_isa(flags), 'cpus': os.cpu_count(),
            'python': platform.python_version()}


def described_run():
    """Return what a run records: the machine, TensorFlow's, Keras's and
    NumPy's versions, and the date."""
    versions = {package: importlib.metadata.version(package)
                for package in ('tensorflow', 'keras', 'numpy')}
    return dict(versions, **describe(),
                date=datetime.datetime.now(datetime.timezone.utc)
                .strftime('%Y-%m-%dT%H:%M:%SZ'))
