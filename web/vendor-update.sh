#!/usr/bin/env bash
# web/vendor-update.sh -- refresh the browser builds of Vega, Vega-Lite and vega-embed that the
# web Guide serves from web/static/vendor/ (no CDN: the page works offline, and CI has no npm).
# Needs npm and network access; run it by hand, look at the diff, commit the result:
#
#   web/vendor-update.sh                 # the versions pinned below
#   web/vendor-update.sh 5.33.1 5.23.0 6.29.0   # vega, vega-lite, vega-embed
#
# Copies each package's build/<name>.min.js and its LICENSE (the npm package of vega has no
# LICENSE file: vega.LICENSE is the licence of github.com/vega/vega, kept as committed), and
# writes web/static/vendor/README.md with the versions and SHA-256 sums.
set -euo pipefail
VEGA=${1:-5.33.1}
VEGA_LITE=${2:-5.23.0}
VEGA_EMBED=${3:-6.29.0}
DEST=$(cd "$(dirname "$0")" && pwd -P)/static/vendor
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm pack --silent "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED" >/dev/null
for spec in "vega:$VEGA" "vega-lite:$VEGA_LITE" "vega-embed:$VEGA_EMBED"; do
    name=${spec%%:*} version=${spec#*:}
    mkdir "$name"
    tar xzf "$name-$version.tgz" -C "$name"
    cp "$name/package/build/$name.min.js" "$DEST/$name.min.js"
    if [ -f "$name/package/LICENSE" ]; then
        cp "$name/package/LICENSE" "$DEST/$name.LICENSE"
    elif [ ! -f "$DEST/$name.LICENSE" ]; then
        echo "vendor-update: $name $version has no LICENSE file; add $DEST/$name.LICENSE by hand" >&2
        exit 1
    fi
done

cd "$DEST"
{
    cat <<MD
# Vendored browser builds (web Guide)

The web Guide (\`web/\`, [docs/web.md](../../../docs/web.md)) renders \`dlpg.chart(format =>
'vega-lite')\` in the browser with these builds, served by the app itself from
\`/static/vendor/\`: no CDN and no npm at build or test time (CI has no network but the Debian
mirror). All three are BSD-3-Clause (University of Washington Interactive Data Lab); each
\`*.LICENSE\` is its package's licence. \`vega.min.js\` bundles the d3 modules Vega uses (ISC).

| file | package | version |
|---|---|---|
| \`vega.min.js\` | [vega](https://www.npmjs.com/package/vega) | $VEGA |
| \`vega-lite.min.js\` | [vega-lite](https://www.npmjs.com/package/vega-lite) | $VEGA_LITE |
| \`vega-embed.min.js\` | [vega-embed](https://www.npmjs.com/package/vega-embed) | $VEGA_EMBED |

Each is the package's \`build/<name>.min.js\`, byte for byte. The npm package of \`vega\` ships
no LICENSE file: \`vega.LICENSE\` is the one of github.com/vega/vega.

SHA-256:

\`\`\`
$(sha256sum vega.min.js vega-lite.min.js vega-embed.min.js vega.LICENSE vega-lite.LICENSE vega-embed.LICENSE)
\`\`\`

Refresh (needs npm and the network; then check the page with \`prove test/web/\` and commit):

\`\`\`sh
web/vendor-update.sh $VEGA $VEGA_LITE $VEGA_EMBED    # vega, vega-lite, vega-embed versions
\`\`\`

It runs \`npm pack vega@V vega-lite@V vega-embed@V\` in a temporary directory, copies each
package's \`build/<name>.min.js\` and \`LICENSE\` here, and rewrites this file.
MD
} > README.md
echo "vendor-update: vega $VEGA, vega-lite $VEGA_LITE, vega-embed $VEGA_EMBED in $DEST"
