// Command testlines reads go test -json and prints a line a package as it
// ends: ok or FAIL, its time, and how many of its tests passed, were
// skipped and failed; under it, why each skipped test was skipped, the
// figures make bench's tests and benchmarks printed (internal/goal's
// lines, benchmark results), and the output of each test that failed.
// It exits 1 when a test or a build failed or a package never said how
// it ended, so a failing run says at once what failed.
//
//	go test -json ./... | go run ./internal/testlines
//
// Imports: the standard library only.
package main
