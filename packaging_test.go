package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// What the install puts on the desktop (assets/linux): the names the test
// expects to find, and that must agree with one another.
const (
	desktopID   = appID + ".desktop"
	profileMIME = "application/x-corescope-profile+json"
	windowClass = "corescope" // StartupWMClass: what GLFW sets WM_CLASS to
	// heatFrom is the lowest heatmap level that shows an opened run: a
	// quarter of a core, so that a run starved by a busy machine still counts.
	heatFrom = 64
)

// TestPackageDesktopInstall does what a new user does with a release: make
// package, unpack the tarball and user-install it into a temporary HOME;
// checks the desktop entry and metainfo with their validators; starts the
// entry's Exec= line as a desktop does (from /, with a minimal environment)
// and sees the window; has gio and xdg-mime recognise a saved profile as
// corescope's, opens it with gio open (and a copy without a name ending,
// known by its content, with xdg-open) and sees its run in the window; has
// man, bash and fish find the man page and completions; then uninstalls and
// finds the prefix as it was, but for the folders uninstall always keeps.
func TestPackageDesktopInstall(t *testing.T) {
	if os.Getenv("CORESCOPE_SMOKE") == "" {
		t.Skip("set CORESCOPE_SMOKE=1 and run under X (make test does) for the install test")
	}
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("CORESCOPE_SMOKE is set but there is no DISPLAY: run under xvfb-run")
	}
	needTools(t, "make", "tar", "desktop-file-validate", "appstreamcli", "update-mime-database",
		"update-desktop-database", "xdg-mime", "gio", "xdotool", "import")
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	prefix := filepath.Join(home, ".local")
	share := filepath.Join(prefix, "share")
	for _, d := range []string{filepath.Join(prefix, "bin"), share} { // as in a real ~/.local
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	before := tree(t, prefix)

	tarball := makePackage(t)
	run(t, nil, "", "tar", "-C", tmp, "-xzf", tarball)
	release := filepath.Join(tmp, strings.TrimSuffix(filepath.Base(tarball), ".tar.gz"))
	// What a desktop session has; PATH is the bare one a display manager gives.
	env := []string{"HOME=" + home, "DISPLAY=" + os.Getenv("DISPLAY"), "PATH=/usr/bin:/bin",
		"XDG_DATA_HOME=" + share, "XDG_DATA_DIRS=" + share + ":/usr/local/share:/usr/share"}
	if xauth := os.Getenv("XAUTHORITY"); xauth != "" {
		env = append(env, "XAUTHORITY="+xauth)
	}
	makeEnv := append(slices.Clone(env), "PATH="+os.Getenv("PATH"))
	run(t, makeEnv, release, "make", "user-install")

	entry := checkInstalled(t, prefix)
	// As a login shell has it: Debian's ~/.profile adds ~/.local/bin.
	shellEnv := append(slices.Clone(env), "PATH="+filepath.Join(prefix, "bin")+":/usr/bin:/bin")
	checkFound(t, shellEnv, prefix, "share/zsh/site-functions", "/usr/local/share/zsh/site-functions")
	empty := launchEntry(t, entry["Exec"], env, tmp)
	bin := filepath.Join(prefix, "bin", "corescope")
	saved, unnamed := checkProfileType(t, env, bin, tmp)
	openWith(t, env, []string{"gio", "open"}, saved, bin, empty, tmp)
	openWith(t, env, []string{"xdg-open"}, unnamed, bin, empty, tmp)

	run(t, makeEnv, release, "make", "uninstall", "PREFIX="+prefix)
	// install.mk's KEEP_DIRS: Debian's own packages make and own them in /usr/local.
	want := slices.Concat(before, []string{"share/man/", "share/zsh/", "share/zsh/site-functions/"})
	slices.Sort(want)
	if after := tree(t, prefix); !slices.Equal(after, slices.Compact(want)) {
		t.Errorf("after make uninstall the prefix holds:\n%s\nwant as before the install, with the folders it keeps:\n%s", strings.Join(after, "\n"), strings.Join(want, "\n"))
	}
}

// needTools fails the test when a tool it runs is missing.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: make deps installs it", tool)
		}
	}
}

