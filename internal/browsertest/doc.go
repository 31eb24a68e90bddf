// Package browsertest drives a headless Chromium for tests of what
// corescope writes for browsers (the HTML report): it opens a page, runs
// JavaScript in it, sends the mouse and keys, takes screenshots, and
// gathers what the page logged as errors. It speaks the Chrome DevTools
// Protocol over a pipe, with the standard library only.
//
// Imports: none of the project's.
package browsertest
