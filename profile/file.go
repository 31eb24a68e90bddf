package profile

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"corescope/atomicfile"
	"corescope/levels"
	"corescope/spec"
)

// Format names the file format version Encode writes. Decode reads it and
// formatV1, the format before it, whose frames held float arrays.
const Format = "corescope/v2"

// formatV1 is the first format: per-core values as arrays of fractions,
// with user and system rows besides busy.
const formatV1 = "corescope/v1"

// File is the top level of a profile file.
type File struct {
	Format   string     `json:"format"`
	Profiles []*Profile `json:"profiles"`
}

// Encode writes ps as one corescope/v2 document: compact JSON with each
// profile on a line of its own, which tools can split. A frame's per-core
// rows are base64, one byte a core (see levels.Row), so an hour of 256
// cores at 10 Hz stays a file of some 37 MB (36.5 MB with a 4-thread subject).
func Encode(w io.Writer, ps []*Profile) error {
	bw := bufio.NewWriter(w)
	format, _ := json.Marshal(Format)
	fmt.Fprintf(bw, "{\"format\": %s,\n\"profiles\": [", format)
	for i, p := range ps {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("profile %d (%s): %w", i+1, p.Label, err)
		}
		bw.WriteByte('\n')
		bw.Write(b)
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// Save writes ps to path whole or not at all.
func Save(path string, ps []*Profile) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Encode(w, ps) })
}

// Decode reads a corescope/v2 or corescope/v1 document. A file of another
// format version, a broken file and a profile that contradicts itself give
// an error that says which.
//
// The document is read as a stream, one profile at a time, so an hour of
// 256 cores (some 37 MB) is scanned once and never held as text whole.
// "format" comes first in every file corescope writes; a file edited to
// put it after "profiles" is still read, its profiles held as text until
// the format is known.
func Decode(r io.Reader) ([]*Profile, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var (
		format string
		decode func(*json.Decoder) (*Profile, error)
		ps     = []*Profile{}
		early  json.RawMessage // the profiles, when read before the format
	)
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, notAProfile(err)
		}
		switch key {
		case "format":
			if err := dec.Decode(&format); err != nil {
				return nil, notAProfile(err)
			}
			if decode, err = decoderFor(format); err != nil {
				return nil, err
			}
		case "profiles":
			if decode == nil {
				if err := dec.Decode(&early); err != nil {
					return nil, notAProfile(err)
				}
				continue
			}
			if ps, err = decodeProfiles(dec, decode, ps); err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, notAProfile(err)
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, notAProfile(cmp.Or(err, errors.New("more data after the document's end")))
	}
	if decode == nil {
		return nil, errors.New(`not a corescope profile: no "format" field`)
	}
	if early != nil {
		return decodeProfiles(json.NewDecoder(bytes.NewReader(early)), decode, ps)
	}
	return ps, nil
}

// decoderFor is how a profile of format is read, or an error naming the
// formats this corescope reads.
func decoderFor(format string) (func(*json.Decoder) (*Profile, error), error) {
	switch format {
	case Format:
		return decodeV2, nil
	case formatV1:
		return decodeV1, nil
	}
	return nil, fmt.Errorf("unsupported profile format %q: this corescope reads %q and %q", format, Format, formatV1)
}

// decodeProfiles reads a JSON array of profiles from dec with decode,
// checks each and appends it to ps.
func decodeProfiles(dec *json.Decoder, decode func(*json.Decoder) (*Profile, error), ps []*Profile) ([]*Profile, error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	for dec.More() {
		n := len(ps) + 1
		p, err := decode(dec)
		if err != nil {
			if errors.As(err, new(*json.SyntaxError)) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, notAProfile(err)
			}
			return nil, fmt.Errorf("profile %d: %w", n, typeError(err))
		}
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("profile %d (%s): %w", n, p.Label, err)
		}
		ps = append(ps, p)
	}
	return ps, expectDelim(dec, ']')
}

// typeError words a value of the wrong JSON type as a *spec.FieldError
// naming the field and what it must be; other errors pass unchanged.
// encoding/json's own text names Go types ("levels.Level") and no
// allowed values.
func typeError(err error) error {
	var ute *json.UnmarshalTypeError
	if !errors.As(err, &ute) || ute.Field == "" { // a type's own decoder words its errors
		return err
	}
	allowed := "use a JSON " + jsonKind(ute.Type)
	if ute.Type == reflect.TypeFor[levels.Level]() || ute.Type == reflect.TypeFor[levels.Row]() {
		allowed = fmt.Sprintf("in %s, per-core loads are a base64 string, one byte a core (0..%d, %d = no sample)", Format, levels.Steps, levels.Missing)
	}
	return &spec.FieldError{Field: ute.Field, Value: ute.Value, Allowed: allowed}
}

