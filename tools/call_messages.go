package tools

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
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

// emptyValue is how a message shows a value that is not there: null, absent, blank text, an empty
// list or object.
const emptyValue = guard.EmptyValue

// describeValue is how every message shows a value (an error, a confirmation, a summary): guard's
// one formatter (guard.DescribeValue: text quoted and sanitised, numbers and booleans as they are,
// lists and objects as compact JSON), so a conflict and every other message word values alike, cut
// to echoRunes. Text is cut before it is quoted, so the quotes survive the cut.
func describeValue(v any) string {
	if s, ok := v.(string); ok {
		return guard.DescribeValue(truncateRunes(sanitize.Text(s), echoRunes))
	}
	return truncateRunes(guard.DescribeValue(v), echoRunes)
}
