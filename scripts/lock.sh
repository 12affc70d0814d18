# Sourced by scripts/update-lock and scripts/check-latest: how the project's lock is resolved.
# One lock for every supported Python and platform (uv's universal resolution), every extra of pyproject.toml,
# each file with its SHA-256 hashes; scripts/venv.sh installs from it with the hashes checked.

LOCK=requirements/lock.txt

# resolve_lock OUT [uv pip compile options…]: resolves pyproject.toml into OUT with the .venv's uv.
resolve_lock() {
  local out="$1"; shift
  "${UV:-.venv/bin/uv}" pip compile pyproject.toml --quiet --all-extras --universal --python-version 3.11 \
    --generate-hashes --no-header --output-file "$out" "$@"
  # uv's own header names a command with a temporary path; this one says how the file is made.
  local body; body="$(cat "$out")"
  {
    echo "# The project's lock: every dependency, direct and transitive, for every supported Python and platform,"
    echo "# with the SHA-256 hash of each file. scripts/venv.sh installs exactly these (hash-checked)."
    echo "# Made by scripts/update-lock (uv pip compile pyproject.toml --all-extras --universal --generate-hashes);"
    echo "# never edit by hand. pyproject.toml keeps the ranges for those who install the wheel themselves."
    echo "$body"
  } > "$out"
}

# show_moves OLD NEW: one line for each package whose version moved, appeared or went away; returns 1 when none.
show_moves() {
  .venv/bin/python scripts/lock_diff.py "$1" "$2"
}
