#!/usr/bin/env bash
# Installs what the portal needs to build, run and test, following
# ../shared/TOOLCHAIN.md. Idempotent: every step checks before it installs,
# so a second run takes seconds. Says what it does.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# 1. The pinned Rust toolchain with the wasm target (rust-toolchain.toml).
#    Automatic toolchain install is off on these machines, so ask for it.
if ! command -v rustup >/dev/null; then
  say "rustup is missing: install it from your distribution, then run this again" >&2
  exit 1
fi
say "Rust toolchain from rust-toolchain.toml"
rustup toolchain install >/dev/null
rustc --version

# 2. cargo-leptos, pinned (it needs the pinned toolchain, so it is built by it).
CARGO_LEPTOS_VERSION=0.3.11
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  # A build tool does not need fat LTO and one codegen unit: the overrides
  # save most of the 13 minutes its own release profile takes on 2 cores.
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (several minutes on 2 cores)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

# 3. wasm-bindgen-cli at exactly the version in Cargo.lock. Without --locked:
#    its lock file names a webpki-roots release the registry here does not serve.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# 4. trunk, pinned, for the static build (Trunk.toml, `make static`). Without
#    the update check of its default features; it needs one TLS stack
#    (rustls) to build at all.
TRUNK_VERSION=0.22.1
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (a few minutes on 2 cores)"
  # opt-level 1: a build tool that spends its time in rustc and wasm-opt
  # does not need rustc's slowest optimisations, and CI installs it each run.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install trunk --locked --version "$TRUNK_VERSION" --no-default-features --features rustls
fi

# 5. Debian packages: Chromium for the end-to-end tests, CJK fonts so Chinese
#    pages render in screenshots. (wasm-opt comes from npm, step 7: Debian's
#    binaryen 108 breaks the split release build; see the Makefile.)
missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "please run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# 6. Playwright and axe for the end-to-end tests (Debian's Chromium is used;
#    Playwright's own browser download cannot work here), and binaryen's
#    wasm-opt for the release build.
if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing the end-to-end test packages"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

# 7. wasm-opt from binaryen 132 (npm, as in end2end/package.json) for the
#    release builds: Debian's binaryen 108 writes the split wasm's second
#    exported table as table 0 and the pages never start. `make release` puts
#    end2end's first on the PATH; the link in ~/.cargo/bin does the same for
#    `trunk build --release` and `cargo leptos build --release` run by hand.
BINARYEN_VERSION=132
if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) into ~/.local/lib/binaryen-$BINARYEN_VERSION"
  npm install --prefix "$HOME/.local/lib/binaryen-$BINARYEN_VERSION" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION.0.0" >/dev/null
  mkdir -p "$HOME/.cargo/bin"
  ln -sf "$HOME/.local/lib/binaryen-$BINARYEN_VERSION/node_modules/.bin/wasm-opt" "$HOME/.cargo/bin/wasm-opt"
fi

# 8. Locust, the load generator of `make load`, pinned, in a virtual
#    environment of the checkout (.venv, ignored by git).
LOCUST_VERSION=2.47.0
if [ "$(.venv/bin/locust --version 2>/dev/null | awk '{print $2}')" != "$LOCUST_VERSION" ]; then
  say "installing Locust $LOCUST_VERSION into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "locust==$LOCUST_VERSION"
fi

# 9. Schemathesis, the API fuzzer of `make fuzz`, pinned, in its own
#    virtual environment (.venv-fuzz: its dependencies and Locust's differ).
SCHEMATHESIS_VERSION=4.32.5
if [ "$(.venv-fuzz/bin/st --version 2>/dev/null | awk '{print $3}')" != "$SCHEMATHESIS_VERSION" ]; then
  say "installing Schemathesis $SCHEMATHESIS_VERSION into .venv-fuzz"
  python3 -m venv .venv-fuzz
  .venv-fuzz/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

say "ready"
