package report

import (
	"errors"
	"fmt"
	"image/png"
	"io"
	"unicode/utf8"

	"corescope/atomicfile"
	"corescope/profile"
)

// WriteCSV writes the CSV of ps (see CSV) to path.
func WriteCSV(path string, ps []*profile.Profile) error {
	return atomicfile.Write(path, func(w io.Writer) error { return CSV(w, ps) })
}

// WriteTrace writes the Chrome trace of ps (see Trace) to path.
func WriteTrace(path string, ps []*profile.Profile) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Trace(w, ps) })
}

// WritePNG renders the report of ps (see PNG) and writes it to path.
func WritePNG(path string, ps []*profile.Profile, opt Options) error {
	img, err := PNG(ps, opt)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return atomicfile.Write(path, func(w io.Writer) error { return enc.Encode(w, img) })
}

// errNoRuns is what every output says when it is given nothing to show.
var errNoRuns = errors.New("no runs to report")

// complete reports a missing (nil) run, which no output can show.
func complete(ps []*profile.Profile) error {
	for i, p := range ps {
		if p == nil {
			return fmt.Errorf("run %d is missing", i+1)
		}
	}
	return nil
}

// maxRepeatedName bounds, in bytes, a name the CSV and the trace repeat in
// every row or event (a run's label, a node's name, a thread's): a file
// can hold a label of megabytes, and a row a sample and core would repeat
// it (a 31 KB profile with a label of 10,000 bytes gave a 64 MB CSV).
const maxRepeatedName = 200

// clip is s when it is at most maxRepeatedName bytes; else as much of it
// as fits, cut at a rune, an ellipsis and tag, which keeps apart the names
// whose beginnings are alike (" (run 3)").
func clip(s, tag string) string {
	if len(s) <= maxRepeatedName {
		return s
	}
	n := max(0, maxRepeatedName-len(ellipsis)-len(tag))
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + ellipsis + tag
}
