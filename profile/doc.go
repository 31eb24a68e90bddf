// Package profile is a recorded run as data: Profile, its Frames, Threads,
// Slices, Nodes and Summary, the figures a profile gives of itself (a
// node's row, the cluster's mean and peak), and the corescope/v2 JSON file
// format (Encode, Decode, Save, Load), which also reads corescope/v1 and
// refuses a file whose parts do not fit together. It records nothing:
// package recorder makes profiles.
//
// Imports: spec, levels, atomicfile (and the standard library).
package profile
