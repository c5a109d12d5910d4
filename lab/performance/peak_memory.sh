#!/usr/bin/env bash
# Run a command inside a memory cgroup capped like a Gradescope container
# (768 MB by default), and report the group's peak: all its processes
# together, page cache included, as the cap counts them. Needs root and a
# writable cgroup memory controller (v1 or v2).
#
#   lab/performance/peak_memory.sh [-l MB] COMMAND [ARGS...]
set -euo pipefail
limit_mb=768
if [ "${1:-}" = -l ]; then limit_mb=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-l MB] COMMAND [ARGS...]" >&2; exit 2; }

name=peak-memory-$$
if [ -d /sys/fs/cgroup/memory ]; then          # cgroup v1
    group=/sys/fs/cgroup/memory/$name
    mkdir "$group"
    echo $((limit_mb * 1024 * 1024)) > "$group/memory.limit_in_bytes"
    peak_file=$group/memory.max_usage_in_bytes
    oom() { grep -o 'oom_kill [0-9]*' "$group/memory.oom_control" | cut -d' ' -f2; }
else                                            # cgroup v2
    group=/sys/fs/cgroup/$name
    mkdir "$group"
    echo $((limit_mb * 1024 * 1024)) > "$group/memory.max"
    peak_file=$group/memory.peak
    oom() { sed -n 's/^oom_kill //p' "$group/memory.events"; }
fi
trap 'rmdir "$group" 2>/dev/null || true' EXIT

set +e
bash -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' _ "$group" "$@"
status=$?
set -e
echo "peak memory: $(( $(cat "$peak_file") / 1024 / 1024 )) MB of a ${limit_mb} MB cap," \
    "out-of-memory kills: $(oom), exit status: $status" >&2
exit $status
