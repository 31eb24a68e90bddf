package runtext

import (
	"fmt"
	"strings"
)

// Resolution says that the interpreter given as shim was resolved to the
// one it starts, real, which ran in its place: "python3 →
// /root/.pyenv/versions/3.11.7/bin/python3 (pyenv shim)"; "" when it was
// not (real is "").
func Resolution(shim, real string) string {
	if real == "" {
		return ""
	}
	return fmt.Sprintf("%s → %s (%s)", shim, real, ShimKind(shim))
}

// ShimKind says what a resolved interpreter path was, by where it lies:
// "pyenv shim", "asdf shim", "mise shim", or any other "wrapper".
func ShimKind(path string) string {
	for _, tool := range []string{"pyenv", "asdf", "mise", "rtx"} {
		if strings.Contains(path, "/."+tool+"/shims/") || strings.Contains(path, "/"+tool+"/shims/") {
			return tool + " shim"
		}
	}
	return "wrapper"
}
