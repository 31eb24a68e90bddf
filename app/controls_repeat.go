package app

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2/widget"

	"corescope/runners"
	"corescope/spec"
)

// repeatItem is the Repeat row: how many times each run is measured, as
// compare --repeat; empty means spec.DefaultCompareRepeat for Compare all
// and one run otherwise, as compare and run do.
func (c *controls) repeatItem(do func(func()), changed func(string)) *widget.FormItem {
	c.repeat = newField(do)
	c.repeat.SetPlaceHolder("auto")
	c.repeat.Validator = func(text string) error {
		if _, err := runners.ParseRepeat(text, 1); err != nil {
			var fe *spec.FieldError
			if errors.As(err, &fe) {
				return errors.New(fe.Allowed)
			}
			return err
		}
		return nil
	}
	c.repeat.OnChanged = changed
	return &widget.FormItem{Text: "Repeat", Widget: c.repeat,
		HintText: fmt.Sprintf("runs of each; empty: %d, a single run 1", spec.DefaultCompareRepeat)}
}

// repeats is how many times each of runs specs is measured: the Repeat
// field's number, or its default for that many.
func (c *controls) repeats(runs int) (int, error) {
	def := 1
	if runs > 1 {
		def = spec.DefaultCompareRepeat
	}
	return runners.ParseRepeat(c.repeat.Text, def)
}
