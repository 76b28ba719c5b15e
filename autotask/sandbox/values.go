package sandbox

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Stored values are normalised per dataType: integer and long -> int64, double and
// decimal -> float64, boolean -> bool, datetime -> time.Time (UTC, ms), everything else
// -> string. A missing key is null.

const (
	timeLayout     = "2006-01-02T15:04:05.000Z"
	dateOnlyLayout = "2006-01-02T15:04:05"
)

var inputTimeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02",
}

func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range inputTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Millisecond), true
		}
	}
	return time.Time{}, false
}

// coerce converts a decoded JSON value (numbers as json.Number) to the stored type of a
// field of dataType typ.
func coerce(typ string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "integer", "long":
		return toInt(v)
	case "double", "decimal":
		return toFloat(v)
	case "boolean":
		return toBool(v)
	case "datetime":
		switch t := v.(type) {
		case time.Time:
			return t.UTC().Truncate(time.Millisecond), nil
		case string:
			if t == "" {
				return nil, nil
			}
			if p, ok := parseTime(t); ok {
				return p, nil
			}
		}
		return nil, fmt.Errorf("cannot convert %s to datetime", describe(v))
	default:
		return toString(v)
	}
}

func toInt(v any) (int64, error) {
	switch n := v.(type) {
	case int64:
		return n, nil
	case int:
		return int64(n), nil
	case int32:
		return int64(n), nil
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, nil
		}
		return floatToInt(n.String(), v)
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), nil
		}
	case string:
		s := strings.TrimSpace(n)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		return floatToInt(s, v)
	}
	return 0, fmt.Errorf("cannot convert %s to integer", describe(v))
}

func floatToInt(s string, orig any) (int64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f), nil
	}
	return 0, fmt.Errorf("cannot convert %s to integer", describe(orig))
}

func toFloat(v any) (float64, error) {
	switch n := v.(type) {
	case float64:
		return n, nil
	case int64:
		return float64(n), nil
	case int:
		return float64(n), nil
	case json.Number:
		if f, err := n.Float64(); err == nil && !math.IsInf(f, 0) {
			return f, nil
		}
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(n), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("cannot convert %s to double", describe(v))
}

func toBool(v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case json.Number:
		switch b.String() {
		case "0":
			return false, nil
		case "1":
			return true, nil
		}
	case int64:
		return b != 0, nil
	case int:
		return b != 0, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
	}
	return false, fmt.Errorf("cannot convert %s to boolean", describe(v))
}

func toString(v any) (string, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case json.Number:
		return s.String(), nil
	case bool:
		return strconv.FormatBool(s), nil
	case int64:
		return strconv.FormatInt(s, 10), nil
	case int:
		return strconv.Itoa(s), nil
	case float64:
		return strconv.FormatFloat(s, 'f', -1, 64), nil
	}
	return "", fmt.Errorf("cannot convert %s to string", describe(v))
}

// describe renders a rejected value for an error message, short and on one line.
func describe(v any) string {
	var s string
	switch t := v.(type) {
	case string:
		s = strconv.Quote(t)
	case json.Number:
		s = t.String()
	case map[string]any:
		s = "an object"
	case []any:
		s = "an array"
	default:
		s = fmt.Sprint(t)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// formatTime renders a stored datetime the way the API does for the field.
func formatTime(field string, t time.Time) string {
	if dateOnlyFields[field] {
		return t.UTC().Format(dateOnlyLayout)
	}
	return t.UTC().Format(timeLayout)
}

// plainValue is a stored value as a JSON-ready Go value (datetimes as API strings).
func plainValue(field string, v any) any {
	if t, ok := v.(time.Time); ok {
		return formatTime(field, t)
	}
	return v
}

// appendJSONValue appends a stored value as JSON.
func appendJSONValue(b []byte, field string, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return strconv.AppendInt(b, t, 10)
	case float64:
		return strconv.AppendFloat(b, t, 'f', -1, 64)
	case bool:
		return strconv.AppendBool(b, t)
	case time.Time:
		return appendJSONString(b, formatTime(field, t))
	case string:
		return appendJSONString(b, t)
	}
	raw, _ := json.Marshal(v)
	return append(b, raw...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString escapes like the real API (ASP.NET): quotes, backslashes and control
// characters only; "<script>" stays readable, as a client would see it from Autotask.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
