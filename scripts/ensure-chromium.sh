#!/usr/bin/env bash
# The browser tests drive Debian's Chromium at /usr/bin/chromium (Playwright's own browser
# download cannot work offline). Install it when missing (needs root, as on CI).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium not found; installing Debian's chromium" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version
