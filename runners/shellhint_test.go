package runners

import "testing"

func TestShellSyntax(t *testing.T) {
	tests := []struct{ line, want string }{
		{"ls | wc -l", "|"},
		{"make && make install", "&&"},
		{"python3 seq.py > out.txt", ">"},
		{"python3 seq.py 2>&1", ">&"},
		{"sleep 1; echo done", ";"},
		{"python3 *.py", "*"},
		{"echo $HOME", "$"},
		{"python3 ~/work/seq.py", "~"},
		{"python3 seq.py", ""},
		{`python3 -c 'print(1 | 2)'`, ""},
		{`sh -c "ls | wc -l"`, ""},
		{`echo a\|b`, ""},
		{"python3 a~b.py", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ShellSyntax(tt.line); got != tt.want {
			t.Errorf("ShellSyntax(%q) = %q; want %q", tt.line, got, tt.want)
		}
	}
}

func TestShellHint(t *testing.T) {
	want := "`|` is shell syntax, but the command runs without a shell: to use it, give sh -c 'ls | grep '\\''a b'\\'''"
	if got := ShellHint("ls | grep 'a b'"); got != want {
		t.Errorf("ShellHint = %q; want %q", got, want)
	}
	if got := ShellHint("python3 seq.py"); got != "" {
		t.Errorf("ShellHint of a plain command = %q; want none", got)
	}
}
