package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"corescope/runners"
	"corescope/spec"
)

// commandItem is the Command row: the command line, and under it, when
// the line holds shell syntax, the hint to wrap it in sh -c (runners.ShellHint,
// as the CLI says it), since the command runs without a shell.
func (c *controls) commandItem(changed func()) *widget.FormItem {
	c.shellHint = widget.NewLabel("")
	c.shellHint.Wrapping = fyne.TextWrapWord
	c.shellHint.Importance = widget.WarningImportance
	c.shellHint.Hide()
	c.command.OnChanged = func(string) { c.updateShellHint(); changed() }
	// Short enough for the sidebar: a longer hint was cut off.
	return &widget.FormItem{Text: "Command", Widget: container.NewVBox(c.command, c.shellHint), HintText: "program and args, no shell"}
}

// updateShellHint shows the hint for the command typed, or hides it.
func (c *controls) updateShellHint() {
	hint := runners.ShellHint(c.command.Text)
	if hint == c.shellHint.Text && c.shellHint.Visible() == (hint != "") {
		return
	}
	c.shellHint.SetText(hint)
	if hint == "" {
		c.shellHint.Hide()
	} else {
		c.shellHint.Show()
	}
}

// nameCommands names command runs by their script, as compare --cmd does
// (runners.CommandName: pool.py for "python3 pool.py"), where the spec has
// no name of its own.
func nameCommands(specs []spec.Spec, err error) ([]spec.Spec, error) {
	for i, s := range specs {
		if s.Backend == spec.BackendCommand && s.Name == "" {
			specs[i].Name = runners.CommandName(s.Command)
		}
	}
	return specs, err
}
