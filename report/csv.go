package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
)

// CSV writes one row per sample and core of every run, after the header
// run,t_s,node,core,busy,subject_busy. run is the run's label, and which
// repeat of its group it is ("threads, repeat 2 of 3", see
// runtext.RunNames; an older file's runs that share a label numbered
// "cpu #2"); t_s is seconds since the
// run's recording started (the end of the sample's interval); node is the
// machine the core belongs to (host:port of its exporter, or for the machine
// corescope ran on its hostname, "local" when unknown) and core its number
// there, counted from 0 on each node; busy is the machine's load on the core
// and subject_busy the subject's own, fractions 0..1 to within
// levels.MaxError, empty where the sample lacks them (no subject measured, a
// node that gave no figure that tick, a core not measured). A run's or a
// node's name longer than maxRepeatedName bytes is clipped, with its
// position: "aaaa… (run 3)".
func CSV(w io.Writer, ps []*profile.Profile) error {
	if err := complete(ps); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"run", "t_s", "node", "core", "busy", "subject_busy"}); err != nil {
		return err
	}
	row := make([]string, 6)
	var coreNames []string // "0", "1", ...: a node's cores are numbered from 0
	for i, name := range runtext.RunNames(ps) {
		row[0] = clip(name, fmt.Sprintf(" (run %d)", i+1))
		layout := ps[i].NodeLayout()
		nodeNames := make([]string, len(layout))
		for k, n := range layout {
			nodeNames[k] = clip(n.Name, fmt.Sprintf(" (node %d)", k+1))
		}
		for _, f := range ps[i].Frames {
			row[1] = strconv.FormatFloat(f.T, 'f', 3, 64)
			for k, n := range layout {
				row[2] = nodeNames[k]
				for c := range n.Cores {
					for len(coreNames) <= c {
						coreNames = append(coreNames, strconv.Itoa(len(coreNames)))
					}
					row[3] = coreNames[c]
					row[4] = at(f.Busy, n.First+c)
					row[5] = at(f.SubjectBusy, n.First+c)
					if err := cw.Write(row); err != nil {
						return err
					}
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
	if i < 0 || i >= len(r) {
		return ""
	}
	return levelText[r[i]]
}

// levelText is each level's fraction as CSV writes it ("" for Missing): a
// CSV of 64 nodes of 64 cores over 10 minutes has 2.5 million of them.
var levelText = func() (t [256]string) {
	for l := range t {
		if v := levels.Level(l).Fraction(); !math.IsNaN(v) {
			t[l] = strconv.FormatFloat(v, 'f', 4, 64)
		}
	}
	return t
}()
