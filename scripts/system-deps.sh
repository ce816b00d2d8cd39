#!/usr/bin/env bash
# Install the system packages the toolkit needs, or say exactly what to install.
#   fonts-noto-cjk       Chinese fonts for charts, HTML and PDF (no tofu boxes)
#   libharfbuzz-subset0  font subsetting for WeasyPrint's PDF output
#   poppler-utils        pdftotext/pdftoppm, used by the tests to read PDFs
# Chromium is only needed for the browser tests: set WITH_BROWSER=1 to install it.
# LibreOffice Writer (headless) opens the Word output in the tests: set WITH_OFFICE=1 to install it.
set -euo pipefail
pkgs=(fonts-noto-cjk libharfbuzz-subset0 poppler-utils)
[ "${WITH_BROWSER:-0}" = 1 ] && pkgs+=(chromium)
[ "${WITH_OFFICE:-0}" = 1 ] && pkgs+=(libreoffice-writer-nogui fonts-liberation)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "fundreport: please install these system packages with your package manager: ${missing[*]}" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "fundreport: cannot install system packages without root. Please run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "fundreport: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
