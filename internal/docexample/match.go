package docexample

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Elision marks what an example's output leaves out.
const Elision = "..."

// elided stands in for an Elision outside a JSON string once the shown output is decoded:
// as an object key, "other members may follow"; as the last array element, "more elements
// may follow". A NUL cannot start a key or a string the program prints by accident.
const elided = "\x00" + Elision

// MatchJSON checks a JSON document (actual) against the output an example shows for it.
// shown is JSON in any layout, and may elide with Elision: a line (or member) "..." in an
// object allows members it does not show, a last element "..." in an array allows more
// elements, and "..." inside a string stands for any text there. Every member and element
// it shows must be there, of the same type and value; an object without "..." must have no
// other members, an array without it no other elements. The error lists every difference.
func MatchJSON(shown, actual string) error {
	want, err := decodeShown(shown)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(actual))
	dec.UseNumber()
	var got any
	if err := dec.Decode(&got); err != nil {
		return fmt.Errorf("the program's output is not JSON: %w", err)
	}
	if dec.More() {
		return errors.New("the program's output holds more than one JSON value")
	}
	var diffs []error
	compare("$", want, got, &diffs)
	return errors.Join(diffs...)
}

// MatchText reports whether a line of plain output is what shown shows, where each
// Elision in shown stands for any text.
func MatchText(shown, actual string) bool {
	parts := strings.Split(shown, Elision)
	if len(parts) == 1 {
		return shown == actual
	}
	rest, ok := strings.CutPrefix(actual, parts[0])
	if !ok {
		return false
	}
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return strings.HasSuffix(rest, parts[len(parts)-1])
}

// decodeShown turns each Elision outside a string into the elided marker and decodes the
// result.
func decodeShown(shown string) (any, error) {
	var b bytes.Buffer
	var open []byte // the containers around the current position: '{' or '['
	marker, _ := json.Marshal(elided)
	for i := 0; i < len(shown); i++ {
		c := shown[i]
		switch {
		case c == '"':
			end := i + 1
			for ; end < len(shown) && shown[end] != '"'; end++ {
				if shown[end] == '\\' {
					end++
				}
			}
			if end >= len(shown) {
				return nil, errors.New("shown output has an unterminated string")
			}
			b.WriteString(shown[i : end+1])
			i = end
		case strings.HasPrefix(shown[i:], Elision):
			if len(open) == 0 {
				return nil, errors.New(`shown output elides ("...") outside any object or array`)
			}
			b.Write(marker)
			if open[len(open)-1] == '{' {
				b.WriteString(":null")
			}
			i += len(Elision) - 1
		case c == '{' || c == '[':
			open = append(open, c)
			b.WriteByte(c)
		case c == '}' || c == ']':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf(`shown output is not JSON (with "..." elisions): %w`, err)
	}
	if dec.More() {
		return nil, errors.New("shown output holds more than one JSON value")
	}
	return v, nil
}

func compare(path string, want, got any, diffs *[]error) {
	differ := func(format string, args ...any) {
		*diffs = append(*diffs, fmt.Errorf("%s: "+format, append([]any{path}, args...)...))
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			differ("shown an object, got %s", describe(got))
			return
		}
		_, open := w[elided]
		for _, k := range slices.Sorted(maps.Keys(w)) {
			if k == elided {
				continue
			}
			gv, ok := g[k]
			if !ok {
				differ("shown member %q is missing", k)
				continue
			}
			compare(path+"."+k, w[k], gv, diffs)
		}
		if !open {
			for _, k := range slices.Sorted(maps.Keys(g)) {
				if _, shown := w[k]; !shown {
					differ("member %q is not shown (add it, or %q for members left out)", k, Elision)
				}
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			differ("shown an array, got %s", describe(got))
			return
		}
		open := len(w) > 0 && w[len(w)-1] == elided
		if open {
			w = w[:len(w)-1]
		}
		if slices.Contains(w, any(elided)) {
			differ(`"..." in an array is only for the elements after the last one shown`)
			return
		}
		if len(g) < len(w) || !open && len(g) != len(w) {
			differ("shown %d elements, got %d", len(w), len(g))
			return
		}
		for i := range w {
			compare(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], diffs)
		}
	case string:
		g, ok := got.(string)
		if !ok || !MatchText(w, g) {
			differ("shown %q, got %s", w, describe(got))
		}
	default: // json.Number, bool, nil
		if got != want {
			differ("shown %s, got %s", describe(want), describe(got))
		}
	}
}

func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
