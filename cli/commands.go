package cli

import (
	"flag"
	"io"

	"corescope/nodes"
	"corescope/spec"
)

// Command is one of the CLI's commands as its man page and shell completions
// describe it (internal/gendocs writes them). Its flags are defined by the
// same functions the command parses its arguments with, so what those files
// offer cannot drift from what the program accepts.
type Command struct {
	Name string // "run"; "corescope" for the program itself (Root)
	// Synopsis is what --help prints above the flags: "Usage:" lines, a
	// blank line, then what the command does.
	Synopsis string
	Flags    *flag.FlagSet
	Args     Args
}

// Args says what a command's positional arguments are.
type Args int

const (
	NoArgs      Args = iota
	ProfileArgs      // saved profiles: FILE.json...
	CommandArgs      // a command line to run, after --
)

// Commands lists the subcommands in the order the usage shows them, each with
// its flags bound to throwaway values.
func Commands() []Command {
	record := func(name string, args Args) Command {
		return Command{name, recordSynopses[name], recordFlags(name, io.Discard, new(specFlags), new(outputs), new(listFlag)), args}
	}
	return []Command{
		record("run", NoArgs),
		record("compare", NoArgs),
		record("record", CommandArgs),
		{"scale", scaleSynopsis, scaleFlags(io.Discard, new(scaleInput), new(outputs)), NoArgs},
		{"watch", watchSynopsis, watchFlags(io.Discard, new(listFlag), new(string), new(string), new(outputs)), NoArgs},
		{"report", reportSynopsis, reportFlags(io.Discard, new(outputs), new(nodes.HistoryQuery), new(historyWindow)), ProfileArgs},
		{"models", modelsSynopsis, newFlagSet("corescope models", modelsSynopsis, io.Discard), NoArgs},
	}
}

// Root is corescope without a subcommand: its Synopsis is the usage, and its
// flags are the window's (which main reads) and --version. Every command,
// this one too, also takes --help.
func Root() Command {
	fs := flag.NewFlagSet("corescope", flag.ContinueOnError)
	fs.Bool("demo", false, "open the window and compare every model on a small CPU-bound workload")
	fs.Bool("exit", false, "with --demo: quit when the comparison is done")
	fs.Bool("version", false, "print the version and the commit it was built from")
	return Command{"corescope", usageText, fs, ProfileArgs}
}

// Choices are the values a flag takes when they are few enough to offer;
// list is true when it takes several, comma-separated (compare --models).
func Choices(flagName string) (values []string, list bool) {
	switch flagName {
	case "workload":
		return names(spec.Workloads), false
	case "model", "models":
		return names(spec.Models), flagName == "models"
	case "backend":
		return []string{string(spec.BackendGo), string(spec.BackendPython)}, false
	case "start-method":
		return spec.StartMethods, false
	}
	return nil, false
}

// Repeatable reports whether f may be given several times, each adding a
// value (--node, --cmd).
func Repeatable(f *flag.Flag) bool {
	_, ok := f.Value.(*listFlag)
	return ok
}

func names[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
