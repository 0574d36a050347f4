#!/usr/bin/env bash
# Build a real nixfmt (RFC 166 style) from the pinned source in shared/upstream/nixfmt.tar.gz with
# Debian 12's GHC 9.0, offline, and print the binary's path. The binary is cached under
# $FLEETYARD_CACHE (default /var/cache/fleetyard) keyed by the pinned commit and the patch, so a
# machine that keeps it builds once. Used by .ci/run; the tests find it through $NIXFMT.
set -euo pipefail
shared=${FLEETYARD_SHARED:-$(cd "$(dirname "$0")/../../shared" && pwd)}
commit=$(awk -F'\t' '$1 == "nixfmt" { print $3 }' "$shared/upstream/PINS.tsv")
patch="$shared/tools/nixfmt/ghc-9.0.patch"
# The key hashes the patch's and this script's contents (not their paths, which differ between a
# developer's checkout and CI's clone), so every checkout on a machine shares one build.
key="$commit-$(cat "$patch" "$0" | sha256sum | cut -c1-12)"
cache=${FLEETYARD_CACHE:-/var/cache/fleetyard}
bin="$cache/nixfmt-$key"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

if ! command -v ghc >/dev/null || ! command -v cabal >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q ghc cabal-install libghc-cmdargs-dev \
    libghc-file-embed-dev libghc-safe-exceptions-dev libghc-megaparsec-dev \
    libghc-parser-combinators-dev libghc-scientific-dev libghc-pretty-simple-dev >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$shared/upstream/nixfmt.tar.gz" -C "$work"
cd "$work/nixfmt"
patch -p1 -s < "$patch"
# Further GHC 9.0 fixes beyond the shared patch: local bindings whose inferred type carries an
# equality constraint need TypeFamilies (as in Parser/Float.hs).
for f in src/Nixfmt/Pretty.hs; do
  grep -q 'LANGUAGE TypeFamilies' "$f" || sed -i '1i {-# LANGUAGE TypeFamilies #-}' "$f"
done
# cabal 3.4 reaches for the Hackage index even with --offline unless no repository is active;
# a private CABAL_DIR keeps the user's ~/.cabal untouched.
export CABAL_DIR="$work/cabal"
cabal --version >/dev/null
cabal user-config init -f >/dev/null 2>&1 || true
sed -i 's/^repository hackage.haskell.org/-- &/; s/^  url: http:\/\/hackage.haskell.org\//-- &/' "$CABAL_DIR/config"
printf 'packages: .\nactive-repositories: :none\npackage nixfmt\n  flags: -werror\n' > cabal.project
cabal build --offline -v1 exe:nixfmt >&2
built=$(cabal list-bin --offline exe:nixfmt)
mkdir -p "$cache"
install -m 0755 "$built" "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$bin"
