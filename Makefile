# corescope: `make run` opens the window, `make test` runs every test.
# Both install what a fresh Debian machine lacks first (make deps).

SHELL := /bin/bash
GO ?= go
BIN := corescope
# Fyne logs an error for LANG=C; every target runs with a UTF-8 locale.
export LANG := C.UTF-8
export LC_ALL := C.UTF-8
# One set of build flags for every build, test and go run, the release's
# (-trimpath, -buildmode=pie: see RELEASE_FLAGS), so that Fyne's OpenGL
# driver, whose C takes minutes to compile, compiles once for the binary,
# the window's tests and the release. The race detector refuses pie: app's
# tests ask for an ordinary executable (their packages do not reach the GL
# driver). The user's own GOFLAGS (go env) are kept.
export GOFLAGS := $(strip $(filter-out -trimpath -buildmode=%,$(shell $(GO) env GOFLAGS 2>/dev/null)) -trimpath -buildmode=pie)

# Debian packages: a C compiler and the X11/GL headers for Fyne's cgo driver;
# Xvfb, ImageMagick and xdotool for the real-window tests; CPython and psutil
# for the Python backend and the peer benchmarks; node_exporter and Prometheus
# for the cluster tests; htop for the peer benchmarks; the desktop-entry, AppStream, MIME and xdg tools the
# install test validates and opens files with; dpkg-dev and lintian to build
# and check the .deb; man-db and the shells whose completions the tests run;
# Chromium, in which the tests open the HTML report.
DEB_PACKAGES := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth imagemagick xdotool \
	python3 python3-psutil prometheus-node-exporter prometheus \
	desktop-file-utils appstream shared-mime-info xdg-utils libglib2.0-bin htop \
	dpkg-dev lintian man-db bash-completion zsh fish chromium
# Every package but main builds and tests without cgo; app's tests run apart,
# under the race detector. Listed, not named, so no new package is left out
# (lanes and runtext were).
PURE_PACKAGES = $(shell $(GO) list ./... | grep -vxF -e corescope -e corescope/app)
# go test -json's events, as a line a package with its time and counts, what
# failed, why tests were skipped, and make bench's figures (internal/testlines).
TESTLINES = CGO_ENABLED=0 $(GO) run ./internal/testlines

# The systems every package but the GL entry point (main) must build and vet
# for without cgo. app/ is left out on darwin only: Fyne's internal/widget asks
# macOS for its scroller behaviour through cgo, so no Fyne widget builds for
# darwin without it.
CROSS_GOOS := darwin windows
CROSS_SKIP_darwin := corescope corescope/app
CROSS_SKIP_windows := corescope

.PHONY: deps build run test test-vet test-pure test-app test-window test-fuzz fuzz crossbuild \
	bench bench-goals bench-window bench-pure bench-app bench-peers screenshot-html clean FORCE

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

# The commit corescope --version names, as git describe says it (-dirty with
# uncommitted changes): go build's own stamp is missing from a build in a
# linked git worktree (golang/go#58218) or with GOFLAGS=-buildvcs=false.
COMMIT = $(shell git describe --always --abbrev=12 --dirty --exclude='*' 2>/dev/null)
VERSION_LDFLAGS = -X corescope/cli.commit=$(COMMIT)

build: deps
	$(GO) build -ldflags "$(VERSION_LDFLAGS)" -o $(BIN) .

run: build
	./$(BIN)

# make test passes on any machine, busy or quiet: its tests assert
# behaviour, and figures only where load on the machine cannot move them
# past their bounds (make bench measures the rest). So its parts run side
# by side (make -j3, output kept whole for each): the window's cgo build,
# its vet and its tests under Xvfb; the cross-builds and the other
# packages' tests, without cgo, several packages at once; and app's tests
# under the race detector; then each fuzz target for TEST_FUZZTIME. Each
# go test prints a line a package.
# CORESCOPE_BROWSER=1: the HTML report's tests fail, rather than skip,
# without a Chromium to open it in.
test: deps
	@$(MAKE) --no-print-directory -j3 --output-sync=target test-window test-pure test-app test-fuzz

test-vet: build
	$(GO) vet ./...

test-pure: crossbuild
	set -o pipefail; CORESCOPE_BROWSER=1 CGO_ENABLED=0 $(GO) test -json -count=1 $(PURE_PACKAGES) | $(TESTLINES)

test-app:
	set -o pipefail; $(GO) test -json -count=1 -race -buildmode=exe ./app/... | $(TESTLINES)

