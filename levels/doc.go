// Package levels stores a fraction 0..1, such as one core's load over one
// sampling tick, in one byte. A recording of 256 cores at 10 Hz keeps
// hundreds of thousands of these a minute; as float64 they would cost eight
// times the memory and disk for a precision no picture or figure uses.
//
// Imports: the standard library only.
package levels
