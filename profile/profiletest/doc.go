// Package profiletest makes profiles for tests and benchmarks of the
// packages that read, judge, word, draw and save them: long ones, the size
// of a real recording, without recording for an hour (OneHour), small ones
// with chosen figures (Model, Command, WithThreads), and runs told thread
// by thread (Timeline), made as exact attribution records them or as the
// samples alone give them; the runs the reasons are tested on (GILThreads,
// HandOver, Pool, QuotaPool, OneThread, Sleeper, ParallelPair, ZlibPinned,
// Phased) are Timelines.
//
// Imports: profile, spec, levels.
package profiletest