# The fuzz targets, package:target: the profile loader, the event parser
# and every renderer. Their seeds (testdata/fuzz) run in every go test; a
# fuzz run adds inputs of its own, on one core, and a crasher it finds is
# written to the package's testdata/fuzz, to be kept as a seed once fixed.
FUZZ_TARGETS := profile:FuzzDecode spec:FuzzParseEventAgreesWithJSON lanes:FuzzPaint \
	report:FuzzPNG report:FuzzCSV report:FuzzTrace report:FuzzHTML
TEST_FUZZTIME ?= 4s
FUZZTIME ?= 2m

test-fuzz:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(TEST_FUZZTIME)

# make fuzz runs each fuzz target for FUZZTIME (make fuzz FUZZTIME=10m).
fuzz:
	@set -e; log=$$(mktemp); trap 'rm -f $$log' EXIT; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*} name=$${t#*:}; \
		CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) \
			-fuzzminimizetime 2s -parallel 1 ./$$pkg > $$log 2>&1 || { cat $$log; exit 1; }; \
		echo "fuzz $$name ($$pkg): $$(grep -h '^fuzz: elapsed' $$log | tail -1 | sed 's/^fuzz: //')"; \
	done

# The real window and the release, under Xvfb: the tests of the package
# main whose names say so.
test-window: test-vet
	set -o pipefail; CORESCOPE_SMOKE=1 xvfb-run -a -s "-screen 0 1280x800x24" \
		$(GO) test -json -count=1 -run 'TestWindow|TestPackage' . | $(TESTLINES)

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

# make bench measures, one package at a time on a machine left quiet: the
# measuring tests (TestGoal..., in files under the goals build tag: wall
# times, speedups, the window's cost, which load on the machine moves) and
# the Go benchmarks of every package (some of which check a goal too), each
# figure beside its goal. Each part runs whatever the others gave (make
# -k: a test that fails keeps its package's benchmarks from running, hence
# the parts); it fails when a goal is missed.
GOAL_TESTS = -tags goals -run '^TestGoal' -bench '^$$'
BENCHMARKS = -run '^$$' -bench . -benchmem
bench: deps
	@$(MAKE) --no-print-directory -k bench-goals bench-window bench-pure bench-app

bench-goals:
	set -o pipefail; CGO_ENABLED=0 $(GO) test -json -p 1 -count=1 $(GOAL_TESTS) $(PURE_PACKAGES) | $(TESTLINES)

bench-window:
	set -o pipefail; CORESCOPE_SMOKE=1 xvfb-run -a -s "-screen 0 1280x800x24" \
		$(GO) test -json -count=1 $(GOAL_TESTS) . | $(TESTLINES)

bench-pure:
	set -o pipefail; CGO_ENABLED=0 $(GO) test -json -p 1 -count=1 $(BENCHMARKS) $(PURE_PACKAGES) | $(TESTLINES)

bench-app:
	set -o pipefail; $(GO) test -json -count=1 $(BENCHMARKS) ./app/ | $(TESTLINES)

# bench-peers sets the sampler, the tree probe and corescope's own cost beside
# psutil and htop on the same fixture and subject, and fails on a missed goal.
bench-peers: build
	CGO_ENABLED=0 $(GO) run ./internal/benchpeers -corescope ./$(BIN)

# screenshot-html remakes the README's picture of the HTML report: a real
# comparison, recorded here, opened in headless Chromium by the report's
# browser test, the pointer on its first heatmap. Not part of make test.
HTML_SHOT := docs/html-report.png
screenshot-html: build
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	./$(BIN) compare --workload cpu --tasks 10 --json "$$tmp/compare.json" >/dev/null; \
	CORESCOPE_SCREENSHOT="$(CURDIR)/$(HTML_SHOT)" CORESCOPE_SCREENSHOT_PROFILE="$$tmp/compare.json" CORESCOPE_BROWSER=1 \
		CGO_ENABLED=0 $(GO) test -count=1 -run '^TestHTMLScreenshot$$' ./report/
	@echo "wrote $(HTML_SHOT)"

clean:
	rm -rf $(BIN) dist

