#!/usr/bin/env bash
# Installs the pinned Claude Code CLI into .cache/claude-code/<version>/ (git-ignored) for the
# end-to-end tests, and links it as .cache/claude-code/bin/claude. Idempotent; prints the path.
set -euo pipefail

# The version the end-to-end tests and the fixtures in backend/src/stream/fixtures/real/ were made
# with. Bump it deliberately: then re-capture the fixtures (npm run --silent capture-real-fixtures).
VERSION="${CLAUDE_CODE_VERSION:-2.1.330}"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache/claude-code"
PREFIX="$CACHE/$VERSION"
PKG="$PREFIX/node_modules/@anthropic-ai/claude-code"
LINK="$CACHE/bin/claude"

log() { echo "install-claude: $*" >&2; }

# The npm package's bin/claude.exe is a placeholder until its postinstall copies the native binary
# (from the per-platform optional dependency) over it; npm 11 may gate that script, so when the
# placeholder does not run we do the postinstall's job ourselves.
works() { [ -x "$1" ] && "$1" --version 2>/dev/null | grep -q "^$VERSION "; }

native_binary() {
  local dir
  for dir in "$PREFIX"/node_modules/@anthropic-ai/claude-code-*/; do
    [ -x "${dir}claude" ] && works "${dir}claude" && { echo "${dir}claude"; return 0; }
  done
  return 1
}

if ! works "$PKG/bin/claude.exe"; then
  if [ ! -d "$PKG" ]; then
    log "installing @anthropic-ai/claude-code@$VERSION into $PREFIX"
    mkdir -p "$PREFIX"
    # --foreground-scripts shows the postinstall's own message if it fails; engine warnings
    # (the wrapper asks for node 22) do not matter: the native binary does not use node.
    npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --no-package-lock \
      --foreground-scripts --loglevel=error "@anthropic-ai/claude-code@$VERSION" >&2
  fi
  if ! works "$PKG/bin/claude.exe"; then
    log "the postinstall did not run (npm gated it?): running it now"
    (cd "$PKG" && node install.cjs >&2) || true
  fi
fi

if works "$PKG/bin/claude.exe"; then
  BIN="$PKG/bin/claude.exe"
elif BIN="$(native_binary)"; then
  log "using the platform package's binary directly"
else
  log "no working claude binary for this platform in $PREFIX (see the messages above)"
  exit 1
fi

mkdir -p "$CACHE/bin"
# Relative, so the link survives moving the checkout.
ln -sfn "..${BIN#"$CACHE"}" "$LINK"
echo "$LINK"
