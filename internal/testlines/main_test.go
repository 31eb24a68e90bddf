package main

import (
	"strings"
	"testing"
)

// TestSummarizeCountsWhatFailed: a package that did not build, one with a
// failed test and one that passed give exit 1 and a total that counts
// the failed test and the package that did not build (the total read "0
// failed" when a test file did not compile).
func TestSummarizeCountsWhatFailed(t *testing.T) {
	in := strings.Join([]string{
		`{"ImportPath":"m/a [m/a.test]","Action":"build-output","Output":"a_test.go:3:2: \"fmt\" imported and not used\n"}`,
		`{"ImportPath":"m/a [m/a.test]","Action":"build-fail"}`,
		`{"Action":"start","Package":"m/a"}`,
		`{"Action":"output","Package":"m/a","Output":"FAIL\tm/a [build failed]\n"}`,
		`{"Action":"fail","Package":"m/a","Elapsed":0}`,
		`{"Action":"run","Package":"m/b","Test":"TestX"}`,
		`{"Action":"output","Package":"m/b","Test":"TestX","Output":"    b_test.go:9: wrong\n"}`,
		`{"Action":"fail","Package":"m/b","Test":"TestX","Elapsed":0.1}`,
		`{"Action":"fail","Package":"m/b","Elapsed":0.2}`,
		`{"Action":"run","Package":"m/c","Test":"TestY"}`,
		`{"Action":"pass","Package":"m/c","Test":"TestY","Elapsed":0.1}`,
		`{"Action":"pass","Package":"m/c","Elapsed":0.2}`,
	}, "\n")
	var out strings.Builder
	if code := summarize(strings.NewReader(in), &out); code != 1 {
		t.Errorf("exit %d; want 1", code)
	}
	text := out.String()
	for _, want := range []string{"BUILD FAIL m/a", `"fmt" imported and not used`, "b_test.go:9: wrong",
		"3 packages, 1 tests passed, 0 skipped, 1 failed, 1 did not build, in "} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
}
