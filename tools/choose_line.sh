#!/usr/bin/env bash
# Choose the TensorFlow line and the Python interpreter for this machine.
#
#   tools/choose_line.sh [TF] [PYTHON]
#
# TF is 2.15, 2.16, latest or empty (the best line this machine can serve);
# PYTHON, if given, is the interpreter to use. Run from the project's folder:
# an environment that already exists there (.venv-tfLINE) is reused.
#
# On success, prints "LINE INTERPRETER" on stdout and, on stderr, one line
# saying what was chosen and why. When nothing here can serve the line asked
# for, prints nothing on stdout, says on stderr which Python versions each
# line needs, which ones were found and how to get one, and exits 1.
#
# Interpreters are looked for on the PATH (pythonX.Y, python3, python; a
# pyenv shim that does not run is skipped), under pyenv's versions folder
# ($PYENV_ROOT, default ~/.pyenv) and among uv's managed interpreters
# ($UV_PYTHON_INSTALL_DIR, default ~/.local/share/uv/python).
set -u

tf=${1:-}
python=${2:-}

# The Pythons each line has wheels for, in the order we prefer them: the
# graded line the graders' 3.9 first, the others the newest first.
line_pythons() {
    case $1 in
        2.15) echo 3.9 3.10 3.11 ;;
        2.16) echo 3.12 3.11 3.10 3.9 ;;
        latest) echo 3.13 3.12 3.11 3.10 ;;
    esac
}
line_name() {
    case $1 in
        2.15) echo 'the graded TF 2.15 line' ;;
        2.16) echo 'the TF 2.16 line (oldest Keras 3)' ;;
        latest) echo 'the latest line (TF 2.21)' ;;
    esac
}
line_range() {
    case $1 in
        2.15) echo 3.9-3.11 ;;
        2.16) echo 3.9-3.12 ;;
        latest) echo 3.10-3.13 ;;
    esac
}
# The lines TF= unset may choose, in order: the graded one, else the newest.
DEFAULT_LINES='2.15 latest'

say() { echo "$*" >&2; }

# Print the X.Y version of interpreter $1 if it runs and can make a venv
# (Debian and Ubuntu leave ensurepip out until python3-venv is installed).
version_of() {
    "$1" -c 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])' \
        2>/dev/null </dev/null
}

# Print every interpreter that could be Python $1, most likely first.
candidates() {
    local version=$1 name folder
    for name in "python$version" python3 python; do
        command -v "$name" 2>/dev/null
    done
    folder=${PYENV_ROOT:-$HOME/.pyenv}/versions
    ls -d "$folder/$version".* 2>/dev/null | sort -V -r |
        sed "s|\$|/bin/python$version|"
    folder=${UV_PYTHON_INSTALL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/uv/python}
    ls -d "$folder/cpython-$version".* 2>/dev/null | sort -V -r |
        sed "s|\$|/bin/python$version|"
}

# Print the path of a working Python $1, or nothing.
find_python() {
    local candidate
    while read -r candidate; do
        if [ -n "$candidate" ] && [ "$(version_of "$candidate")" = "$1" ]; then
            echo "$candidate"
            return
        fi
    done < <(candidates "$1")
}

# Print "LINE INTERPRETER" for the first working Python of line $1.
serve() {
    local version found
    for version in $(line_pythons "$1"); do
        found=$(find_python "$version")
        if [ -n "$found" ]; then
            echo "$1 $found"
            return
        fi
    done
}

# Every Python 3.9-3.14 found here, as "3.12 (/usr/bin/python3.12)".
found_pythons() {
    local version found list=''
    for version in 3.9 3.10 3.11 3.12 3.13 3.14; do
        found=$(find_python "$version")
        [ -n "$found" ] && list="$list, $version ($found)"
    done
    echo "${list#, }"
}

