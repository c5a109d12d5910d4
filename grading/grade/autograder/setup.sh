#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image:
# it installs bubblewrap, a TensorFlow line into a virtual environment under
# $AUTOGRADER_ROOT (default /autograder), never into the system's Python,
# provisions MNIST from the bundle, and checks this project's own files once,
# which also records every task's points for the runs to come.
set -euo pipefail
root=${AUTOGRADER_ROOT:-/autograder}
cd "$root/source"

# The check runs each submission in bubblewrap where the container lets it
# make namespaces, and as an unprivileged user of its own where not.
if ! command -v bwrap >/dev/null && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq bubblewrap \
        || echo "setup.sh: bubblewrap could not be installed; the check falls back"
fi

# The graded line wants Python 3.9-3.11 (3.9 first); Gradescope's Ubuntu
# images ship 3.10 or newer. With no usable Python at all, install the
# image's own, then choose again.
if ! choice=$(bash tools/choose_line.sh "${TF:-}" "${PYTHON:-}"); then
    if command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3 python3-venv
        choice=$(bash tools/choose_line.sh "${TF:-}" "${PYTHON:-}")
    else
        exit 1
    fi
fi
set -- $choice
line=$1 python=$2
echo "setup.sh: TF=$line on Python $("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])') ($python);" \
    "the graders' environment is TF 2.15 on Python 3.9 (README, 'Supported lines'; docs/lines.md)"

"$python" -m venv "$root/venv"
"$root/venv/bin/pip" install --quiet -r "requirements/tf$line.txt"
echo "$line" > "$root/venv/line"
MNIST_NPZ="$root/source/data/mnist.npz" "$root/venv/bin/python" -m tools.mnist
weights=()
[ -f weights.txt ] && weights=(--weights weights.txt)
"$root/venv/bin/python" -m grading.grade --submission "$root/source" \
    --gradescope "$root/venv/self-check.json" --grades "$root/grades" \
    --jobs 1 --timeout 300 "${weights[@]}"
