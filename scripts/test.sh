#!/usr/bin/env bash
# The whole suite, as `make test` runs it: lint, types, the import contract, the tests on SQLite,
# the same tests on a throwaway PostgreSQL server, then the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PYTHONDONTWRITEBYTECODE=1

step() { printf '\n== %s\n' "$*"; }

step "ruff"
$BIN/ruff check .
$BIN/ruff format --check .

step "mypy"
# The django-stubs plugin loads the settings; DEBUG=1 lets them load without secrets.
DEBUG=1 $BIN/mypy holdspace tests bench

step "import contract (holdspace.core stays free of Django)"
$BIN/lint-imports

step "deploy check with production settings"
DEBUG=0 SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
  HOLDSPACE_ENCRYPTION_KEYS="$($BIN/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
  HOLDSPACE_HMAC_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
  ALLOWED_HOSTS=holdspace.example EMAIL_HOST=smtp.holdspace.example \
  DATABASE_URL=sqlite:////tmp/holdspace-deploy-check.sqlite3 \
  $BIN/python manage.py check --deploy --fail-level WARNING

# The two database runs go side by side (each pytest uses one core); their output follows.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
step "tests on SQLite and on PostgreSQL, side by side (output below when both end)"
$BIN/python -m pytest -m "not browser" >"$logs/sqlite" 2>&1 &
sqlite_run=$!
scripts/with-postgres.sh $BIN/python -m pytest -m "not browser" >"$logs/postgres" 2>&1 &
postgres_run=$!
failed=0
wait $sqlite_run || failed=1
step "tests on SQLite"
cat "$logs/sqlite"
wait $postgres_run || failed=1
step "tests on PostgreSQL"
cat "$logs/postgres"
[ "$failed" = 0 ] || { echo "The test suite failed (see above)." >&2; exit 1; }

step "browser tests (headless Chromium)"
scripts/ensure-chromium.sh
$BIN/python -m pytest -m browser
