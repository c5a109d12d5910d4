#!/bin/sh
# Print the path of a working Python VERSION (for example 3.9) for a new
# virtual environment: `pythonVERSION` on the PATH if it runs (a pyenv shim
# may not), else the newest one under pyenv's versions folder. With neither,
# say so in one line on stderr and print `python3`.
version=$1
if command -v "python$version" >/dev/null 2>&1 \
        && "python$version" -c '' >/dev/null 2>&1; then
    command -v "python$version"
    exit 0
fi
for candidate in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".* \
                   2>/dev/null | sort -t. -k3 -n -r); do
    if "$candidate/bin/python$version" -c '' >/dev/null 2>&1; then
        echo "$candidate/bin/python$version"
        exit 0
    fi
done
echo "no Python $version found (PATH or pyenv); using python3" >&2
echo python3
