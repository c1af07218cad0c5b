#!/usr/bin/env bash
# Re-vendors the browser libraries the offline exports inline, straight from the npm registry
# (`npm pack`: the published tarball, no install scripts, no build step).
#
#   bash src/parley/publish/vendor/refresh.sh                    # versions below
#   PLOTLY_JS=4.1.1 REVEAL_JS=4.6.1 bash src/parley/publish/vendor/refresh.sh
#
# PLOTLY_JS must equal the plotly.js that plotly.py bundles
# (`python -c "import plotly.offline as o; print(o.get_plotlyjs_version())"`): the export falls
# back to plotly.py's full bundle when they differ. reveal.js stays on 4.x, the layout
# nbconvert's reveal template expects.
set -euo pipefail
REVEAL_JS="${REVEAL_JS:-4.6.1}"
PLOTLY_JS="${PLOTLY_JS:-4.1.1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
npm pack --silent "reveal.js@${REVEAL_JS}" "plotly.js-basic-dist-min@${PLOTLY_JS}" >/dev/null
mkdir reveal plotly
tar xzf "reveal.js-${REVEAL_JS}.tgz" -C reveal
tar xzf "plotly.js-basic-dist-min-${PLOTLY_JS}.tgz" -C plotly
sha256sum ./*.tgz

copy() {  # copy SRC (inside an unpacked tarball) to DEST (inside vendor/)
  mkdir -p "$here/$(dirname "$2")"
  cp "$1" "$here/$2"
}
r=reveal/package
copy "$r/LICENSE" reveal.js/LICENSE
copy "$r/dist/reveal.js" reveal.js/dist/reveal.js
copy "$r/dist/reveal.css" reveal.js/dist/reveal.css
copy "$r/dist/theme/white.css" reveal.js/dist/theme/white.css
copy "$r/plugin/notes/notes.js" reveal.js/plugin/notes/notes.js
p=plotly/package
copy "$p/LICENSE" plotly.js-basic-dist-min/LICENSE
copy "$p/plotly-basic.min.js" plotly.js-basic-dist-min/plotly-basic.min.js
echo "vendored reveal.js@${REVEAL_JS} and plotly.js-basic-dist-min@${PLOTLY_JS} into $here"
echo "now update the versions and checksums in $here/README.md"
