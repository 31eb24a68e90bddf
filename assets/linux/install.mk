# Installs corescope as a desktop app from a release tree: bin/corescope and
# share/ (desktop entry, hicolor icons, AppStream metainfo, MIME type, man
# page, bash, zsh and fish completions). It is
# the Makefile of the release tarball, and what `make install` in the source
# runs on the tree `make package` stages.
#
#   make install                  into PREFIX=/usr/local (as root)
#   make user-install             into ~/.local (or PREFIX), for you alone
#   make uninstall                the same PREFIX (and DESTDIR) as the install
#   make user-uninstall
#
# DESTDIR stages the files for a package: the caches are then left to the
# package manager. Without it, the desktop, MIME and icon caches are updated
# when their tools are on the machine.

PREFIX ?= /usr/local
DESTDIR ?=
APP_ID := io.github.corescope
INSTALL ?= install

# Every file this tree installs, relative to PREFIX.
SHARE_FILES := $(patsubst ./%,%,$(shell find ./share -type f | sort))
FILES := bin/corescope $(SHARE_FILES)
ROOT := $(DESTDIR)$(PREFIX)
# Folders uninstall leaves, empty or not: in /usr/local, Debian's base-files
# makes share/man and zsh share/zsh/site-functions, and they own them.
KEEP_DIRS := share/man share/zsh/site-functions
# user-install and user-uninstall: ~/.local, unless PREFIX is given.
USER_PREFIX := $(if $(filter command line environment,$(origin PREFIX)),$(PREFIX),$(HOME)/.local)

.PHONY: install user-install uninstall user-uninstall refresh-caches

install:
	@case "$(PREFIX)" in /*) ;; *) echo "PREFIX must be an absolute path, not '$(PREFIX)'"; exit 2;; esac
	$(INSTALL) -Dm755 bin/corescope "$(ROOT)/bin/corescope"
	@set -e; for f in $(filter-out share/applications/%,$(SHARE_FILES)); do \
		echo "$(INSTALL) -Dm644 $$f $(ROOT)/$$f"; $(INSTALL) -Dm644 "$$f" "$(ROOT)/$$f"; \
	done
	@# The entry names the binary by its absolute path: a desktop's PATH may
	@# lack PREFIX/bin (~/.local/bin is only added at login, if it existed).
	$(INSTALL) -d "$(ROOT)/share/applications"
	sed -e 's|^Exec=corescope |Exec=$(PREFIX)/bin/corescope |' -e 's|^TryExec=corescope$$|TryExec=$(PREFIX)/bin/corescope|' \
		share/applications/$(APP_ID).desktop > "$(ROOT)/share/applications/$(APP_ID).desktop"
	chmod 644 "$(ROOT)/share/applications/$(APP_ID).desktop"
	@$(MAKE) --no-print-directory refresh-caches

user-install:
	@$(MAKE) --no-print-directory install PREFIX="$(USER_PREFIX)"

uninstall:
	@case "$(PREFIX)" in /*) ;; *) echo "PREFIX must be an absolute path, not '$(PREFIX)'"; exit 2;; esac
	rm -f $(addprefix "$(ROOT)/,$(addsuffix ",$(FILES)))
	@$(MAKE) --no-print-directory refresh-caches
	@# Caches of nothing: no desktop entry, no MIME package is left beside them.
	@if [ -z "$(DESTDIR)" ] && [ -d "$(ROOT)/share/applications" ] && ! ls "$(ROOT)/share/applications" | grep -q '\.desktop$$'; then \
		rm -f "$(ROOT)/share/applications/mimeinfo.cache"; fi
	@if [ -z "$(DESTDIR)" ] && [ -d "$(ROOT)/share/mime" ] && [ -z "$$(ls -A "$(ROOT)/share/mime/packages" 2>/dev/null)" ]; then \
		find "$(ROOT)/share/mime" -mindepth 1 -maxdepth 1 ! -name packages -exec rm -rf {} +; fi
	@# Then the folders the install made below share/ that are now empty,
	@# deepest first; never bin or share themselves, nor anything above, nor
	@# the folders Debian makes in /usr/local for everyone (KEEP_DIRS).
	@for f in $(SHARE_FILES); do \
		d=$$(dirname $$f); while [ "$$d" != share ]; do echo "$$d"; d=$$(dirname $$d); done; \
	done | sort -ru | grep -vxF $(addprefix -e ,$(KEEP_DIRS)) | \
		while read -r d; do [ ! -d "$(ROOT)/$$d" ] || rmdir --ignore-fail-on-non-empty "$(ROOT)/$$d"; done

user-uninstall:
	@$(MAKE) --no-print-directory uninstall PREFIX="$(USER_PREFIX)"

# refresh-caches tells the desktop what changed: the MIME database, the
# entries that open each type, and the icon theme (only where the theme has
# an index: a cache beside a user's icons would hide later ones).
refresh-caches:
	@if [ -n "$(DESTDIR)" ]; then exit 0; fi; \
	share="$(PREFIX)/share"; \
	if command -v update-mime-database >/dev/null && [ -d "$$share/mime/packages" ]; then \
		echo "update-mime-database $$share/mime"; update-mime-database "$$share/mime"; fi; \
	if command -v update-desktop-database >/dev/null && [ -d "$$share/applications" ]; then \
		echo "update-desktop-database $$share/applications"; update-desktop-database -q "$$share/applications"; fi; \
	if [ -f "$$share/icons/hicolor/index.theme" ] && command -v gtk-update-icon-cache >/dev/null; then \
		echo "gtk-update-icon-cache $$share/icons/hicolor"; gtk-update-icon-cache -q -t -f "$$share/icons/hicolor"; \
	elif [ -d "$$share/icons/hicolor" ]; then touch "$$share/icons/hicolor"; fi
