#!/usr/bin/env bash
# Best effort: make a headless Chromium available at /usr/bin/chromium for the dashboard's
# browser test (Debian's `chromium` package). Installs it only when missing and when we are
# root with apt-get; never fails the build (the test skips, saying why, if Chromium is absent).
set -u
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM missing and cannot install it (needs root and apt-get);" \
         "the browser test will be skipped. Install Debian's 'chromium' package to run it." >&2
    exit 0
fi
echo "ensure_chromium: installing Debian's chromium package (once)..." >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 &&
   apt-get install -y -qq chromium >/dev/null 2>&1; then
    echo "ensure_chromium: installed $("$CHROMIUM" --version 2>/dev/null)" >&2
else
    echo "ensure_chromium: apt-get install chromium failed; the browser test will be skipped." >&2
fi
exit 0