// jsonKind is the JSON type a Go type is written as.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole number"
	}
	return "number"
}

// expectDelim reads the next token of dec, which must be delim.
func expectDelim(dec *json.Decoder, delim json.Delim) error {
	tok, err := dec.Token()
	switch {
	case err != nil:
		return notAProfile(err)
	case tok != delim:
		return notAProfile(fmt.Errorf("found %v where %q belongs", tok, string(delim)))
	}
	return nil
}

// notAProfile words an error of the document's JSON for the user, with
// the byte where the JSON breaks.
func notAProfile(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("not a corescope profile: broken JSON at byte %d: %w", syn.Offset, err)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("not a corescope profile: broken JSON: the file ends before the document does")
	}
	return fmt.Errorf("not a corescope profile: %w", err)
}

func decodeV2(dec *json.Decoder) (*Profile, error) {
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	return &p, nil
}

// profileV1 is a profile as corescope/v1 wrote it: the same but for its
// frames. Their outer fields hide the embedded ones of the same name.
type profileV1 struct {
	Profile
	Frames []frameV1 `json:"frames"`
}

// frameV1 is a frame of corescope/v1: per-core fractions as numbers. Its
// user and system rows are not read: frames no longer keep them.
type frameV1 struct {
	Frame
	Busy        []float64 `json:"busy"`
	SubjectBusy []float64 `json:"subject_busy"`
}

// decodeV1 reads a corescope/v1 profile, refusing fractions outside 0..1
// before they are quantised (which would clamp them).
func decodeV1(dec *json.Decoder) (*Profile, error) {
	var old profileV1
	if err := dec.Decode(&old); err != nil {
		return nil, err
	}
	p := old.Profile
	p.Frames = make([]Frame, len(old.Frames))
	for i, of := range old.Frames {
		for _, series := range []struct {
			field  string
			values []float64
		}{{"busy", of.Busy}, {"subject_busy", of.SubjectBusy}} {
			for core, v := range series.values {
				if !(v >= 0 && v <= 1) {
					return nil, fmt.Errorf("frame %d: %w", i+1, &spec.FieldError{Field: fmt.Sprintf("%s[%d]", series.field, core), Value: fmt.Sprint(v), Allowed: "use 0..1"})
				}
			}
		}
		f := of.Frame
		f.Busy = levels.Quantise(nil, of.Busy)
		if len(of.SubjectBusy) > 0 {
			f.SubjectBusy = levels.Quantise(nil, of.SubjectBusy)
		}
		p.Frames[i] = f
	}
	return &p, nil
}

// Load reads the profiles in path.
func Load(path string) ([]*Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ps, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ps, nil
}

// check refuses a profile whose parts do not fit together or whose values
// are out of range, so that the views can trust what they draw: profiles
// travel between people, and a file is input like any other. Every index a
// view takes from a profile is checked here against what it indexes: the
// cores of thread samples and slices against the run's, nodes against the
// frames. The spec gets the same defaults and validation as a run typed
// into the window. Task and worker ids are the subject's own, any int: the
// views take them as such.
func (p *Profile) check() error {
	if err := p.Machine.check(); err != nil {
		return fmt.Errorf("machine: %w", err)
	}
	cores, err := p.checkFrames()
	if err != nil {
		return err
	}
	if err := p.checkSlices(cores); err != nil {
		return err
	}
	for i, t := range p.Threads {
		if err := t.check(fmt.Sprintf("threads[%d]", i)); err != nil {
			return err
		}
	}
	if err := p.checkNodes(); err != nil {
		return err
	}
	if err := p.checkRepeat(); err != nil {
		return err
	}
	if p.Watched() {
		// No subject ran: the spec holds only the interval of the ticks.
		if p.Spec.Interval <= 0 {
			return &spec.FieldError{Field: "spec.interval", Value: p.Spec.Interval.D().String(), Allowed: "a watch's tick, longer than 0"}
		}
	} else {
		s, err := p.Spec.Resolve()
		if err != nil {
			return fmt.Errorf("spec: %w", err)
		}
		p.Spec = s
	}
	if err := p.Summary.check(); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	return nil
}