// checkInstalled checks what user-install put under prefix: the files, the
// icons' sizes, the entry and metainfo as their validators see them, and
// the entry's keys; it returns the entry.
func checkInstalled(t *testing.T, prefix string) map[string]string {
	t.Helper()
	installed := tree(t, prefix)
	for _, f := range []string{"bin/corescope", "share/applications/" + desktopID, "share/metainfo/" + appID + ".metainfo.xml",
		"share/mime/packages/" + appID + ".xml", "share/icons/hicolor/scalable/apps/" + appID + ".svg",
		"share/man/man1/corescope.1.gz", "share/bash-completion/completions/corescope",
		"share/zsh/site-functions/_corescope", "share/fish/vendor_completions.d/corescope.fish"} {
		if !slices.Contains(installed, f) {
			t.Errorf("the install has no %s; it has:\n%s", f, strings.Join(installed, "\n"))
		}
	}
	share := filepath.Join(prefix, "share")
	for _, size := range []int{48, 128, 256} {
		checkIcon(t, filepath.Join(share, "icons/hicolor", strconv.Itoa(size)+"x"+strconv.Itoa(size), "apps", appID+".png"), size)
	}
	entryPath := filepath.Join(share, "applications", desktopID)
	run(t, nil, "", "desktop-file-validate", entryPath)
	run(t, nil, "", "appstreamcli", "validate", "--no-net", filepath.Join(share, "metainfo", appID+".metainfo.xml"))
	entry := desktopEntry(t, entryPath)
	bin := filepath.Join(prefix, "bin", "corescope")
	for key, want := range map[string]string{"Exec": bin + " %F", "TryExec": bin, "Icon": appID,
		"StartupWMClass": windowClass, "MimeType": profileMIME + ";"} {
		if entry[key] != want {
			t.Errorf("the installed entry's %s = %q; want %q", key, entry[key], want)
		}
	}
	return entry
}

// checkFound checks that man and the shells find what an install put under
// prefix, as they look for it with env (prefix/bin in its PATH): man the
// page (man -w), bash-completion's loader the bash completion, fish its
// completion (complete -C). zsh finds its own only on its fpath: the file
// must be in zshDir (under prefix), the installed form of zshFpath, which
// zsh's own fpath must hold, and must load from there.
func checkFound(t *testing.T, env []string, prefix, zshDir, zshFpath string) {
	t.Helper()
	needTools(t, "man", "bash", "zsh", "fish")
	page := filepath.Join(prefix, "share/man/man1/corescope.1.gz")
	if got := strings.TrimSpace(run(t, env, "", "man", "-w", "corescope")); got != page {
		t.Errorf("man -w corescope = %q; want %s", got, page)
	}
	const loader = "/usr/share/bash-completion/bash_completion"
	got := run(t, env, "", "bash", "--norc", "--noprofile", "-c", "source "+loader+" && __load_completion corescope && complete -p corescope")
	if strings.TrimSpace(got) != "complete -F _corescope corescope" {
		t.Errorf("bash-completion's loader gives corescope %q; want its function _corescope", got)
	}
	if got := run(t, env, "", "fish", "-c", "complete -C 'corescope re'"); !strings.Contains(got, "record\t") || !strings.Contains(got, "report\t") {
		t.Errorf("fish completes 'corescope re' with %q; want record and report", got)
	}
	if fpath := run(t, env, "", "zsh", "-f", "-c", "print -l $fpath"); !slices.Contains(strings.Fields(fpath), zshFpath) {
		t.Errorf("zsh's fpath lacks %s:\n%s", zshFpath, fpath)
	}
	load := "fpath=(" + filepath.Join(prefix, zshDir) + " $fpath); autoload -U compinit; compinit -u -D; print -r -- $_comps[corescope]"
	if got := strings.TrimSpace(run(t, env, "", "zsh", "-f", "-c", load)); got != "_corescope" {
		t.Errorf("zsh completes corescope with %q from %s; want _corescope", got, zshDir)
	}
}

