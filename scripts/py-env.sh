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

# One wheel in a fresh directory of this virtualenv's, so the install cannot pick up an old one
# or another environment's. It is installed only when its content changed (the SBOM and the
# RECORD differ on every build), so runs sharing the virtualenv do not see it reinstalled.
wheels="$venv.wheel"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet --manifest-path crates/iki-py/Cargo.toml \
    --interpreter "$venv/bin/python" --out "$wheels" >&2
wheel=$(ls "$wheels"/iki-*.whl)
digest=$("$venv/bin/python" - "$wheel" <<'EOF'
import hashlib, sys, zipfile
digest = hashlib.sha256()
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in sorted(wheel.namelist()):
        if "/sboms/" not in name and not name.endswith("/RECORD"):
            digest.update(name.encode() + b"\0" + wheel.read(name))
print(digest.hexdigest())
EOF
)
if [ "$digest" != "$(cat "$venv/.iki-wheel" 2>/dev/null)" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall \
        "$wheel" >&2
    echo "$digest" >"$venv/.iki-wheel"
fi
echo "$venv"
