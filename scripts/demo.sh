#!/usr/bin/env bash
# make demo: migrate, seed, then serve with a background-task worker beside the server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
$BIN/python manage.py migrate --noinput
$BIN/python manage.py seed_demo
$BIN/python manage.py db_worker --interval 2 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
$BIN/python manage.py runserver 127.0.0.1:8000
