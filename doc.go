// Command corescope is a desktop profiler that makes concurrency visible.
// With no arguments it opens the window; subcommands run headless (package cli).
package main
