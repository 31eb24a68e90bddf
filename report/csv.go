package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
)

// CSV writes one row per sample and core of every run, after the header
// run,t_s,core,busy,subject_busy. run is the run's label (with its position
// when labels repeat, see runtext.Names); t_s is seconds since the run's
// recording started (the end of the sample's interval); busy is the whole
// machine's load on the core and subject_busy the subject's own, fractions
// 0..1 to within levels.MaxError, empty where the sample lacks them (no
// subject measured, a core not measured that tick).
func CSV(w io.Writer, ps []*profile.Profile) error {
	if err := complete(ps); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"run", "t_s", "core", "busy", "subject_busy"}); err != nil {
		return err
	}
	row := make([]string, 5)
	for i, name := range runtext.Names(ps) {
		row[0] = name
		for _, f := range ps[i].Frames {
			row[1] = strconv.FormatFloat(f.T, 'f', 3, 64)
			for c := range f.Busy {
				row[2] = strconv.Itoa(c)
				row[3] = at(f.Busy, c)
				row[4] = at(f.SubjectBusy, c)
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// at formats core i's fraction in r to 4 places, finer than a level's
// step (1/254), or gives "" when r lacks it.
func at(r levels.Row, i int) string {
	if v := r.At(i); !math.IsNaN(v) {
		return strconv.FormatFloat(v, 'f', 4, 64)
	}
	return ""
}
