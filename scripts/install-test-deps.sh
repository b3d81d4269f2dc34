#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages, only where missing:
# Debian's Chromium (Playwright drives it), poppler-utils (pdftoppm), LibreOffice
# Writer (opens the generated .docx) and the axe-core npm package (accessibility).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v node >/dev/null || need+=(nodejs npm)
command -v msgfmt >/dev/null || need+=(gettext)  # the catalogue tests compile django.po
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=""; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm install --no-audit --no-fund --silent >/dev/null
fi
