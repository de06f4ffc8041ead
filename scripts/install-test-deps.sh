#!/usr/bin/env bash
# Installs the Debian packages that the tests run for real (idempotent; run as root, or with sudo):
#   chromium          headless browser: render = "browser" targets, and PDF fixtures made at test time
#   poppler-utils     pdftotext, the PDF text extractor (docs/PDF-EXTRACTION.md)
#   fonts-wqy-zenhei  a CJK font, so Chromium renders and embeds Traditional Chinese
#   python3-aiosmtpd  an SMTP server for manual runs and mail tests
# Runs `apt-get update` only when a package is missing, and does nothing when all are present.
set -euo pipefail

packages=(chromium poppler-utils fonts-wqy-zenhei python3-aiosmtpd)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-test-deps: all present (${packages[*]})"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "install-test-deps: missing ${missing[*]}; run this script as root" >&2
        exit 1
    fi
fi

echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q "${missing[@]}"
