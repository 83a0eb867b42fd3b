#!/usr/bin/env bash
# Smoke test of the .deb: unpack it into a temporary root (no installation, no root
# needed) and, from there and away from any checkout, render the window, train and
# fine-tune through the bundle's own training process, and check the desktop entry.
# Usage: bash tests/smoke/deb.sh dist/digit-pad_VERSION_ARCH.deb
set -euo pipefail
deb=$(realpath "$1")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
app="$root/opt/digit-pad/digit-pad"
cd "$root"
QT_QPA_PLATFORM=offscreen "$app" --screenshot "$root/shot.png"
test -s "$root/shot.png"
"$app" --self-check
"$app" --version
desktop-file-validate "$root/usr/share/applications/io.github.digitpad.DigitPad.desktop"
grep -qx "Exec=/opt/digit-pad/digit-pad" "$root/usr/share/applications/io.github.digitpad.DigitPad.desktop"
echo "deb smoke test passed: $(du -sh "$deb" | cut -f1) package, $(du -sh "$root/opt/digit-pad" | cut -f1) installed"
