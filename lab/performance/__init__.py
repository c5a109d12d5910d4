"""Where the models' training time goes: FLOPs, CPU clock, benchmarks."""