// MaxCores bounds the cores of one machine a profile may list (Linux
// supports 8192 today), so that a file cannot make a view size its
// pictures by a billion cores; a cluster lists its machines as nodes.
const MaxCores = 1 << 16

// check refuses core counts no machine has.
func (m *Machine) check() error {
	for _, v := range []struct {
		field string
		value int
	}{{"logical_cores", m.LogicalCores}, {"physical_cores", m.PhysicalCores}} {
		if v.value < 0 || v.value > MaxCores {
			return &spec.FieldError{Field: v.field, Value: fmt.Sprint(v.value), Allowed: fmt.Sprintf("use 0..%d", MaxCores)}
		}
	}
	return nil
}

// checkFrames refuses frames whose cores differ, that go back in time or
// hold values out of range, and returns the run's cores: every frame's,
// or without frames the machine's logical cores.
func (p *Profile) checkFrames() (cores int, err error) {
	cores = -1
	for i := range p.Frames {
		f := &p.Frames[i]
		switch {
		case cores >= 0 && len(f.Busy) != cores:
			return 0, fmt.Errorf("frame %d has %d cores, frame 1 has %d", i+1, len(f.Busy), cores)
		case len(p.Nodes) == 0 && len(f.Busy) > MaxCores:
			return 0, fmt.Errorf("frame %d has %d cores; one machine has at most %d (a cluster lists its machines as nodes)", i+1, len(f.Busy), MaxCores)
		}
		cores = len(f.Busy)
		if len(f.SubjectBusy) != 0 && len(f.SubjectBusy) != cores {
			return 0, fmt.Errorf("frame %d: busy and subject_busy differ in length", i+1)
		}
		if i > 0 && f.T < p.Frames[i-1].T {
			return 0, fmt.Errorf("frame %d goes back in time", i+1)
		}
		if err := f.check(); err != nil {
			return 0, fmt.Errorf("frame %d: %w", i+1, err)
		}
	}
	if cores < 0 {
		return p.Machine.LogicalCores, nil
	}
	return cores, nil
}

// checkSlices refuses slices that end before they start, and slices of
// threads or cores the run cannot have.
func (p *Profile) checkSlices(cores int) error {
	if p.SlicesDropped < 0 {
		return &spec.FieldError{Field: "slices_dropped", Value: fmt.Sprint(p.SlicesDropped), Allowed: "use 0 or more"}
	}
	for i, s := range p.Slices {
		field := fmt.Sprintf("slices[%d]", i)
		if !(s.Start >= 0 && s.End >= s.Start) {
			return &spec.FieldError{Field: field, Value: fmt.Sprintf("from %g s to %g s", s.Start, s.End),
				Allowed: "a slice ends after it starts, at or after 0 s"}
		}
		if err := cmp.Or(checkIDs(field, s.PID, s.TID), checkCore(field+".cpu", s.CPU, cores, false),
			oneOf(field+".end", s.Ended, "", SlicePreempted, SliceBlocked, SliceExited)); err != nil {
			return err
		}
	}
	return nil
}

// oneOf is a *spec.FieldError unless v is one of allowed ("" for absent).
func oneOf(field, v string, allowed ...string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	var words []string
	for _, a := range allowed {
		if a != "" {
			words = append(words, strconv.Quote(a))
		}
	}
	return &spec.FieldError{Field: field, Value: strconv.Quote(v), Allowed: "use " + strings.Join(words, ", ") + " or leave it out"}
}

// maxWord bounds a name a file gives a system call, a lock or a reason:
// the views print them, and a name is a word, not a page.
const maxWord = 64

// checkWord refuses a name longer than maxWord bytes.
func checkWord(field, v string) error {
	if len(v) <= maxWord {
		return nil
	}
	return &spec.FieldError{Field: field, Value: fmt.Sprintf("%d bytes", len(v)), Allowed: fmt.Sprintf("use at most %d bytes", maxWord)}
}

// checkText refuses a sentence longer than 1 KiB.
func checkText(field, v string) error {
	if len(v) <= 1024 {
		return nil
	}
	return &spec.FieldError{Field: field, Value: fmt.Sprintf("%d bytes", len(v)), Allowed: "use at most 1024 bytes"}
}

