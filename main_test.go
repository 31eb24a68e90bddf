package main

import (
	"os"
	"testing"

	"corescope/runners"
)

// TestMain lets the test binary act as corescope's worker, as the real binary does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		os.Exit(runners.WorkerMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
