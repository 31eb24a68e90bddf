// Command corescope is a desktop profiler that makes concurrency visible.
// With no arguments, or with profile files (paths or file:// URIs), it opens
// the window; subcommands run headless (package cli).
//
// Imports: app, cli, runners, assets, internal/cleanlocale (and Fyne's GL driver).
package main
