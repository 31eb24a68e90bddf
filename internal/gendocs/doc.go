// Command gendocs writes corescope's man page and its bash, zsh and fish
// completions from the CLI's own definitions (cli.Commands, cli.Root,
// cli.Choices), so that they cannot drift from what the program accepts:
// a new flag, command, model or workload is in them at the next build.
// make stage-linux runs it:
//
//	go run ./internal/gendocs -version 0.1.0 -out DIR
//
// DIR gets corescope.1, corescope.bash, _corescope (zsh) and corescope.fish.
//
// A generator beside the program rather than a `corescope completion`
// subcommand: the files belong to the release, which installs them where
// each shell looks, so the program needs no command users would only meet
// there; and it builds without cgo, in seconds, where the program's GL
// driver takes minutes.
package main
