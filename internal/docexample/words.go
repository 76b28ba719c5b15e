package docexample

import (
	"fmt"
	"strings"
)

// Commands splits a command line into its simple commands (split at the control
// operators &&, ||, ; and |) and each into its words, the way a POSIX shell does for what
// examples use: single quotes, double quotes, backslash escapes, backslash-newline
// continuation and "#" comments. Expansions, substitutions, globs and redirections are
// refused, not guessed at: a command that needs them is not run the way the reader would.
func Commands(line string) ([][]string, error) {
	var (
		cmds   [][]string
		words  []string
		word   strings.Builder
		inWord bool
	)
	endCommand := func() {
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	flush := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && line[i+1] == '\n':
			i++ // continuation: the line goes on
		case c == '\\' && i+1 < len(line):
			i++
			word.WriteByte(line[i])
			inWord = true
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated single quote in %q", line)
			}
			word.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			end, err := doubleQuoted(line, i, &word)
			if err != nil {
				return nil, err
			}
			i = end
			inWord = true
		case c == ' ' || c == '\t' || c == '\n':
			flush()
		case c == '#' && !inWord:
			end := strings.IndexByte(line[i:], '\n')
			if end < 0 {
				i = len(line)
				continue
			}
			i += end - 1
		case strings.IndexByte("&|;", c) >= 0:
			flush()
			op := string(c)
			if (c == '&' || c == '|') && i+1 < len(line) && line[i+1] == c {
				op += string(c)
				i++
			}
			if op == "&" {
				return nil, fmt.Errorf("background job (&) in %q", line)
			}
			endCommand()
		case strings.IndexByte("$`*?<>()", c) >= 0:
			return nil, fmt.Errorf("shell feature %q in %q is not supported", c, line)
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	flush()
	endCommand()
	return cmds, nil
}

// doubleQuoted writes the text of the double-quoted string that opens at line[open] to
// word and returns the index of its closing quote. Inside, a backslash escapes only $ ` " \
// and newline (which it removes), as in a POSIX shell.
func doubleQuoted(line string, open int, word *strings.Builder) (end int, err error) {
	for j := open + 1; j < len(line); j++ {
		switch c := line[j]; {
		case c == '"':
			return j, nil
		case c == '\\' && j+1 < len(line) && strings.IndexByte("$`\"\\\n", line[j+1]) >= 0:
			j++
			if line[j] != '\n' {
				word.WriteByte(line[j])
			}
		case c == '$' || c == '`':
			return 0, fmt.Errorf("expansion (%c) inside double quotes in %q is not supported", c, line)
		default:
			word.WriteByte(c)
		}
	}
	return 0, fmt.Errorf("unterminated double quote in %q", line)
}
