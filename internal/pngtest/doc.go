// Package pngtest reads PNG files that tests made: reports, exports and
// screenshots.
package pngtest