// launchEntry starts the Exec= line as a desktop does, without its field
// code, from / with env; checks that the window comes up titled corescope
// and not blank; ends it and returns how many heatmap-coloured pixels the
// window without a run shows (its legend has some).
func launchEntry(t *testing.T, execLine string, env []string, tmp string) int {
	t.Helper()
	argv := strings.Fields(strings.ReplaceAll(execLine, "%F", ""))
	launch := exec.Command(argv[0], argv[1:]...)
	launch.Dir, launch.Env = "/", env
	log := outputFile(t, tmp, "launch.out")
	launch.Stdout, launch.Stderr = log, log
	if err := launch.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		launch.Process.Kill()
		launch.Wait()
		waitFor(10*time.Second, func() bool { return corescopeWindow(0) == "" })
	}()
	win := waitForWindow(t, launch.Process.Pid, log.Name())
	if name := strings.TrimSpace(xdotool(t, "getwindowname", win)); name != "corescope" {
		t.Errorf("the window's title = %q; want corescope", name)
	}
	var shot image.Image
	waitFor(20*time.Second, func() bool { // its first frames may still be blank
		shot = screenshot(t, tmp)
		return distinctColours(shot) >= 20
	})
	if n := distinctColours(shot); n < 20 {
		keepShot(t, shot)
		t.Errorf("the window launched from the entry looks blank (%d colours)", n)
	}
	return countHeatColours(shot, heatFrom)
}

