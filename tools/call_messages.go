package tools

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// How values and names appear inside the texts every tool writes: errors, confirmations and
// summaries.

// truncateRunes shortens s to n runes, saying how much was left out.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return fmt.Sprintf("%s… [+%d chars]", strings.TrimSpace(string(runes[:n])), len(runes)-n)
}

// echoRunes bounds how much of a rejected name or value an error quotes back: enough to recognise
// it, never a pasted document in the assistant's context (found by FuzzFilterDecoding: an unknown
// argument name of 10 KB came back whole).
const echoRunes = 60

// clip shortens a name or value an error quotes back.
func clip(s string) string { return truncateRunes(s, echoRunes) }