# Packaging. `make package` stages a release tree in dist/ (a stripped binary
# and share/: desktop entry, hicolor icons made from assets/icon.png, AppStream
# metainfo, MIME type, the man page and bash, zsh and fish completions that
# internal/gendocs makes from the CLI's definitions; assets/linux/install.mk
# as its Makefile) and tars it. `make deb` makes a Debian package of it.
# install, user-install, uninstall and user-uninstall run that tree's Makefile,
# which honours PREFIX (default /usr/local; ~/.local for user-) and DESTDIR.
# Nothing tracked changes: FyneApp.toml is only read, for the version.
VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
APP_ID := io.github.corescope
DIST := dist
# dpkg names the common architectures as Go does, for a root without Go.
LINUX_RELEASE := corescope-$(VERSION)-linux-$(shell $(GO) env GOARCH 2>/dev/null || dpkg --print-architecture)
LINUX_STAGE := $(DIST)/$(LINUX_RELEASE)
# Hardened as Debian builds its programs (lintian's hardening-no-pie and
# -no-bindnow): position-independent, 32.1 MB rather than 29.7, and bound at
# start. GOFLAGS holds -trimpath and -buildmode=pie for every build, so the
# release reuses what make build compiled and only links (a few seconds).
RELEASE_FLAGS = -trimpath -buildmode=pie -ldflags "-s -w -extldflags=-Wl,-z,now $(VERSION_LDFLAGS)"
# What the release binary is built from (main embeds FyneApp.toml for its
# version; BUILD_STAMP is rewritten when the commit or the flags change):
# when none is newer than the staged binary, `sudo make install` installs it
# without Go (sudo's PATH often has none), after the build as yourself.
BUILD_STAMP := $(DIST)/build-flags
RELEASE_INPUTS := $(shell find . \( -path ./dist -o -path ./.git -o -name testdata \) -prune -o -type f \
	\( -name '*.go' ! -name '*_test.go' -o -name '*.py' -o -name '*.png' -o -name go.mod -o -name go.sum \) -print) \
	FyneApp.toml $(BUILD_STAMP)
ICON_SIZES := 48 128 256
# Debian's MinGW-w64 cross compiler builds Fyne's cgo driver for Windows; the
# icon, manifest and version resource come from assets/windows/winres.json
# through go-winres, run at build time at a pinned version.
WINDOWS_CC := x86_64-w64-mingw32-gcc
WINDOWS_EXE := $(DIST)/corescope-$(VERSION)-windows-amd64.exe
WINRES := github.com/tc-hib/go-winres@v0.3.3

.PHONY: package stage-linux install user-install uninstall user-uninstall package-windows deb lint-deb

package: stage-linux
	tar -C $(DIST) --owner=0 --group=0 --numeric-owner --sort=name -czf $(DIST)/$(LINUX_RELEASE).tar.gz $(LINUX_RELEASE)
	@echo "$(DIST)/$(LINUX_RELEASE).tar.gz: unpack it and run make user-install (or make install as root)"

stage-linux: $(LINUX_STAGE)/bin/corescope $(LINUX_STAGE)/Makefile

$(LINUX_STAGE)/bin/corescope: $(RELEASE_INPUTS) | deps
	$(GO) build $(RELEASE_FLAGS) -o $@ .

# Rewritten only when the flags change, the commit among them, so that the
# release binary is built again then (a new commit only links it: 1.5 s).
$(BUILD_STAMP): FORCE
	@mkdir -p $(@D); [ "$$(cat $@ 2>/dev/null)" = '$(RELEASE_FLAGS)' ] || echo '$(RELEASE_FLAGS)' > $@

