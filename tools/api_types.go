package tools

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// The API's value types, read from what the assistant sent (a label, a number as text, a date in
// any ISO 8601 form) and compared the way the API stores them. Filters and writes share them.

// apiTimeLayout is how dates are sent: UTC with a Z, second precision, as the API documents them.
const apiTimeLayout = "2006-01-02T15:04:05Z"

// parseAPITime reads the ISO 8601 forms the API and assistants use; a time without a zone is UTC,
// as the API's own are. A time whose UTC year leaves 0001..9999 ("9999-12-31T23:00:00-05:00") is
// refused: its UTC form has no four-digit year, so no ISO 8601 reader (the API's included) takes it.
func parseAPITime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return t, t.Year() >= 1 && t.Year() <= 9999
		}
	}
	return time.Time{}, false
}

func integerValue(v any) (json.Number, bool) {
	switch x := v.(type) {
	case json.Number:
		if _, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return x, true
		}
		if f, err := x.Float64(); err == nil && f == float64(int64(f)) {
			return json.Number(strconv.FormatInt(int64(f), 10)), true
		}
	case float64:
		if x == float64(int64(x)) {
			return json.Number(strconv.FormatInt(int64(x), 10)), true
		}
	case string:
		if i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10)), true
		}
	}
	return "", false
}

func numberValue(v any) (json.Number, bool) {
	switch x := v.(type) {
	case json.Number:
		if _, err := x.Float64(); err == nil {
			return x, true
		}
	case float64:
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			return json.Number(strconv.FormatFloat(x, 'f', -1, 64)), true
		}
	case string:
		// ParseFloat also reads "NaN" and "Inf", which are not JSON numbers: sent as one, they would
		// break the request body.
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), true
		}
	}
	return "", false
}

func boolValue(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(x))
		return b, err == nil
	}
	return false, false
}

func textValue(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// sameValue says whether writing next over cur would change nothing, so a no-op change neither
// costs a PUT nor asks the person to confirm a status that is already set.
func sameValue(dataType string, cur, next any) bool {
	if isEmpty(cur) || isEmpty(next) {
		return isEmpty(cur) && isEmpty(next)
	}
	switch strings.ToLower(dataType) {
	case "datetime", "date":
		a, okA := parseAPITime(scalarString(cur))
		b, okB := parseAPITime(scalarString(next))
		if okA && okB {
			return a.Equal(b)
		}
	case "integer", "long", "short", "byte", "double", "decimal", "float":
		a, errA := strconv.ParseFloat(scalarString(cur), 64)
		b, errB := strconv.ParseFloat(scalarString(next), 64)
		if errA == nil && errB == nil {
			return a == b
		}
	}
	return scalarString(cur) == scalarString(next)
}
