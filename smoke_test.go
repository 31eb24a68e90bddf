package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"corescope/heatmap"
	"corescope/internal/pngtest"
)

// TestWindowSmoke runs the real binary's window under X (make test wraps it in
// xvfb-run), takes a screenshot while --demo runs, and checks that it shows
// heatmap colours and that Fyne saw no calls from the wrong goroutine. The
// binary sits in a folder without FyneApp.toml, so Fyne's thread checks are on.
func TestWindowSmoke(t *testing.T) {
	if os.Getenv("CORESCOPE_SMOKE") == "" {
		t.Skip("set CORESCOPE_SMOKE=1 and run under X (make test does) for the real-window test")
	}
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("CORESCOPE_SMOKE is set but there is no DISPLAY: run under xvfb-run")
	}
	dir, bin := buildCorescope(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--demo", "--exit")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// Take screenshots until one shows a heatmap, or the demo ends.
	var shot image.Image
	var hot int
	for deadline := time.Now().Add(90 * time.Second); hot < 400 && time.Now().Before(deadline); {
		select {
		case err := <-exited:
			exited <- err
			deadline = time.Now()
			continue
		case <-time.After(time.Second):
		}
		shot = screenshot(t, dir)
		hot = countHeatColours(shot, 128)
	}
	if hot < 400 {
		keepShot(t, shot)
		t.Fatalf("screenshots never showed a busy heatmap (%d busy-coloured pixels; want >= 400)", hot)
	}
	if distinctColours(shot) < 20 {
		keepShot(t, shot)
		t.Fatal("the screenshot is almost blank")
	}
	if err := <-exited; err != nil {
		t.Fatalf("corescope --demo --exit = %v; stderr:\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "Error in Fyne call thread") {
		t.Fatalf("Fyne was called from the wrong goroutine:\n%s", stderr.String())
	}
	// LANG=C.UTF-8 above: internal/cleanlocale must keep Fyne from choking on it.
	if strings.Contains(stderr.String(), "Error parsing user locale") {
		t.Fatalf("Fyne could not parse the locale:\n%s", stderr.String())
	}
}

// buildCorescope returns the binary, built once for the tests that run it
// (see built), and a folder for this test to run it in.
func buildCorescope(t *testing.T) (dir, bin string) {
	t.Helper()
	return t.TempDir(), built(t, ".")
}

// builds are the programs this test binary built: a package's path to
// its *build.
var builds sync.Map

type build struct {
	once sync.Once
	bin  string
	err  error
}

// binDir is the folder built writes into, removed by TestMain. It holds
// no FyneApp.toml, so Fyne's thread checks are on in what runs from it.
var binDir string

// built builds the program in pkg the first time a test asks for it, with
// the go command's flags from the environment (make test's), and returns
// its path.
func built(t *testing.T, pkg string) string {
	t.Helper()
	v, _ := builds.LoadOrStore(pkg, &build{})
	b := v.(*build)
	b.once.Do(func() {
		b.bin = filepath.Join(binDir, filepath.Base(filepath.Clean(pkg)))
		if pkg == "." {
			b.bin = filepath.Join(binDir, "corescope")
		}
		if out, err := exec.Command("go", "build", "-o", b.bin, pkg).CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.bin
}

// TestWindowSmokeWithoutDisplay checks that the window's ways in, without
// an X or Wayland display, end in one line that says so and exit 2, not in
// GLFW's panic. (Its name puts it among the tests make test runs here.)
func TestWindowSmokeWithoutDisplay(t *testing.T) {
	if os.Getenv("CORESCOPE_SMOKE") == "" {
		t.Skip("set CORESCOPE_SMOKE=1 (make test does) for the tests of the real binary")
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("macOS and Windows always have a display")
	}
	dir, bin := buildCorescope(t)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	for _, args := range [][]string{nil, {filepath.Join(dir, "a.json"), "file:///tmp/b.json"}, {"--demo"}} {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &stdout, &stderr
		err := cmd.Run()
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
		if code != 2 || stdout.Len() > 0 || len(lines) != 1 || !strings.Contains(lines[0], "no display") || !strings.Contains(lines[0], "corescope run") {
			t.Errorf("corescope %q without a display: %v, stdout %q, stderr:\n%s\nwant exit status 2 and one line saying there is no display and what works",
				args, err, stdout.String(), stderr.String())
		}
	}
}

func screenshot(t *testing.T, dir string) image.Image {
	t.Helper()
	path := filepath.Join(dir, "shot.png")
	if out, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
		t.Fatalf("import (ImageMagick) failed: %v\n%s", err, out)
	}
	return pngtest.Read(t, path)
}

// countHeatColours counts pixels painted in the heatmap's scale from level
// from (of 255) up: 128 and up are busy cores, which no theme colour matches.
func countHeatColours(img image.Image, from int) int {
	if img == nil {
		return 0
	}
	hot := map[color.RGBA]bool{}
	for v := from; v < 256; v++ {
		hot[heatmap.Color(float64(v)/255)] = true
	}
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if hot[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}] {
				n++
			}
		}
	}
	return n
}

func distinctColours(img image.Image) int {
	seen := map[color.Color]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			seen[img.At(x, y)] = true
		}
	}
	return len(seen)
}

// keepShot saves a failing screenshot under testdata/failed/ for a person to look at.
func keepShot(t *testing.T, img image.Image) {
	if img == nil {
		return
	}
	os.MkdirAll("testdata/failed", 0o755)
	f, err := os.Create("testdata/failed/smoke.png")
	if err != nil {
		return
	}
	defer f.Close()
	png.Encode(f, img)
	t.Logf("screenshot kept in testdata/failed/smoke.png")
}