# The share tree and the tree's Makefile, made again together from assets/
# and, for the man page and completions, from the CLI's Go sources.
GENDOCS := $(DIST)/gendocs
$(LINUX_STAGE)/Makefile: $(wildcard assets/linux/*) assets/icon.png $(filter %.go,$(RELEASE_INPUTS)) | deps
	rm -rf $(LINUX_STAGE)/share $(GENDOCS)
	install -Dm644 assets/linux/$(APP_ID).desktop $(LINUX_STAGE)/share/applications/$(APP_ID).desktop
	install -Dm644 assets/linux/$(APP_ID).metainfo.xml $(LINUX_STAGE)/share/metainfo/$(APP_ID).metainfo.xml
	install -Dm644 assets/linux/$(APP_ID).mime.xml $(LINUX_STAGE)/share/mime/packages/$(APP_ID).xml
	install -Dm644 assets/linux/$(APP_ID).svg $(LINUX_STAGE)/share/icons/hicolor/scalable/apps/$(APP_ID).svg
	@set -e; for s in $(ICON_SIZES); do \
		d=$(LINUX_STAGE)/share/icons/hicolor/$${s}x$${s}/apps; mkdir -p $$d; \
		convert assets/icon.png -filter Box -resize $${s}x$${s} -strip -define png:exclude-chunks=date,time $$d/$(APP_ID).png; \
	done
	CGO_ENABLED=0 $(GO) run ./internal/gendocs -version $(VERSION) -out $(GENDOCS)
	install -d $(LINUX_STAGE)/share/man/man1
	gzip -9n < $(GENDOCS)/corescope.1 > $(LINUX_STAGE)/share/man/man1/corescope.1.gz
	install -Dm644 $(GENDOCS)/corescope.bash $(LINUX_STAGE)/share/bash-completion/completions/corescope
	install -Dm644 $(GENDOCS)/_corescope $(LINUX_STAGE)/share/zsh/site-functions/_corescope
	install -Dm644 $(GENDOCS)/corescope.fish $(LINUX_STAGE)/share/fish/vendor_completions.d/corescope.fish
	install -m644 assets/linux/install.mk $@

install user-install uninstall user-uninstall: stage-linux
	$(MAKE) -C $(LINUX_STAGE) $@

# package-windows is not part of make test: the first build of Fyne's driver
# for Windows takes minutes. The resource object sits beside main.go only
# while the build runs (go build takes .syso files from the package folder).
package-windows:
	@command -v $(WINDOWS_CC) >/dev/null || $(MAKE) deps DEB_PACKAGES=gcc-mingw-w64-x86-64
	mkdir -p $(DIST)
	set -e; trap 'rm -f rsrc_windows_amd64.syso' EXIT; \
	$(GO) run $(WINRES) make --in assets/windows/winres.json --out rsrc --arch amd64 \
		--product-version $(VERSION) --file-version $(VERSION); \
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=$(WINDOWS_CC) \
		$(GO) build -trimpath -ldflags "-s -w -H=windowsgui" -o $(WINDOWS_EXE) .
	@ls -l $(WINDOWS_EXE)

# The Debian package, from the same staged tree: its Makefile installs it
# into the package's root (PREFIX=/usr), zsh's completion moves to where
# Debian's zsh looks, and dpkg-gencontrol writes the control file from
# assets/debian with Depends: from the packages of the libraries the binary
# loads (dpkg-shlibdeps, which wants debhelper's debian/PACKAGE layout). No
# maintainer scripts: dpkg's triggers refresh the MIME, desktop-entry, icon
# and man caches.
DEB_ARCH = $(shell dpkg --print-architecture)
DEB = $(DIST)/corescope_$(VERSION)_$(DEB_ARCH).deb
DEB_WORK := $(DIST)/deb
DEB_ROOT := $(DEB_WORK)/debian/corescope
# xz -1: 2.6 s and 12.1 MB here; dpkg-deb's default, -6, takes 12.5 s for 11.0 MB.
# make deb DEB_COMPRESS=-Zxz for a release.
DEB_COMPRESS ?= -Zxz -z1

deb: $(DEB)
	@echo "$(DEB): apt install ./$(DEB) (apt remove corescope removes it)"

$(DEB): $(LINUX_STAGE)/bin/corescope $(LINUX_STAGE)/Makefile $(wildcard assets/debian/*) | deps
	@v=$$(dpkg-parsechangelog -l assets/debian/changelog -S Version); [ "$$v" = "$(VERSION)" ] || \
		{ echo "assets/debian/changelog's version is $$v, FyneApp.toml's $(VERSION): add an entry for $(VERSION)"; exit 1; }
	rm -rf $(DEB_WORK)
	install -Dm644 -t $(DEB_WORK)/debian assets/debian/control assets/debian/changelog
	$(MAKE) --no-print-directory -C $(LINUX_STAGE) install PREFIX=/usr DESTDIR=$(abspath $(DEB_ROOT))
	mv $(DEB_ROOT)/usr/share/zsh/site-functions $(DEB_ROOT)/usr/share/zsh/vendor-completions
	install -Dm644 assets/debian/copyright $(DEB_ROOT)/usr/share/doc/corescope/copyright
	gzip -9n < assets/debian/changelog > $(DEB_ROOT)/usr/share/doc/corescope/changelog.gz
	install -d $(DEB_ROOT)/DEBIAN
	cd $(DEB_WORK) && dpkg-shlibdeps debian/corescope/usr/bin/corescope && dpkg-gencontrol -Pdebian/corescope
	cd $(DEB_ROOT) && find usr -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums
	dpkg-deb --root-owner-group $(DEB_COMPRESS) --build $(DEB_ROOT) $@

# lint-deb runs lintian on the package (not part of make test: see README).
lint-deb: $(DEB)
	lintian --info --display-info --pedantic $(DEB)