// checkCount refuses a count outside 0..most.
func checkCount(field string, v, most int) error {
	if v >= 0 && v <= most {
		return nil
	}
	return &spec.FieldError{Field: field, Value: fmt.Sprint(v), Allowed: fmt.Sprintf("use 0..%d", most)}
}

// checkIDs refuses a negative process or thread id of the thing field names.
func checkIDs(field string, pid, tid int) error {
	switch {
	case pid < 0:
		return &spec.FieldError{Field: field + ".pid", Value: fmt.Sprint(pid), Allowed: "use a process id, 0 or more"}
	case tid < 0:
		return &spec.FieldError{Field: field + ".tid", Value: fmt.Sprint(tid), Allowed: "use a thread id, 0 or more"}
	}
	return nil
}

// checkCore refuses a core number that is not one of the run's cores
// (0..cores-1), or -1 where unknown is allowed.
func checkCore(field string, core, cores int, unknown bool) error {
	if core >= 0 && core < cores || unknown && core == -1 {
		return nil
	}
	var allowed string
	switch {
	case cores > 0 && unknown:
		allowed = fmt.Sprintf("use -1 (not known) or 0..%d, the run's cores", cores-1)
	case cores > 0:
		allowed = fmt.Sprintf("use 0..%d, the run's cores", cores-1)
	case unknown:
		allowed = "use -1 (not known): the run lists no cores"
	default:
		allowed = "the run lists no cores"
	}
	return &spec.FieldError{Field: field, Value: fmt.Sprint(core), Allowed: allowed}
}

// check refuses negative ids, times and counts of the thread field names.
func (t *Thread) check(field string) error {
	if err := cmp.Or(checkIDs(field, t.PID, t.TID), nonNegative(field+".on_cpu_s", t.OnCPUS)); err != nil {
		return err
	}
	for _, v := range []struct {
		field string
		value int
	}{{".switches", t.Switches}, {".migrations", t.Migrations}} {
		if v.value < 0 {
			return &spec.FieldError{Field: field + v.field, Value: fmt.Sprint(v.value), Allowed: "use 0 or more"}
		}
	}
	return nil
}

// check refuses figures no measurement can give.
func (s *Summary) check() error {
	for _, v := range []struct {
		field string
		value float64
	}{
		{"wall_s", s.WallS}, {"cpu_s", s.CPUS}, {"cores_used", s.CoresUsed},
		{"machine_busy_cores", s.MachineBusyCores}, {"peak_busy_cores", s.PeakBusyCores},
		{"self_cpu_s", s.SelfCPUS}, {"self_cores", s.SelfCores}, {"gil_hold_s", s.GILHoldS}, {"gil_wait_s", s.GILWaitS},
		{"subject_start_s", s.SubjectStartS}, {"subject_end_s", s.SubjectEndS},
	} {
		if err := nonNegative(v.field, v.value); err != nil {
			return err
		}
	}
	for _, g := range s.GILThreads {
		if err := cmp.Or(nonNegative("gil_threads.hold_s", g.HoldS), nonNegative("gil_threads.wait_s", g.WaitS)); err != nil {
			return err
		}
	}
	if s.Speedup != nil && !(*s.Speedup > 0 && !math.IsInf(*s.Speedup, 0)) {
		return &spec.FieldError{Field: "speedup", Value: fmt.Sprint(*s.Speedup), Allowed: "use a positive number or null"}
	}
	for _, v := range []struct {
		field string
		value int
	}{{"threads", s.Threads}, {"procs", s.Procs}, {"tasks_done", s.TasksDone}} {
		if v.value < 0 {
			return &spec.FieldError{Field: v.field, Value: fmt.Sprint(v.value), Allowed: "use 0 or more"}
		}
	}
	if q := s.CPUQuotaCores; q != nil && !(*q > 0 && *q <= MaxCores) {
		return &spec.FieldError{Field: "cpu_quota_cores", Value: fmt.Sprint(*q), Allowed: fmt.Sprintf("use a number of cores above 0, up to %d, or leave it out", MaxCores)}
	}
	if err := cmp.Or(checkCount("allowed_cores", s.AllowedCores, MaxCores), checkWord("cpu_quota_group", s.CPUQuotaGroup),
		checkCount("quota_periods", s.QuotaPeriods, math.MaxInt32), checkCount("throttled_periods", s.ThrottledPeriods, math.MaxInt32),
		nonNegative("throttled_s", s.ThrottledS)); err != nil {
		return err
	}
	if s.Scaling != nil {
		if err := s.Scaling.check(); err != nil {
			return err
		}
	}
	return s.checkFindings()
}

