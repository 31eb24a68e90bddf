package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestPackageDeb builds the Debian package from the staged release tree
// (make deb), checks its control fields and files, that lintian finds no
// error nor warning, that apt would install it here (apt-get --simulate),
// then installs it with dpkg into a temporary root, runs the installed
// program's --version and report of a saved profile, has man and the shells
// find its man page and completions, purges it and finds the root as it was. dpkg --root, not apt install: the test
// must leave the machine it runs on as it was and needs no root (with
// --force-not-root); dpkg's own unpacking, file list and removal are what
// is tested, against a root where the libraries' packages are not listed,
// which --force-depends allows (apt-get --simulate checks those here).
func TestPackageDeb(t *testing.T) {
	if os.Getenv("CORESCOPE_SMOKE") == "" {
		t.Skip("set CORESCOPE_SMOKE=1 (make test does) for the package tests: they build the release binary")
	}
	needTools(t, "make", "dpkg", "dpkg-deb", "apt-get", "lintian")
	start := time.Now()
	out := run(t, nil, "", "make", "deb")
	t.Logf("make deb: %v", time.Since(start).Round(time.Second))
	m := regexp.MustCompile(`(?m)^(dist/corescope_\S+\.deb):`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("make deb did not say which package it made:\n%s", out)
	}
	deb, _ := filepath.Abs(m[1])
	if st, err := os.Stat(deb); err == nil {
		t.Logf("%s: %.1f MB", m[1], float64(st.Size())/1e6)
	}
	version := fyneAppVersion(t)
	checkDebControl(t, deb, version)
	checkDebFiles(t, deb)
	// lintian takes 6 s here; the infos it leaves are in the README.
	if out, err := exec.Command("lintian", "--fail-on", "error,warning", deb).CombinedOutput(); err != nil {
		t.Errorf("lintian %s: %v\n%s", m[1], err, out)
	}
	if got := run(t, nil, "", "apt-get", "install", "--simulate", "-q", deb); !strings.Contains(got, "Inst corescope ("+version+" ") {
		t.Errorf("apt-get install --simulate %s would not install it:\n%s", m[1], got)
	}

	root := t.TempDir()
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "var/log"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, root)
	// dpkg looks for ldconfig and start-stop-daemon in PATH; its log would
	// otherwise be the machine's own.
	dpkgEnv := append(os.Environ(), "PATH="+os.Getenv("PATH")+":/usr/sbin:/sbin")
	dpkg := []string{"--root=" + root, "--log=" + filepath.Join(root, "var/log/dpkg.log"), "--force-not-root"}
	run(t, dpkgEnv, "", "dpkg", append(dpkg, "--force-depends", "--install", deb)...)

	bin := filepath.Join(root, "usr/bin/corescope")
	if got := run(t, nil, "", bin, "--version"); !regexp.MustCompile(`^corescope ` + regexp.QuoteMeta(version) + ` \(commit [0-9a-f]{12}(-dirty)?\)\n$`).MatchString(got) {
		t.Errorf("%s --version = %q; want corescope %s (commit HASH)", bin, got, version)
	} else if commit := strings.TrimSuffix(strings.Fields(got)[3], ")"); exec.Command("git", "cat-file", "-e", strings.TrimSuffix(commit, "-dirty")+"^{commit}").Run() != nil {
		t.Errorf("%s --version names commit %s, which git does not know", bin, commit)
	}
	if got := run(t, nil, "", bin, "report", "profile/testdata/v1.corescope.json"); !strings.Contains(got, "verdict") || !strings.Contains(got, "threads kept") {
		t.Errorf("%s report of a saved profile printed:\n%s\nwant its table", bin, got)
	}
	env := []string{"HOME=" + t.TempDir(), "PATH=" + filepath.Join(root, "usr/bin") + ":/usr/bin:/bin",
		"XDG_DATA_DIRS=" + filepath.Join(root, "usr/share") + ":/usr/share"}
	checkFound(t, env, filepath.Join(root, "usr"), "share/zsh/vendor-completions", "/usr/share/zsh/vendor-completions")

	run(t, dpkgEnv, "", "dpkg", append(dpkg, "--purge", "corescope")...)
	if got, err := exec.Command("dpkg-query", "--root="+root, "--show", "corescope").CombinedOutput(); err == nil ||
		!strings.Contains(string(got), "no packages found matching corescope") {
		t.Errorf("after dpkg --purge corescope, dpkg-query --show corescope says: %s; want no package", got)
	}
	var left []string
	for _, f := range tree(t, root) { // dpkg's own database and log change
		if !slices.Contains(before, f) && !strings.HasPrefix(f, "var/") {
			left = append(left, f)
		}
	}
	if len(left) > 0 {
		t.Errorf("after dpkg --purge corescope the root holds:\n%s", strings.Join(left, "\n"))
	}
}

