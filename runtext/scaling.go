package runtext

import (
	"fmt"
	"math"
	"strings"

	"corescope/profile"
	"corescope/scaling"
)

// ScaleHeads head a sweep's table (see ScaleCells).
var ScaleHeads = []string{"workers", "runs", "wall", "spread", "speedup", "efficiency", "fit", "held by"}

// ScaleCells are point pt's row in its sweep's table: its worker count,
// runs, median wall time and spread, speedup (± its spread) and
// efficiency, whether the law was fitted to it (and why not), and in a
// word what held it below the ideal (Bend says it in full). "-" where a
// figure was not measured.
func ScaleCells(pt profile.ScalePoint) []string {
	cells := []string{fmt.Sprint(pt.Workers), fmt.Sprint(pt.Runs), "-", "-", "-", "-", FitMark(pt), OrDash(bendWords[pt.Bend])}
	if pt.Runs > 0 {
		cells[2], cells[3] = Seconds(pt.WallS), "± "+Seconds(pt.WallSpreadS)
	}
	if pt.Speedup > 0 {
		cells[4] = fmt.Sprintf("%.2fx", pt.Speedup)
		if pt.SpeedupSpread > 0 {
			cells[4] += fmt.Sprintf(" ± %.2f", pt.SpeedupSpread)
		}
		cells[5] = fmt.Sprintf("%.0f%%", 100*pt.Efficiency)
	}
	return cells
}

// FitMark says whether the law was fitted to point pt, and why not:
// "fitted", "past the cores", "competed: left out"; a fitted point that
// other programs competed in is "fitted, competed".
func FitMark(pt profile.ScalePoint) string {
	switch {
	case pt.InFit && pt.Competed:
		return "fitted, competed"
	case pt.InFit:
		return "fitted"
	case pt.Speedup <= 0:
		return "-"
	case pt.PastCores:
		return "past the cores"
	case pt.Competed:
		return "competed: left out"
	}
	return "left out"
}

// bendWords name each bend in a table's cell.
var bendWords = map[string]string{
	profile.BendQuota: "a CPU quota", profile.BendAffinity: "its affinity", profile.BendGIL: "the GIL", profile.BendOneCore: "one at a time",
	profile.BendTasks: "too few tasks", profile.BendPastCores: "past the cores", profile.BendCompeted: "other programs",
	profile.BendStartup: "serial start-up", profile.BendWaiting: "waiting", profile.BendUndecided: "cannot tell", profile.BendOverhead: "overheads",
}

// Bend says what held point pt below the ideal, from its runs' own
// evidence, with the figures that show it; "" where it was not held.
func Bend(pt profile.ScalePoint) string {
	f := pt.BendFigures
	used := fmt.Sprintf("%.2f cores' worth of CPU", f["cores_used"])
	switch pt.Bend {
	case profile.BendQuota:
		return fmt.Sprintf("a CPU quota of %.2f cores (its cgroup's) is the ceiling: %s", f["quota_cores"], used)
	case profile.BendAffinity:
		return fmt.Sprintf("allowed %s (its CPU affinity: taskset or a cpuset), the ceiling: %s", Count(int(f["allowed_cores"]), "core"), used)
	case profile.BendGIL:
		return fmt.Sprintf("the GIL runs one thread's Python at a time: %s, one core's worth at most whatever the workers", used)
	case profile.BendOneCore:
		return fmt.Sprintf("one at a time, as its model or a lock lets them: %s", used)
	case profile.BendTasks:
		return fmt.Sprintf("only %s: the workers past them had nothing to do", Count(int(f["tasks"]), "task"))
	case profile.BendPastCores:
		return fmt.Sprintf("past the %s: the workers are squeezed onto them (%s), which measures the machine, not the law", Count(int(f["cores"]), "core"), used)
	case profile.BendCompeted:
		return fmt.Sprintf("other programs kept %.2f cores busy: it got %s", f["others_busy_cores"], used)
	case profile.BendStartup:
		return fmt.Sprintf("a serial start-up of %s (%.0f%% of the run): Amdahl's serial part", Seconds(f["startup_s"]), 100*f["share"])
	case profile.BendWaiting:
		return fmt.Sprintf("its workers waited, on I/O or on each other: %s", used)
	case profile.BendUndecided:
		return fmt.Sprintf("%s; what held it, its evidence cannot tell (its run's reasons say what is missing)", used)
	case profile.BendOverhead:
		return fmt.Sprintf("%s, with no limit, lock or competition in its evidence: the law's contention and coherency", used)
	}
	return ""
}

// Bends says why a sweep's curve bends: each cause its points' evidence
// names, from the first worker count it held: "from 2 workers, the GIL
// runs one thread's Python at a time: ...". "" when no point was held.
func Bends(sw *scaling.Sweep) string {
	var parts []string
	seen := map[string]bool{}
	for _, pt := range sw.Points {
		if pt.Bend == "" || seen[pt.Bend] {
			continue
		}
		seen[pt.Bend] = true
		parts = append(parts, fmt.Sprintf("from %s, %s", Count(pt.Workers, "worker"), Bend(pt)))
	}
	return strings.Join(parts, "; ")
}

