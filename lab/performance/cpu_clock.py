"""Measure the CPU's effective clock, to derive its peak FLOP rate.

    python -m lab.performance.cpu_clock

An x86 integer add whose input is the previous add's output takes one
cycle, so a long chain of them runs at one add per cycle and timing it gives
the clock under load. The chain is a tiny C program built with the system's
cc (the machine's clock is not visible to Python). Peak float32 FLOP/s is
then cores x clock x FLOPs per cycle per core (32 on AMD Zen 4: two 256-bit
FMA pipes, 8 float32 lanes each, 2 FLOPs per FMA).
"""
import os
import statistics
import subprocess
import sys
import tempfile

CHAIN = r'''
#include <stdio.h>
#include <time.h>
int main(void) {
    unsigned long x = 0, rounds = 200000000UL;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (unsigned long i = 0; i < rounds; i++) {
        __asm__ volatile(
            "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
            "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
            : "+r"(x));
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec)
        + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%f\n", 8.0 * rounds / seconds / 1e9);
    return x == 0;
}
'''
FLOPS_PER_CYCLE = 32


def measure_ghz(repeats=5):
    """Return the median clock in GHz over several timed chains."""
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, 'chain.c')
        binary = os.path.join(folder, 'chain')
        with open(source, 'w') as stream:
            stream.write(CHAIN)
        subprocess.run(['cc', '-O1', '-o', binary, source], check=True)
        return statistics.median(
            float(subprocess.run([binary], capture_output=True, text=True,
                                 check=True).stdout)
            for _ in range(repeats))


def main():
    """Print the clock and the peak it implies."""
    ghz = measure_ghz()
    cores = os.cpu_count()
    print('clock under load: {:.2f} GHz (median of 5 chains)'.format(ghz))
    print('float32 peak: {} cores x {:.2f} GHz x {} FLOPs/cycle = {:.0f} '
          'GFLOP/s'.format(cores, ghz, FLOPS_PER_CYCLE,
                           cores * ghz * FLOPS_PER_CYCLE))
    return 0


if __name__ == '__main__':
    sys.exit(main())
