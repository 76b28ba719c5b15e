package docexample

import "strings"

// Example is one command of a shell example and the output the document shows after it.
type Example struct {
	Command string // as written, continuation lines included (Commands joins them)
	Output  string // the lines shown after the command, each ending in a newline
	Line    int    // 1-based line of the command in the document
}

// Prompt starts a command line in a terminal session block.
const Prompt = "$ "

// Session reads a block written as a terminal session: a line starting with Prompt is a
// command, a command line ending in a backslash goes on on the next line, and the lines up
// to the next command are the command's output. Lines before the first command are not
// output of anything and are ignored.
func Session(b Block) []Example {
	var out []Example
	continued := false
	for i, line := range strings.SplitAfter(b.Text, "\n") {
		if line == "" {
			continue
		}
		switch {
		case continued:
			out[len(out)-1].Command += line
		case strings.HasPrefix(line, Prompt):
			out = append(out, Example{Command: strings.TrimPrefix(line, Prompt), Line: b.Line + i})
		case len(out) > 0:
			out[len(out)-1].Output += line
			continue
		default:
			continue
		}
		continued = strings.HasSuffix(strings.TrimRight(line, "\n"), `\`)
	}
	for i := range out {
		out[i].Command = strings.TrimSuffix(out[i].Command, "\n")
	}
	return out
}

// BareCommands reads a block of bare command lines: no prompt and no output. Blank lines are
// skipped; a line ending in a backslash goes on on the next line.
func BareCommands(b Block) []Example {
	var out []Example
	continued := false
	for i, line := range strings.SplitAfter(b.Text, "\n") {
		switch {
		case continued:
			out[len(out)-1].Command += line
		case strings.TrimSpace(line) == "":
			continue
		default:
			out = append(out, Example{Command: line, Line: b.Line + i})
		}
		continued = strings.HasSuffix(strings.TrimRight(line, "\n"), `\`)
	}
	for i := range out {
		out[i].Command = strings.TrimSuffix(out[i].Command, "\n")
	}
	return out
}
