package cleanlocale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	locale := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = os.Getenv(v); locale != "" {
			break
		}
	}
	// "C" and "POSIX" alone Fyne handles; with an encoding it chokes on them.
	lang, _, hasEncoding := strings.Cut(locale, ".")
	if hasEncoding && (lang == "C" || lang == "POSIX") {
		os.Setenv("LANGUAGE", "en_US")
	}
}
