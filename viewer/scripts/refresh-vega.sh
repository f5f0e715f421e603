#!/usr/bin/env bash
# Refreshes the vendored Vega bundles the viewer's page loads (no CDN at run time): fetches the
# pinned vega, vega-lite and vega-embed packages with `npm pack` and copies each one's browser
# build and licence into src/main/resources/web/vendor/. Needs npm and the npm registry; the
# Maven build needs neither, since the copied files are committed.
set -euo pipefail

VEGA_VERSION="${VEGA_VERSION:-6.4.0}"
VEGA_LITE_VERSION="${VEGA_LITE_VERSION:-6.5.0}"
VEGA_EMBED_VERSION="${VEGA_EMBED_VERSION:-7.3.0}"

here="$(cd "$(dirname "$0")" && pwd)"
vendor="$here/../src/main/resources/web/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v npm >/dev/null || { echo "refresh-vega: npm is not on PATH" >&2; exit 1; }

fetch() {
  local name="$1" version="$2" tarball
  tarball="$(cd "$work" && npm pack --silent "$name@$version" | tail -n 1)"
  mkdir -p "$work/$name"
  tar -xzf "$work/$tarball" -C "$work/$name"
  local pkg="$work/$name/package"
  [[ -f "$pkg/build/$name.min.js" ]] || { echo "refresh-vega: $name@$version has no build/$name.min.js" >&2; exit 1; }
  cp "$pkg/build/$name.min.js" "$vendor/$name.min.js"
  cp "$pkg/LICENSE" "$vendor/$name.LICENSE"
  echo "$name $version $(sha256sum "$vendor/$name.min.js" | cut -d' ' -f1)" >> "$vendor/VERSIONS.new"
}

# The page's Content-Security-Policy forbids eval: the page embeds with `ast: true`, and vega-embed
# evaluates expressions with the vega-interpreter it bundles. Refuse a vega-embed without one.
interpreter() {
  local range
  range="$(sed -n 's/^ *"vega-interpreter": *"\([^"]*\)".*/\1/p' "$work/vega-embed/package/package.json")"
  [[ -n "$range" ]] || { echo "refresh-vega: vega-embed bundles no vega-interpreter: the page needs one" >&2; exit 1; }
  echo "vega-interpreter $range bundled-in-vega-embed.min.js" >> "$vendor/VERSIONS.new"
}

mkdir -p "$vendor"
rm -f "$vendor/VERSIONS.new"
fetch vega "$VEGA_VERSION"
fetch vega-lite "$VEGA_LITE_VERSION"
fetch vega-embed "$VEGA_EMBED_VERSION"
interpreter
mv "$vendor/VERSIONS.new" "$vendor/VERSIONS"
echo "refresh-vega: vendored into $vendor"
cat "$vendor/VERSIONS"
