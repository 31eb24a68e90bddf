# corescope: `make run` opens the window, `make test` runs every test.
# Both install what a fresh Debian machine lacks first (make deps).

SHELL := /bin/bash
GO ?= go
BIN := corescope
# Fyne logs an error for LANG=C; every target runs with a UTF-8 locale.
export LANG := C.UTF-8
export LC_ALL := C.UTF-8

# Debian packages: a C compiler and the X11/GL headers for Fyne's cgo driver;
# Xvfb, ImageMagick and xdotool for the real-window tests; CPython and psutil
# for the Python backend and the peer benchmarks; node_exporter and Prometheus
# for the cluster tests; htop for the peer benchmarks; the desktop-entry, AppStream, MIME and xdg tools the
# install test validates and opens files with.
DEB_PACKAGES := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth imagemagick xdotool \
	python3 python3-psutil prometheus-node-exporter prometheus \
	desktop-file-utils appstream shared-mime-info xdg-utils libglib2.0-bin htop
# Every package but main builds and tests without cgo. Tests run one package at
# a time (-p 1): several measure cores used, which other packages' tests would disturb.
PURE_PACKAGES := ./atomicfile/... ./levels/... ./internal/benchpeers/... ./cli/... ./probes/... ./runners/... ./profile/... ./heatmap/... ./report/... ./nodes/...

# The systems every package but the GL entry point (main) must build and vet
# for without cgo. app/ is left out on darwin only: Fyne's internal/widget asks
# macOS for its scroller behaviour through cgo, so no Fyne widget builds for
# darwin without it.
CROSS_GOOS := darwin windows
CROSS_SKIP_darwin := corescope corescope/app
CROSS_SKIP_windows := corescope

.PHONY: deps build run test crossbuild bench bench-peers clean

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(GO) build -o $(BIN) .

run: build
	./$(BIN)

test: build crossbuild
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) test -p 1 -count=1 $(PURE_PACKAGES)
	$(GO) test -count=1 -race ./app/...
	CORESCOPE_SMOKE=1 xvfb-run -a -s "-screen 0 1280x800x24" $(GO) test -count=1 -v -run 'TestWindowSmoke|TestWindowCost' .

# crossbuild fails when a package does not build or vet for a system in
# CROSS_GOOS, or when build constraints leave one without Go files there.
crossbuild: $(addprefix crossbuild-,$(CROSS_GOOS))

crossbuild-%:
	@echo "cross-build: GOOS=$* CGO_ENABLED=0"
	@set -e; pkgs=$$($(GO) list -e ./... | grep -vxF $(addprefix -e ,$(CROSS_SKIP_$*))); \
	export GOOS=$* CGO_ENABLED=0; \
	bad=$$($(GO) list -e -f '{{if or (eq (len .GoFiles) 0) .Error}}{{.ImportPath}}: {{len .GoFiles}} Go files {{.Error}}{{end}}' $$pkgs | sed '/^$$/d'); \
	if [ -n "$$bad" ]; then echo "$$bad"; echo "cross-build: packages skipped or broken for GOOS=$*"; exit 1; fi; \
	$(GO) build $$pkgs; \
	$(GO) vet $$pkgs

bench: deps
	CGO_ENABLED=0 $(GO) test -run '^$$' -bench . -benchmem ./probes/ ./heatmap/ ./report/
	$(GO) test -run '^$$' -bench . -benchmem ./app/

# bench-peers sets the sampler, the tree probe and corescope's own cost beside
# psutil and htop on the same fixture and subject, and fails on a missed goal.
bench-peers: build
	CGO_ENABLED=0 $(GO) run ./internal/benchpeers -corescope ./$(BIN)

clean:
	rm -f $(BIN)
