// Package lanes is the Threads view without a toolkit: one lane per subject
// thread with the core it ran on, sample by sample, and the spans of its
// tasks, painted into an image that the window and tests can both use.
package lanes
