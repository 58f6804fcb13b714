#!/usr/bin/env bash
# Installs the system packages the tests use, when they are missing and apt is available:
# Debian's chromium (Playwright drives it by path; browsers cannot be downloaded here),
# Noto fonts for Vietnamese, poppler-utils (PDF to PNG), gettext, and the PostgreSQL server.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/truetype/noto ] || need+=(fonts-noto-core)
# Liberation Serif 2 (metric-compatible with Times New Roman, with Vietnamese letters) for PDFs.
dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  echo "NOTE: cannot install ${need[*]} (no apt-get or not root); the tests that need them will be skipped." >&2
  exit 0
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another `make` on the machine may be installing at the same moment: wait for its lock, not fail.
lock=(-o DPkg::Lock::Timeout=900)
apt-get "${lock[@]}" update -qq >/dev/null && apt-get "${lock[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "NOTE: apt-get could not install ${need[*]}; the tests that need them will be skipped." >&2
exit 0
