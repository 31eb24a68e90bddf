package main

import (
	"flag"
	"fmt"
	"regexp"
	"strings"

	"corescope/cli"
)

// program is what the man page and the completions describe: corescope
// itself and its subcommands, read from the CLI's own definitions.
type program struct {
	version string
	tagline string  // the usage's first line: "see how a program uses your cores"
	forms   []form  // the usage's ways to call corescope
	root    command // corescope without a subcommand
	cmds    []command
}

// form is one way to call corescope, as the usage shows it.
type form struct{ call, does string }

// command is a subcommand (or the program itself, for root).
type command struct {
	name    string
	usage   []string // its synopsis' "Usage:" lines, without the word
	about   []string // its synopsis' paragraphs after them
	summary string   // what the usage says it does, for completion menus
	options []option
	args    cli.Args
}

// option is one flag, and what its value is.
type option struct {
	name, arg, help, def string
	value                valueKind
	choices              []string
	repeat               bool
}

type valueKind int

const (
	noValue     valueKind = iota // a switch: --demo
	anyValue                     // a number, a duration, a URL: nothing to offer
	fileValue                    // a path
	choiceValue                  // one of choices
	listValue                    // several of choices, comma-separated
)

// usageForm is a line of the usage that shows a way to call corescope: the
// call, then two spaces or more, then what it does (or that on the next lines).
var usageForm = regexp.MustCompile(`^  (corescope(?: \S+)*)(?:\s{2,}(.*))?$`)

// describe reads the program from cli's definitions. It fails on a usage or
// synopsis it cannot read, so that a change there is seen here.
func describe(version string) (*program, error) {
	root := cli.Root()
	p := &program{version: version}
	lines := strings.Split(root.Synopsis, "\n")
	name, tagline, ok := strings.Cut(lines[0], ": ")
	if !ok || name != "corescope" {
		return nil, fmt.Errorf("the usage's first line is %q; want \"corescope: what it does.\"", lines[0])
	}
	p.tagline = strings.TrimSuffix(tagline, ".")
	if err := p.readForms(lines[1:]); err != nil {
		return nil, err
	}
	var err error
	p.root = command{name: root.Name, options: options(root.Flags), args: root.Args}
	for _, c := range cli.Commands() {
		cmd := command{name: c.Name, options: options(c.Flags), args: c.Args}
		if cmd.usage, cmd.about, err = splitSynopsis(c); err != nil {
			return nil, err
		}
		if cmd.summary = p.does(c.Name); cmd.summary == "" {
			return nil, fmt.Errorf("the usage has no line for corescope %s", c.Name)
		}
		p.cmds = append(p.cmds, cmd)
	}
	return p, nil
}

// readForms reads the usage's "Usage:" block: each call, and what it does,
// which may go on over the lines below it.
func (p *program) readForms(lines []string) error {
	in := false
	for _, line := range lines {
		switch m := usageForm.FindStringSubmatch(line); {
		case line == "Usage:":
			in = true
		case !in:
		case line == "":
			in = false
		case m != nil:
			p.forms = append(p.forms, form{m[1], m[2]})
		case len(p.forms) > 0 && strings.HasPrefix(line, "   "):
			f := &p.forms[len(p.forms)-1]
			f.does = strings.TrimSpace(f.does + " " + strings.TrimSpace(line))
		default:
			return fmt.Errorf("the usage's line %q is neither a call nor its description", line)
		}
	}
	for _, f := range p.forms {
		if f.does == "" {
			return fmt.Errorf("the usage does not say what %q does", f.call)
		}
	}
	if len(p.forms) == 0 {
		return fmt.Errorf("the usage has no Usage: block")
	}
	return nil
}

// does is what the usage's first line for the subcommand says it does.
func (p *program) does(name string) string {
	for _, f := range p.forms {
		if strings.HasPrefix(f.call+" ", "corescope "+name+" ") {
			return f.does
		}
	}
	return ""
}

// splitCall parts a call into the command's name, with its subcommand,
// and its arguments.
func (p *program) splitCall(call string) (name, args string) {
	name, args, _ = strings.Cut(call, " ")
	if sub, rest, _ := strings.Cut(args, " "); p.command(sub) != nil {
		return name + " " + sub, rest
	}
	return name, args
}

// command is the subcommand called name, nil when there is none.
func (p *program) command(name string) *command {
	for i := range p.cmds {
		if p.cmds[i].name == name {
			return &p.cmds[i]
		}
	}
	return nil
}

// splitSynopsis parts a command's synopsis into its usage lines and the
// paragraphs after them.
func splitSynopsis(c cli.Command) (usage, about []string, err error) {
	paras := strings.Split(c.Synopsis, "\n\n")
	for i, line := range strings.Split(paras[0], "\n") {
		call := strings.TrimSpace(strings.TrimPrefix(line, "Usage:"))
		if i == 0 && !strings.HasPrefix(line, "Usage: corescope "+c.Name) {
			return nil, nil, fmt.Errorf("corescope %s's synopsis starts %q; want \"Usage: corescope %s\"", c.Name, line, c.Name)
		}
		if strings.HasPrefix(call, "corescope ") || len(usage) == 0 {
			usage = append(usage, call)
		} else { // a call that goes on over a second line
			usage[len(usage)-1] += " " + call
		}
	}
	for _, para := range paras[1:] {
		about = append(about, strings.Join(strings.Fields(para), " "))
	}
	return usage, about, nil
}

// options lists fs's flags in its order (by name), with what their values are.
func options(fs *flag.FlagSet) []option {
	var opts []option
	fs.VisitAll(func(f *flag.Flag) {
		arg, help := flag.UnquoteUsage(f)
		o := option{name: f.Name, arg: arg, help: help, def: f.DefValue, repeat: cli.Repeatable(f)}
		choices, list := cli.Choices(f.Name)
		switch b, isBool := f.Value.(interface{ IsBoolFlag() bool }); {
		case isBool && b.IsBoolFlag():
			o.value, o.arg, o.def = noValue, "", ""
		case list:
			o.value, o.choices = listValue, choices
		case choices != nil:
			o.value, o.choices = choiceValue, choices
		case arg == "FILE" || arg == "PATH":
			o.value = fileValue
		default:
			o.value = anyValue
		}
		opts = append(opts, o)
	})
	return opts
}

// takesValue reports whether the option reads the next word as its value.
func (o option) takesValue() bool { return o.value != noValue }

// allOptions are every value-taking option of every command, each name
// once: the completions complete a value by its flag's name alone. Two
// commands' flags of one name must take the same kind of value.
func (p *program) allOptions() ([]option, error) {
	var all []option
	seen := map[string]option{}
	for _, c := range append([]command{p.root}, p.cmds...) {
		for _, o := range c.options {
			if !o.takesValue() {
				continue
			}
			if prev, ok := seen[o.name]; ok {
				if prev.value != o.value {
					return nil, fmt.Errorf("--%s takes different kinds of value in different commands", o.name)
				}
				continue
			}
			seen[o.name] = o
			all = append(all, o)
		}
	}
	return all, nil
}
