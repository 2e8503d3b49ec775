#!/bin/sh
# Installs the Debian packages the project needs, or says exactly which ones to install when not root.
#   scripts/system-deps.sh run   — what the platform needs
#   scripts/system-deps.sh test  — plus what the tests need (Chromium, poppler-utils, PostgreSQL)
set -eu
RUN_PKGS="libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext"
TEST_PKGS="chromium poppler-utils zbar-tools postgresql nginx wrk"
PKGS=$RUN_PKGS
[ "${1:-run}" = "test" ] && PKGS="$RUN_PKGS $TEST_PKGS"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "Thiếu gói hệ thống / missing Debian packages:$missing" >&2
  echo "Hãy chạy / please run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi
echo "Cài gói hệ thống:$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
