#!/bin/sh
# Rebuild the JavaScript the one-file HTML export inlines, from the pinned packages here:
#   cd tools/vendor && npm ci && sh build.sh
# deck.gl's own UMD bundles are copied; plotly.js is bundled with only what the dashboard
# draws (scatter, bar, sankey: 1.3 MB instead of 4.8 MB), the way plotly.js's own
# esbuild-config.js builds its dist, keeping the licence comments at the end.
set -e
cd "$(dirname "$0")"
out=../../src/routes_dash/render/publish/assets/vendor
cp node_modules/@deck.gl/core/dist.min.js "$out/deck.gl-core.min.js"
cp node_modules/@deck.gl/layers/dist.min.js "$out/deck.gl-layers.min.js"
cp node_modules/@deck.gl/extensions/dist.min.js "$out/deck.gl-extensions.min.js"
cp node_modules/@deck.gl/json/dist.min.js "$out/deck.gl-json.min.js"
cp node_modules/@deck.gl/core/LICENSE "$out/LICENSE-deck.gl.txt"
cp node_modules/plotly.js/LICENSE "$out/LICENSE-plotly.js.txt"
npx --no-install esbuild plotly-custom.js --bundle --minify --format=iife --global-name=Plotly \
  --target=es2016 --define:global=window --define:define.amd=false \
  --alias:stream=stream-browserify --loader:.css=empty --legal-comments=eof \
  --outfile="$out/plotly-custom.min.js" --log-level=warning
ls -l "$out"
