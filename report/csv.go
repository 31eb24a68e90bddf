package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"corescope/profile"
	"corescope/runtext"
)

// CSV writes one row per sample and core of every run, after the header
// run,t_s,core,busy,user,system. run is the run's label (with its position
// when labels repeat, see runtext.Names); t_s is seconds since the run's
// recording started; busy, user and system are fractions 0..1, empty when
// the sample lacks them.
func CSV(w io.Writer, ps []*profile.Profile) error {
	if err := complete(ps); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"run", "t_s", "core", "busy", "user", "system"}); err != nil {
		return err
	}
	row := make([]string, 6)
	for i, name := range runtext.Names(ps) {
		row[0] = name
		for _, f := range ps[i].Frames {
			row[1] = strconv.FormatFloat(f.T, 'f', 3, 64)
			for c, busy := range f.Busy {
				row[2] = strconv.Itoa(c)
				row[3] = fraction(busy)
				row[4] = at(f.User, c)
				row[5] = at(f.System, c)
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// at formats v[i], or gives "" when v is too short.
func at(v []float64, i int) string {
	if i >= len(v) {
		return ""
	}
	return fraction(v[i])
}

// fraction formats a 0..1 fraction to 4 places, well below /proc/stat's
// 10 ms resolution.
func fraction(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
