#!/usr/bin/env bash
# Installs the Debian packages the product needs (and Chromium for the browser tests, wrk for
# the web benchmark) when any is missing.
# Runs apt-get only as root; otherwise prints the command to run.
set -euo pipefail
packages=(ffmpeg espeak-ng libespeak-ng1 fonts-dejavu-core chromium wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
