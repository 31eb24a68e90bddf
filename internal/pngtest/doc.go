// Package pngtest reads PNG files that tests made: reports, exports and
// screenshots.
//
// Imports: the standard library only.
package pngtest
