# Sourced by scripts/run and scripts/test: finds Python 3.12+, makes .venv, installs.
# Usage: source scripts/bootstrap.sh [extras]   (extras: "dev" for the test tools)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

_new_enough() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidate
  if [ -n "${PYTHON:-}" ]; then
    if _new_enough "$PYTHON"; then echo "$PYTHON"; return 0; fi
    echo "PYTHON=$PYTHON is not a working Python 3.12 or newer." >&2
    return 1
  fi
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && _new_enough "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 \
                   /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    if [ -x "$candidate" ] && _new_enough "$candidate"; then echo "$candidate"; return 0; fi
  done
  cat >&2 <<'MSG'
Closer needs Python 3.12 or newer and none was found.
Install one (for example `apt-get install python3.12 python3.12-venv`, `brew install python@3.12`,
or `pyenv install 3.12`), or point to it with PYTHON=/path/to/python3.12.
MSG
  return 1
}

ensure_venv() {
  local extras="${1:-}" spec="." stamp want have
  if [ ! -x .venv/bin/python ] || ! _new_enough .venv/bin/python; then
    local py
    py="$(find_python)"
    echo "Creating .venv with $py"
    rm -rf .venv
    "$py" -m venv .venv
  fi
  [ -n "$extras" ] && spec=".[$extras]"
  stamp=.venv/.installed
  want="$(cat pyproject.toml | sha256sum | cut -c1-16)-$extras"
  have="$(cat "$stamp" 2>/dev/null || true)"
  # A venv with the test tools serves scripts/run as it is (no extras wanted).
  if [ "$have" != "$want" ] && { [ -n "$extras" ] || [ "${have%-*}-" != "$want" ]; }; then
    echo "Installing dependencies into .venv"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e "$spec"
    echo "$want" >"$stamp"
  fi
}

# The Nu HTML Checker (npm's vnu-jar, run with Java) for tests/core/test_valid_html.py,
# installed once into var/tools. Without npm the test skips locally, saying what to install.
VNU_VERSION=26.9.27
ensure_vnu() {
  local package=var/tools/node_modules/vnu-jar/package.json
  if [ -f "$package" ] && grep -q "\"version\": \"$VNU_VERSION\"" "$package"; then return 0; fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: the HTML check will not run (apt-get install -y npm openjdk-17-jre-headless)" >&2
    return 0
  fi
  echo "Installing the Nu HTML Checker (vnu-jar $VNU_VERSION) into var/tools"
  mkdir -p var/tools
  npm install --prefix var/tools --no-audit --no-fund --no-save --loglevel=error \
    "vnu-jar@$VNU_VERSION" >/dev/null
}

# Debian packages whose command (the package's name) is missing, installed with apt-get when
# run as root; otherwise says what to install and fails. PgBouncer and HAProxy live in
# /usr/sbin, often off a user's PATH.
ensure_debian_packages() {
  local missing=() name
  for name in "$@"; do
    command -v "$name" >/dev/null 2>&1 || [ -x "/usr/sbin/$name" ] || missing+=("$name")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing ${missing[*]} (Debian packages)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
  else
    echo "missing: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
}
