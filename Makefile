# The two commands of the README:
#   make run   set up, build, migrate, seed the demo data, serve on http://127.0.0.1:3000
#   make test  set up, check formatting and lints, run every test (Rust and Playwright)

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
PORTAL := target/debug/portal

.PHONY: run test bootstrap build release static lint rust-test e2e e2e-release e2e-static fuzz-release load load-short fuzz fuzz-short load-pages load-filing bench bench-sweep bench-data bench-collect bench-export

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	cargo leptos build --split

# The production build: target/release/portal and target/site (wasm with
# opt-level z). See the README's "Production" section. wasm-opt is binaryen
# 132 from npm (end2end/package.json): Debian's 108 writes both exported
# tables as table 0, and the split build's page then fails to start
# ("WebAssembly.Table.set(): Argument 1 is invalid for table").
release: bootstrap
	PATH="$(CURDIR)/end2end/node_modules/.bin:$$PATH" cargo leptos build --release --split
	scripts/wasm-budget.sh

run: build
	$(PORTAL) migrate
	$(PORTAL) seed-demo
	$(PORTAL) serve

lint: bootstrap
	cargo fmt --all --check
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown --features hydrate -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown --features csr -- -D warnings
	# The domain rules run in the browser too.
	cargo check -p domain --target wasm32-unknown-unknown

# Rust tests run on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is
# set, or when one answers at 127.0.0.1:5432 (user postgres, database test).
rust-test: bootstrap
	@if [ -z "$$TEST_DATABASE_URL" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
		export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test; \
		echo "PostgreSQL answers: the integration tests run on it too"; \
	fi; \
	# frontend is left out: building it beside server would switch on app's
	# `hydrate` and `ssr` features together (cargo unifies features).
	cargo test --workspace --exclude frontend

e2e: build
	cd end2end && npx playwright test

# The same journeys against the release build (run `make release` first): the
# split wasm is optimised by wasm-opt only there, and a wasm-opt bug once left
# every release page without hydration while the debug build passed.
e2e-release:
	cd end2end && PORTAL_BIN="$(CURDIR)/target/release/portal" npx playwright test

# The static build (Trunk.toml): the same app rendered in the browser, in
# target/static, for static hosting against a portal that allows its origin
# (README, "The static build").
static: bootstrap
	trunk build --release

# The holder's journey through the static build, served by a static file
# server on another origin than the portal it calls (the release portal:
# run `make release` first).
e2e-static: static
	cd end2end && PORTAL_BIN="$(CURDIR)/target/release/portal" npx playwright test --config static.config.ts

# Schemathesis against the release build (`make test`).
fuzz-release:
	PORTAL_BIN=target/release/portal FUZZ_EXAMPLES=8 scripts/fuzz.sh

# The release build is part of the tests, so it cannot break unnoticed; the
# Playwright journeys, the fuzzing and the short load run (32 clients, fails
# on any 5xx) all drive it, as production runs it. The debug build's
# journeys (`make e2e`) are for working on the pages; CI's time goes to the
# release build instead. Each step says how long it took, so a slow CI run
# says where its time went.
TEST_STEPS := lint rust-test release e2e-release fuzz-release static e2e-static load-short
test:
	@for step in $(TEST_STEPS); do \
		began=$$(date +%s); \
		$(MAKE) --no-print-directory $$step || exit 1; \
		echo "make test: $$step took $$(( $$(date +%s) - began )) s"; \
	done

# Mixed traffic from 32 clients for 60 s against a release build: one
# instance on SQLite, then two instances on one PostgreSQL when it answers.
load: release
	scripts/load.sh 60 32
	$(MAKE) --no-print-directory load-pages
	$(MAKE) --no-print-directory load-filing

# Pages and the API from outside, 32 connections, beside a bare Leptos SSR
# page built and measured in the same run (scripts/load-pages.sh).
load-pages: release
	cargo build --profile bench -p server --example bare_page --example load_pages
	scripts/load-pages.sh 10 32

# Filing under load: 1 client, then 2,000 filings from 16 (scripts/load-filing.sh).
load-filing: release
	cargo build --release -p server --example load_filing
	scripts/load-filing.sh 2000 16

load-short:
	scripts/load.sh 15 32

# Schemathesis over /api/v1/openapi.json as anonymous, holder, officer and
# administrator: no 5xx, only documented statuses, bodies as documented.
fuzz: build
	FUZZ_EXAMPLES=40 scripts/fuzz.sh

fuzz-short: build
	FUZZ_EXAMPLES=8 scripts/fuzz.sh

# Benchmarks print figures; they are not tests.
bench: bench-collect
	cargo run --profile bench -p domain --example bench_deadlines
	$(MAKE) bench-sweep
	cargo run --profile bench -p server --example bench_data
	$(MAKE) bench-export

# Collection that obeys consent: 1,000 holders, 32 concurrent collectors of
# location points, beside GET /healthz; SQLite, then PostgreSQL when it
# answers (a fresh database portal_bench_collect).
bench-collect:
	cargo run --profile bench -p server --example bench_collect
	@if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
		psql -q -h 127.0.0.1 -U postgres -d test -c 'DROP DATABASE IF EXISTS portal_bench_collect' -c 'CREATE DATABASE portal_bench_collect' && \
		BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_collect cargo run --profile bench -p server --example bench_collect; \
	fi

# The deadline sweeper at 1,000,000 open requests: a catch-up pass (100,000
# reminders, 1,000 escalations), a steady pass right after it, two
# instances sharing a pass; SQLite, then PostgreSQL when it answers.
bench-sweep:
	cargo run --profile bench -p server --example bench_requests
	@if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
		psql -q -h 127.0.0.1 -U postgres -d test -c 'DROP DATABASE IF EXISTS portal_bench_requests' -c 'CREATE DATABASE portal_bench_requests' && \
		BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_requests cargo run --profile bench -p server --example bench_requests; \
	fi

# Only the personal-data benchmark: seed-demo --scale 1000, then p50/p99 of
# GET /api/v1/me/data/{category}.
bench-data:
	cargo run --profile bench -p server --example bench_data

# The export of a large account (100,000 messages, 20,000 posts, 500,000
# location points, 10 years of steps): build time, archive size, peak memory
# building and downloading; SQLite, then PostgreSQL when it answers.
bench-export:
	cargo run --profile bench -p server --example bench_export
	@if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
		psql -q -h 127.0.0.1 -U postgres -d test -c 'DROP DATABASE IF EXISTS portal_bench_export' -c 'CREATE DATABASE portal_bench_export' && \
		BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_export cargo run --profile bench -p server --example bench_export; \
	fi
