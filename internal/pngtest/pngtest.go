package pngtest

import (
	"image"
	"image/png"
	"os"
	"testing"
)

// Read decodes the PNG file at path, failing the test if it is not one.
func Read(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	return img
}
