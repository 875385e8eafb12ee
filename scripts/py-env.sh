#!/usr/bin/env bash
# The project's Python environment: a virtualenv under target/ with the pinned tools of
# crates/iki-py/requirements-dev.txt (maturin, Dask distributed, pyarrow, pytest, mypy) and the
# `iki` wheel built from crates/iki-py (release) and installed into it.
#
#   scripts/py-env.sh            # prints the virtualenv's directory on stdout
#
# IKI_VENV overrides the directory (default target/py-venv); PYTHON the interpreter that
# creates it (default python3, 3.10 or newer). Packages come from PyPI; pip runs only when
# the requirements changed. Fails when anything cannot be installed or built.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${IKI_VENV:-$PWD/target/py-venv}"
python="${PYTHON:-python3}"
requirements=crates/iki-py/requirements-dev.txt

if [ ! -x "$venv/bin/python" ]; then
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
        || { echo "py-env.sh: $python is older than Python 3.10" >&2; exit 2; }
    "$python" -m venv "$venv" >&2
fi
if ! cmp -s "$requirements" "$venv/.requirements-dev.txt"; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$venv/.requirements-dev.txt"
fi

# One wheel in a fresh directory, so the install below cannot pick up an old one.
wheels=target/py-wheel
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet --manifest-path crates/iki-py/Cargo.toml \
    --interpreter "$venv/bin/python" --out "$wheels" >&2
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall \
    "$wheels"/iki-*.whl >&2
echo "$venv"
