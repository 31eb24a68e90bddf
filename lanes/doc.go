// Package lanes is the Threads view without a toolkit: one lane per subject
// thread with the core it ran on, sample by sample, and the spans of its
// tasks, painted into an image that the window and tests can both use. A
// view shows as many lanes as it has room for, the last merging the rest,
// so a paint costs its pixels and the data in its window, however many
// threads the run had. Zoomed out, a pixel of a sampled lane shows the
// busiest of all its samples there, read from a pyramid of each lane's
// busiest sample by blocks of columns, so the samples cost a paint a few
// blocks a pixel, not their number. Ids and core numbers from a subject or
// a file are taken as they come, whatever their value.
//
// Imports: profile, spec, diagnosis (start-up processes), runtext (the fold's words).
package lanes
