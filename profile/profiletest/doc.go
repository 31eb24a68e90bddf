// Package profiletest makes profiles for tests and benchmarks of the
// packages that read, judge, word, draw and save them: long ones, the size
// of a real recording, without recording for an hour (OneHour), and small
// ones with chosen figures (Model, Command, WithThreads).
//
// Imports: profile, spec, levels.
package profiletest
