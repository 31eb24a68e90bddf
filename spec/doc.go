// Package spec is the vocabulary every layer of corescope shares: what a
// run is (Spec: backend, workload, model, tasks, workers, size, latency,
// interval, the command), its defaults and limits (Resolve, Validate), a
// bad value named with its field and what is allowed (FieldError,
// Problems), and the event lines a subject writes on its stdout (Event,
// ParseEvent). It runs nothing and measures nothing: runners runs specs,
// the recorder samples them, profiles keep them, and the views word them.
//
// Imports: the standard library only.
package spec