// checkDebControl checks the package's name, version (FyneApp.toml's),
// architecture (dpkg's) and that its Depends came from the libraries the
// program loads: libc, libGL and libX11 are among them.
func checkDebControl(t *testing.T, deb, version string) {
	t.Helper()
	arch := strings.TrimSpace(run(t, nil, "", "dpkg", "--print-architecture"))
	for field, want := range map[string]string{"Package": "corescope", "Version": version, "Architecture": arch} {
		if got := strings.TrimSpace(run(t, nil, "", "dpkg-deb", "--field", deb, field)); got != want {
			t.Errorf("the package's %s is %q; want %q", field, got, want)
		}
	}
	depends := run(t, nil, "", "dpkg-deb", "--field", deb, "Depends")
	for _, lib := range []string{"libc6 (>= ", "libgl1", "libx11-6"} {
		if !strings.Contains(depends, lib) {
			t.Errorf("the package's Depends: %q lacks %s", depends, lib)
		}
	}
	if want := "corescope_" + version + "_" + arch + ".deb"; filepath.Base(deb) != want {
		t.Errorf("make deb made %s; want %s", filepath.Base(deb), want)
	}
}

// checkDebFiles checks that the package holds what make install installs,
// under /usr, with zsh's completion where Debian's zsh looks, and the
// copyright and changelog Debian asks for; all root's, and only the program
// executable.
func checkDebFiles(t *testing.T, deb string) {
	t.Helper()
	files := map[string]string{} // path: mode and owner
	for _, line := range strings.Split(strings.TrimSpace(run(t, nil, "", "dpkg-deb", "--contents", deb)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 6 && strings.HasPrefix(fields[0], "-") {
			files[strings.TrimPrefix(fields[5], ".")] = fields[0] + " " + fields[1]
		}
	}
	want := map[string]string{"/usr/bin/corescope": "-rwxr-xr-x root/root"}
	for _, f := range []string{"applications/" + desktopID, "metainfo/" + appID + ".metainfo.xml", "mime/packages/" + appID + ".xml",
		"icons/hicolor/48x48/apps/" + appID + ".png", "icons/hicolor/128x128/apps/" + appID + ".png",
		"icons/hicolor/256x256/apps/" + appID + ".png", "icons/hicolor/scalable/apps/" + appID + ".svg",
		"man/man1/corescope.1.gz", "bash-completion/completions/corescope", "zsh/vendor-completions/_corescope",
		"fish/vendor_completions.d/corescope.fish", "doc/corescope/copyright", "doc/corescope/changelog.gz"} {
		want["/usr/share/"+f] = "-rw-r--r-- root/root"
	}
	for f, mode := range want {
		if files[f] != mode {
			t.Errorf("the package's %s: %q; want %q", f, files[f], mode)
		}
	}
	for f := range files {
		if _, ok := want[f]; !ok {
			t.Errorf("the package holds %s, which no test expects", f)
		}
	}
}
