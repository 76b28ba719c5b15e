package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

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
const emptyValue = "(empty)"

// describeValue is how every message shows a value (an error, a confirmation, a summary): the one
// formatter, so the assistant and the person read values alike everywhere. Text is quoted, so it
// never reads as part of the server's own sentence, and sanitised, since record text is written by
// third parties; numbers and booleans stand as they are; lists and objects as compact JSON; long
// values are cut to echoRunes.
func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return emptyValue
	case string:
		s := sanitize.Text(x)
		if strings.TrimSpace(s) == "" {
			return emptyValue
		}
		return strconv.Quote(truncateRunes(s, echoRunes))
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case []any:
		if len(x) == 0 {
			return emptyValue
		}
	case map[string]any:
		if len(x) == 0 {
			return emptyValue
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return truncateRunes(sanitize.Text(fmt.Sprint(v)), echoRunes)
	}
	return truncateRunes(sanitize.Text(strings.TrimSpace(buf.String())), echoRunes)
}
