// Package profiletest makes profiles for tests and benchmarks of the
// packages that read, draw and save them: long ones, the size of a real
// recording, without recording for an hour.
package profiletest
