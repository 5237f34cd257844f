#!/usr/bin/env bash
# Render the generated documents to PDF and PNG to look at them as a school would (not run in CI).
# Needs: apt-get install libreoffice-writer libreoffice-calc fonts-noto-cjk poppler-utils
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/rendered}
rm -rf "$out" && mkdir -p "$out"
.venv/bin/skillcert checklist --answers examples/answers.toml --out "$out" > /dev/null
( cd "$out" && soffice --headless --convert-to pdf ./*.docx ./*.xlsx > /dev/null 2>&1 )
for pdf in "$out"/*.pdf; do pdftoppm -png -r 60 "$pdf" "${pdf%.pdf}"; done
ls "$out"
