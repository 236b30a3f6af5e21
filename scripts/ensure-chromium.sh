#!/usr/bin/env bash
# The status-page test drives headless Chromium (playwright-core, no browser of its own): make sure
# Debian's chromium is at /usr/bin/chromium. As root it is installed with apt-get; otherwise we stop
# and say what to install. Called by `npm test` (pretest), so the README's two commands and .ci/run
# still do all the set-up on a fresh machine.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and this is not root." >&2
  echo "ensure-chromium: install Debian's chromium package (sudo apt-get install -y chromium), then run npm test again." >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium package (once)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2; exit 1; }
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)" >&2
