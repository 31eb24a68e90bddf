package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"corescope/atomicfile"
)

func main() {
	version := flag.String("version", "", "the release's `VERSION`, FyneApp.toml's")
	out := flag.String("out", "", "the `DIR` to write the files into")
	flag.Parse()
	if *version == "" || *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/gendocs -version VERSION -out DIR")
		os.Exit(2)
	}
	if err := generate(*version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

// generate writes every file into dir.
func generate(version, dir string) error {
	p, err := describe(version)
	if err != nil {
		return err
	}
	d, err := forShells(p)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"corescope.1", func(w io.Writer) error { return writeMan(w, p) }},
		{"corescope.bash", func(w io.Writer) error { return bashScript.Execute(w, d) }},
		{"_corescope", func(w io.Writer) error { return zshScript.Execute(w, d) }},
		{"corescope.fish", func(w io.Writer) error { return fishScript.Execute(w, d) }},
	} {
		if err := atomicfile.Write(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}
