package report

import (
	"errors"
	"fmt"
	"image/png"
	"io"

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
