package recorder

import "os"

// newProcessGroup refuses: Windows has no process groups, and ending every
// process of a run there takes a job object, which corescope does not make
// yet. Record returns this before it runs anything.
func newProcessGroup() (processGroup, error) { return nil, ErrUnsupported }

// outputPipe is os.Pipe: nothing is recorded on Windows yet.
func outputPipe() (r, w *os.File, err error) { return os.Pipe() }