// FitLine says a sweep's fitted law in one line: "Amdahl: serial fraction
// 0.12 ± 0.02; USL: σ 0.08, κ 0.002, peak at 20 workers (4.1x); projected
// 3.1x ± 0.2 at 8 cores (a projection from 2 measured cores)", or why
// there is no fit.
func FitLine(sw *scaling.Sweep) string {
	f := sw.Fit
	if f == nil {
		return noFit(sw)
	}
	serial := "Amdahl"
	if sw.Weak {
		serial = "Gustafson"
	}
	line := fmt.Sprintf("%s: serial fraction %s", serial, plusMinus(f.SerialFraction, f.SerialSpread))
	line += "; USL: σ " + figure(f.Sigma)
	switch {
	case f.Kappa == nil:
		line += fmt.Sprintf(", κ not measured (it needs two worker counts above 1 within the %s)", Count(f.Cores, "core"))
	case f.PeakWorkers > 0:
		line += fmt.Sprintf(", κ %s, peak at %s workers (%.2fx)", figure(*f.Kappa), figure(f.PeakWorkers), f.PeakSpeedup)
	default:
		line += fmt.Sprintf(", κ %s", figure(*f.Kappa))
	}
	if f.PeakWorkers == 1 {
		line += "; it never rises above 1 worker's speed"
	}
	for _, pr := range f.Projection {
		if pr.Cores == scaling.ProjectionShown*f.Cores {
			line += fmt.Sprintf("; projected %.2fx", pr.Speedup)
			if e := (pr.High - pr.Low) / 2; e > 0 {
				line += fmt.Sprintf(" ± %.2f", e)
			}
			line += fmt.Sprintf(" at %s (a projection from %s measured)", Count(pr.Cores, "core"), Count(f.Cores, "core"))
		}
	}
	return line
}

// FitNote says what the fit stands on: its points, misfit and band, and
// the points it left out.
func FitNote(sw *scaling.Sweep) string {
	f := sw.Fit
	if f == nil {
		return ""
	}
	note := fmt.Sprintf("fitted to %s within %s", Count(f.Points, "worker count"), Count(f.Cores, "core"))
	if coefficients := 1 + boolInt(f.Kappa != nil); f.Points-1 > coefficients {
		note += fmt.Sprintf("; misfit (RMSE) %.3f", f.USLRMSE)
	} else {
		note += ", exactly through them: no point to spare measures the misfit"
	}
	switch f.Band {
	case scaling.BandRepeats:
		note += "; ± is one standard error, from the repeats' spread"
	case scaling.BandResiduals:
		note += "; ± is one standard error, from the points' scatter about the law"
	default:
		note += "; no ±: with one run a count, nothing measures the error"
	}
	var past, competed, fittedCompeted []string
	for _, pt := range sw.Points {
		switch {
		case pt.InFit && pt.Competed:
			fittedCompeted = append(fittedCompeted, fmt.Sprint(pt.Workers))
		case pt.InFit || pt.Speedup <= 0:
		case pt.PastCores:
			past = append(past, fmt.Sprint(pt.Workers))
		case pt.Competed:
			competed = append(competed, fmt.Sprint(pt.Workers))
		}
	}
	if len(past) > 0 {
		note += fmt.Sprintf("; left out past the cores: %s workers", strings.Join(past, ", "))
	}
	if len(competed) > 0 {
		note += fmt.Sprintf("; left out as other programs competed: %s workers", strings.Join(competed, ", "))
	}
	if len(fittedCompeted) > 0 {
		note += fmt.Sprintf("; other programs competed at %s workers: the fit measures them as much as the program (corescope scale --skip-competed leaves such counts out)",
			strings.Join(fittedCompeted, ", "))
	}
	return note
}

// boolInt is 1 for true, 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// noFit says why a sweep has no fitted law.
func noFit(sw *scaling.Sweep) string {
	if len(sw.Points) == 0 || sw.Points[0].Workers != 1 || sw.Points[0].Runs == 0 {
		return "no fit: every speedup is measured against a run of 1 worker, and none ended well"
	}
	return "no fit: no worker count above 1 within the cores was left to fit"
}

// ScaleTitle says what a sweep ran and how: "processes, cpu workload, 20
// tasks, size 1: 1, 2 and 4 workers, strong scaling (the same work at
// every count)"; a command is named by its runs' label ("pool.py"), as its
// line differs from count to count.
func ScaleTitle(sw *scaling.Sweep) string {
	var what string
	for i, runs := range sw.Runs {
		if len(runs) == 0 {
			continue
		}
		s := runs[0].Spec
		what = Workload(s)
		switch {
		case s.Backend.Builtin():
			what = string(s.Model) + ", " + what
		default:
			what = strings.TrimSuffix(Label(runs[0]), fmt.Sprintf(" ×%d", sw.Counts[i]))
		}
		break
	}
	counts := make([]string, len(sw.Counts))
	for i, n := range sw.Counts {
		counts[i] = fmt.Sprint(n)
	}
	how := "strong scaling (the same work at every count)"
	if sw.Weak {
		how = "weak scaling (the work grows with the workers: speedups are scaled)"
	}
	return fmt.Sprintf("%s: %s workers, %s", what, list(counts), how)
}

// list joins words as a sentence does: "1, 2 and 4".
func list(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// plusMinus writes v ± e in figures that fit e's size: "0.12 ± 0.02"; v
// alone when e is 0.
func plusMinus(v, e float64) string {
	if !(e > 0) {
		return figure(v)
	}
	digits := max(0, min(6, 1-int(math.Floor(math.Log10(e)))))
	return fmt.Sprintf("%.*f ± %.*f", digits, v, digits, e)
}

// figure writes a coefficient in 2 significant figures, at least 2
// decimals: 0.08, 0.0021, 20.
func figure(v float64) string {
	if v == 0 {
		return "0"
	}
	digits := max(2, min(8, 1-int(math.Floor(math.Log10(math.Abs(v))))))
	if math.Abs(v) >= 10 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.*f", digits, v)
}