// checkFindings refuses phases that end before they start or hold
// negative times, and reasons of no phase or with figures no measurement
// gives.
func (s *Summary) checkFindings() error {
	for i, ph := range s.Phases {
		field := fmt.Sprintf("phases[%d]", i)
		if !(ph.StartS >= 0 && ph.EndS >= ph.StartS && !math.IsInf(ph.EndS, 1)) {
			return &spec.FieldError{Field: field, Value: fmt.Sprintf("from %g s to %g s", ph.StartS, ph.EndS),
				Allowed: "a phase ends after it starts, at or after 0 s"}
		}
		if err := cmp.Or(nonNegative(field+".cores_used", ph.CoresUsed), checkCount(field+".busy_threads", ph.BusyThreads, math.MaxInt32),
			nonNegative(field+".on_core_s", ph.OnCoreS), nonNegative(field+".runnable_s", ph.RunnableS), nonNegative(field+".blocked_s", ph.BlockedS)); err != nil {
			return err
		}
		for kind, v := range ph.BlockedBy {
			if err := cmp.Or(checkWord(field+".blocked_by", kind), nonNegative(field+".blocked_by."+kind, v)); err != nil {
				return err
			}
		}
	}
	for i, r := range s.Reasons {
		field := fmt.Sprintf("reasons[%d]", i)
		if r.Name == "" {
			return &spec.FieldError{Field: field + ".name", Value: `""`, Allowed: "name the reason"}
		}
		if r.Phase < -1 || r.Phase >= len(s.Phases) {
			return &spec.FieldError{Field: field + ".phase", Value: fmt.Sprint(r.Phase), Allowed: fmt.Sprintf("use -1 (the whole run) or a phase, 0..%d", len(s.Phases)-1)}
		}
		if err := cmp.Or(checkWord(field+".name", r.Name), checkWord(field+".evidence", r.Evidence), checkText(field+".missing", r.Missing)); err != nil {
			return err
		}
		for name, v := range r.Figures {
			if err := checkWord(field+".figures", name); err != nil {
				return err
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return &spec.FieldError{Field: field + ".figures." + name, Value: fmt.Sprint(v), Allowed: "use a finite number"}
			}
		}
	}
	return nil
}

// check refuses negative times and counts, and thread samples of no
// thread or of a core the frame does not have. Every byte of a per-core row
// is a level or levels.Missing, so the rows need no check of their own.
func (f *Frame) check() error {
	if err := nonNegative("t_s", f.T); err != nil {
		return err
	}
	if err := nonNegative("subject_cpu_s", f.SubjectCPU); err != nil {
		return err
	}
	if f.Threads < 0 || f.Procs < 0 || f.TasksDone < 0 {
		return &spec.FieldError{Field: "threads, procs and tasks_done", Value: "a negative count", Allowed: "use 0 or more"}
	}
	for i, s := range f.ThreadSamples {
		field := fmt.Sprintf("thread_samples[%d]", i)
		if err := cmp.Or(checkIDs(field, s.PID, s.TID), checkCore(field+".core", s.Core, len(f.Busy), true),
			nonNegative(field+".cpu_s", s.CPU), nonNegative(field+".runq_s", s.RunQS),
			oneOf(field+".state", s.State, "", StateRunning, StateBlocked),
			checkWord(field+".wait", s.Wait), checkWord(field+".lock", s.Lock)); err != nil {
			return err
		}
	}
	return cmp.Or(nonNegative("self_cpu_s", f.SelfCPU), checkCount("allowed_cores", f.AllowedCores, MaxCores),
		checkCount("quota_periods", f.QuotaPeriods, math.MaxInt32), checkCount("throttled_periods", f.ThrottledPeriods, math.MaxInt32),
		nonNegative("throttled_s", f.ThrottledS))
}

// nonNegative is a *spec.FieldError unless v is a finite number >= 0.
func nonNegative(field string, v float64) error {
	if v >= 0 && !math.IsInf(v, 1) {
		return nil
	}
	return &spec.FieldError{Field: field, Value: fmt.Sprint(v), Allowed: "use a number of 0 or more"}
}
