package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	dir := t.TempDir()
	bin := filepath.Join(dir, "corescope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
		hot = countHeatColours(shot)
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

func screenshot(t *testing.T, dir string) image.Image {
	t.Helper()
	path := filepath.Join(dir, "shot.png")
	if out, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
		t.Fatalf("import (ImageMagick) failed: %v\n%s", err, out)
	}
	return pngtest.Read(t, path)
}

// countHeatColours counts pixels painted in the upper half of the heatmap's
// scale: busy cores, which no theme colour matches.
func countHeatColours(img image.Image) int {
	if img == nil {
		return 0
	}
	hot := map[color.RGBA]bool{}
	for v := 128; v < 256; v++ {
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