# The lines some interpreter here can serve, as "TF=latest (Python 3.12)".
servable_lines() {
    local line list='' choice
    for line in 2.15 2.16 latest; do
        choice=$(serve "$line")
        [ -n "$choice" ] && list="$list, TF=$line (Python $(version_of "${choice#* }"))"
    done
    echo "${list#, }"
}

how_to_get() {
    local servable
    servable=$(servable_lines)
    say "The lines need: TF=2.15 (graded) Python $(line_range 2.15)," \
        "TF=2.16 Python $(line_range 2.16), TF=latest Python $(line_range latest)."
    say "Found here: $(found_pythons | sed 's/^$/none/')."
    say "Get one with pyenv (pyenv install $1), uv (uv python install $1)" \
        "or your system's packages (python$1 and python$1-venv), then run" \
        "make again; or name one with PYTHON=/path/to/python$1."
    [ -z "$servable" ] || say "This machine can serve: $servable."
}

refuse() {
    say "$1"
    how_to_get "$2"
    exit 1
}

case $tf in
    ''|2.15|2.16|latest) ;;
    *) say "TF must be 2.15, 2.16 or latest (or unset), not '$tf'."; exit 1 ;;
esac

venv_version() {
    sed -n 's/^version\(_info\)\{0,1\} *= *\([0-9]*\.[0-9]*\).*/\2/p' \
        ".venv-tf$1/pyvenv.cfg" 2>/dev/null | head -n 1
}

# Reuse an environment that exists, unless PYTHON= asks for another line.
reuse() {
    if [ -x ".venv-tf$1/bin/python" ]; then
        [ -z "$python" ] || say "PYTHON=$python is for a new environment;" \
            "using .venv-tf$1, which exists (make clean to rebuild it)."
        say "TF=$1, $(line_name "$1"), in its existing environment" \
            ".venv-tf$1 (Python $(venv_version "$1")); make clean to choose again."
        echo "$1 $PWD/.venv-tf$1/bin/python"
        exit 0
    fi
}

supports() {  # does line $1 have wheels for Python $2?
    case " $(line_pythons "$1") " in *" $2 "*) return 0 ;; esac
    return 1
}

if [ -n "$python" ]; then
    version=$(version_of "$python")
    [ -n "$version" ] || refuse "PYTHON=$python does not run, or has no venv module." 3.9
    if [ -z "$tf" ]; then
        for line in $DEFAULT_LINES 2.16; do
            if supports "$line" "$version"; then tf=$line; break; fi
        done
        [ -n "$tf" ] || refuse "PYTHON=$python is Python $version, which no line supports." 3.9
    fi
    reuse "$tf"
    supports "$tf" "$version" || refuse \
        "TF=$tf needs Python $(line_range "$tf"), but PYTHON=$python is Python $version." \
        "$(line_pythons "$tf" | cut -d' ' -f1)"
    say "TF=$tf, $(line_name "$tf"), with PYTHON=$python (Python $version)."
    echo "$tf $python"
    exit 0
fi

if [ -n "$tf" ]; then
    reuse "$tf"
    choice=$(serve "$tf")
    [ -n "$choice" ] || refuse \
        "TF=$tf needs Python $(line_range "$tf"), and none of those was found." \
        "$(line_pythons "$tf" | cut -d' ' -f1)"
    set -- $choice
    say "TF=$tf, $(line_name "$tf"), with Python $(version_of "$2") ($2)."
    echo "$choice"
    exit 0
fi

for line in $DEFAULT_LINES; do
    [ -x ".venv-tf$line/bin/python" ] && reuse "$line"
done
choice=$(serve 2.15)
if [ -n "$choice" ]; then
    set -- $choice
    say "TF=2.15, the graded line, with Python $(version_of "$2") ($2)."
    echo "$choice"
    exit 0
fi
choice=$(serve latest)
if [ -n "$choice" ]; then
    set -- $choice
    say "No Python 3.9-3.11 here, so not the graded TF 2.15 line: using" \
        "TF=latest with Python $(version_of "$2") ($2). For the graded line," \
        "install Python 3.9 (pyenv install 3.9) and run make clean."
    echo "$choice"
    exit 0
fi
refuse "No Python that any TensorFlow line supports was found, so no environment can be made." 3.13
