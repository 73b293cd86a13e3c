#!/usr/bin/env bash
# Print the path of a working CPython 3.12+ (3.13 preferred), or nothing.
# The pyenv shims exist even when their version is not selected, so each candidate is run once.
candidates=(python3.13 python3.12 python3)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  candidates+=("$root"/versions/3.13.*/bin/python3.13 "$root"/versions/3.12.*/bin/python3.12)
fi
candidates+=(/usr/local/bin/python3.13 /usr/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.12)
for candidate in "${candidates[@]}"; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
    echo "$path"
    exit 0
  fi
done
