#!/usr/bin/env bash
# Creates a Python virtual environment for test and benchmark tools and installs a requirements file
# into it, skipping pip when the requirements have not changed since the last install.
set -euo pipefail
venv=$1; requirements=$2
[[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
stamp="$venv/.installed-$(basename "$(dirname "$requirements")")-$(sha256sum "$requirements" | cut -c1-16)"
[[ -f "$stamp" ]] && exit 0
"$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
touch "$stamp"