// checkProfileType saves a small profile with the installed bin and checks
// that the desktop (xdg-mime, gio) sees it as corescope's, by its name and,
// nameless, by its content, with corescope's entry to open it; and that
// other JSON stays JSON. It returns the profile's path and its nameless copy.
func checkProfileType(t *testing.T, env []string, bin, tmp string) (saved, unnamed string) {
	t.Helper()
	files := filepath.Join(tmp, "files")
	if err := os.Mkdir(files, 0o755); err != nil {
		t.Fatal(err)
	}
	saved = filepath.Join(files, "f.corescope.json")
	run(t, nil, "", bin, "run", "--workload", "cpu", "--model", "sequential", "--size", "0.05", "--json", saved)
	unnamed = filepath.Join(files, "saved-run")
	copyFile(t, saved, unnamed)
	plain := filepath.Join(files, "plain.json")
	if err := os.WriteFile(plain, []byte(`{"format": "something else"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{saved: profileMIME, unnamed: profileMIME, plain: "application/json"} {
		if got := strings.TrimSpace(run(t, env, "", "xdg-mime", "query", "filetype", file)); got != want {
			t.Errorf("xdg-mime query filetype %s = %q; want %q", filepath.Base(file), got, want)
		}
		if got := run(t, env, "", "gio", "info", "-a", "standard::content-type", file); !strings.Contains(got, "content-type: "+want+"\n") {
			t.Errorf("gio info %s:\n%s\nwant content-type %s", filepath.Base(file), got, want)
		}
	}
	if got := strings.TrimSpace(run(t, env, "", "xdg-mime", "query", "default", profileMIME)); got != desktopID {
		t.Errorf("xdg-mime query default %s = %q; want %s", profileMIME, got, desktopID)
	}
	if got := run(t, env, "", "gio", "mime", profileMIME); !regexp.MustCompile(`Default application for \S+: ` + regexp.QuoteMeta(desktopID) + "\n").MatchString(got) {
		t.Errorf("gio mime %s:\n%s\nwant %s as the default application", profileMIME, got, desktopID)
	}
	return saved, unnamed
}

// openWith opens file with opener (gio open, xdg-open) from /, as a
// double-click does, and checks that bin started with it and that its
// window shows the run: at least 400 more heatmap-coloured pixels than the
// empty window had. It ends that window before it returns.
func openWith(t *testing.T, env, opener []string, file, bin string, empty int, tmp string) {
	t.Helper()
	// The output goes to a file: the program the opener starts inherits
	// it, and a pipe would keep Wait waiting until that program ends.
	log := outputFile(t, tmp, filepath.Base(opener[0])+".out")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, opener[0], append(opener[1:], file)...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = "/", env, log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// gio returns at once; xdg-open (with no desktop to hand over to) when
	// the program ends, which is ended first, or when it is cancelled.
	defer cmd.Wait()
	defer cancel()
	opened := waitForWindow(t, 0, log.Name())
	pid, _ := strconv.Atoi(strings.TrimSpace(xdotool(t, "getwindowpid", opened)))
	if p, err := os.FindProcess(pid); err == nil && pid > 0 {
		defer func() {
			p.Kill()
			waitFor(10*time.Second, func() bool { return corescopeWindow(0) == "" })
		}()
	}
	if cmdline, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline"); !bytes.Equal(bytes.Split(cmdline, []byte{0})[0], []byte(bin)) ||
		!bytes.Contains(cmdline, []byte(file)) {
		t.Errorf("%s started %q; want %s with the file", strings.Join(opener, " "), bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}), bin)
	}
	var shot image.Image
	var withRun int
	waitFor(30*time.Second, func() bool {
		shot = screenshot(t, tmp)
		withRun = countHeatColours(shot, heatFrom)
		return withRun >= empty+400
	})
	t.Logf("heatmap-coloured pixels: %d in the window %s opened with %s, %d in the empty one",
		withRun, strings.Join(opener, " "), filepath.Base(file), empty)
	if withRun < empty+400 {
		keepShot(t, shot)
		t.Errorf("the window %s opened shows %d heatmap-coloured pixels, the empty one %d; want its run's heatmap (400 more)",
			strings.Join(opener, " "), withRun, empty)
	}
}

// outputFile creates a file in dir for a program's output; the test closes it.
func outputFile(t *testing.T, dir, name string) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// makePackage runs make package and returns the tarball it made, checking
// that it changed no tracked file.
func makePackage(t *testing.T) string {
	t.Helper()
	toml, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out := run(t, nil, "", "make", "package")
	t.Logf("make package: %v", time.Since(start).Round(time.Second))
	if now, _ := os.ReadFile("FyneApp.toml"); !bytes.Equal(now, toml) {
		t.Errorf("make package changed FyneApp.toml")
	}
	tarball := regexp.MustCompile(`(?m)^(dist/corescope-\S+-linux-\S+\.tar\.gz):`).FindStringSubmatch(out)
	if tarball == nil {
		t.Fatalf("make package did not say which tarball it made:\n%s", out)
	}
	if st := run(t, nil, "", "git", "status", "--porcelain", "--", "dist", "*.syso"); st != "" {
		t.Errorf("after make package, git status shows:\n%s", st)
	}
	if st, err := os.Stat(tarball[1]); err == nil {
		t.Logf("%s: %.1f MB", tarball[1], float64(st.Size())/1e6)
	}
	abs, _ := filepath.Abs(tarball[1])
	return abs
}

// run runs a command (with env, when given, as its whole environment) and
// returns its standard output, failing the test if it fails.
func run(t *testing.T, env []string, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env, cmd.Dir = env, dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// corescopeWindow is a visible window whose WM_CLASS is corescope's (the
// entry's StartupWMClass), pid's when pid is not 0; "" when there is none.
func corescopeWindow(pid int) string {
	args := []string{"search", "--all", "--onlyvisible"}
	if pid != 0 {
		args = append(args, "--pid", strconv.Itoa(pid))
	}
	args = append(args, "--class", "^"+windowClass+"$")
	out, _ := exec.Command("xdotool", args...).Output()
	win, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return win
}

// waitForWindow waits for corescopeWindow(pid); the test fails with what
// the program (or its opener) wrote to log if none comes.
func waitForWindow(t *testing.T, pid int, log string) string {
	t.Helper()
	var win string
	if !waitFor(60*time.Second, func() bool {
		win = corescopeWindow(pid)
		return win != ""
	}) {
		out, _ := os.ReadFile(log)
		t.Fatalf("no window of class %s appeared within a minute\n%s", windowClass, out)
	}
	return win
}

// desktopEntry reads the [Desktop Entry] group's keys.
func desktopEntry(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string]string{}
	group := ""
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "["):
			group = line
		case group == "[Desktop Entry]" && strings.Contains(line, "=") && !strings.HasPrefix(line, "#"):
			k, v, _ := strings.Cut(line, "=")
			keys[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return keys
}

func checkIcon(t *testing.T, path string, size int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != size || cfg.Height != size {
		t.Errorf("%s: %dx%d, %v; want a %dx%d PNG", path, cfg.Width, cfg.Height, err, size, size)
	}
}

// tree lists every file and folder (with a trailing slash) under root,
// relative to it.
func tree(t *testing.T, root string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == root {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			rel += "/"
		}
		paths = append(paths, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestPackageWindowsFlags checks what make package-windows would run (the
// build itself takes minutes): a cgo cross-build for Windows with MinGW, as
// a GUI program, with the resource go-winres makes from assets/windows at
// FyneApp.toml's version, and nothing left behind for git to see.
func TestPackageWindowsFlags(t *testing.T) {
	out := run(t, nil, "", "make", "-n", "package-windows")
	build := ""
	for _, line := range strings.Split(strings.ReplaceAll(out, "\\\n", " "), "\n") {
		if strings.Contains(line, " build ") {
			build = line
		}
	}
	for _, want := range []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=1", "CC=x86_64-w64-mingw32-gcc",
		"-H=windowsgui", "-trimpath", "-o dist/corescope-" + fyneAppVersion(t) + "-windows-amd64.exe"} {
		if !strings.Contains(build, want) {
			t.Errorf("make -n package-windows: the build command lacks %s:\n%s", want, out)
		}
	}
	for _, want := range []string{"github.com/tc-hib/go-winres@v", "--in assets/windows/winres.json", "--arch amd64",
		"--product-version " + fyneAppVersion(t), "--file-version " + fyneAppVersion(t), "rm -f rsrc_windows_amd64.syso"} {
		if !strings.Contains(out, want) {
			t.Errorf("make -n package-windows does not run %q:\n%s", want, out)
		}
	}
	var res struct {
		Icons map[string]map[string][]string `json:"RT_GROUP_ICON"`
	}
	b, err := os.ReadFile("assets/windows/winres.json")
	if err == nil {
		err = json.Unmarshal(b, &res)
	}
	if err != nil || len(res.Icons["APP"]["0000"]) == 0 {
		t.Fatalf("assets/windows/winres.json: %v; want an APP icon", err)
	}
	for _, icon := range res.Icons["APP"]["0000"] {
		checkIcon(t, filepath.Join("assets/windows", icon), 256)
	}
	if out, err := exec.Command("git", "check-ignore", "dist/x.exe", "rsrc_windows_amd64.syso").CombinedOutput(); err != nil {
		t.Errorf("git does not ignore dist/ and the resource object: %v\n%s", err, out)
	}
}

// TestPackageNamesAgree checks that the app ID, the MIME type and the
// version are the same wherever the desktop files, the Debian package's and
// FyneApp.toml say them.
func TestPackageNamesAgree(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	toml := read("FyneApp.toml")
	control := read("assets/debian/control")
	changelog := read("assets/debian/changelog")
	maintainer := regexp.MustCompile(`(?m)^Maintainer: (.+)$`).FindStringSubmatch(control)
	meta := read("assets/linux/" + appID + ".metainfo.xml")
	mime := read("assets/linux/" + appID + ".mime.xml")
	entry := desktopEntry(t, "assets/linux/"+desktopID)
	for _, c := range []struct{ where, text, want string }{
		{"FyneApp.toml", toml, `ID = "` + appID + `"`},
		{"the metainfo", meta, "<id>" + appID + "</id>"},
		{"the metainfo", meta, `<launchable type="desktop-id">` + desktopID + "</launchable>"},
		{"the metainfo", meta, "<mediatype>" + profileMIME + "</mediatype>"},
		{"the metainfo", meta, `<release version="` + fyneAppVersion(t) + `"`},
		{"the MIME type", mime, `<mime-type type="` + profileMIME + `">`},
		{"the MIME type", mime, `<icon name="` + appID + `"/>`},
		// Every format version: the magic leaves out the number.
		{"the MIME type", mime, `value="&quot;corescope/v"`},
		{"assets/debian/control", control, "Package: corescope\n"},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s does not say %s", c.where, c.want)
		}
	}
	// make deb takes the package's version from the changelog's first entry.
	if first, _, _ := strings.Cut(changelog, "\n"); !strings.HasPrefix(first, "corescope ("+fyneAppVersion(t)+") ") {
		t.Errorf("assets/debian/changelog starts %q; want an entry for %s", first, fyneAppVersion(t))
	}
	if maintainer == nil || !strings.Contains(changelog, "\n -- "+maintainer[1]+"  ") {
		t.Errorf("assets/debian/changelog's entries are not signed by the control file's Maintainer %q", maintainer)
	}
	for key, want := range map[string]string{"Icon": appID, "MimeType": profileMIME + ";", "StartupWMClass": windowClass, "Exec": "corescope %F"} {
		if entry[key] != want {
			t.Errorf("the desktop entry's %s = %q; want %q", key, entry[key], want)
		}
	}
}

// fyneAppVersion is the Version in FyneApp.toml, which make package reads.
func fyneAppVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	return string(m[1])
}
