package guard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The guard compares records that reach it by different roads: decoded with UseNumber (json.Number),
// decoded without it (float64), or built in Go by a tool (int, int64, named types). canonical rewrites
// any of them into one tree of maps, slices, strings, bools, nil and json.Number, with one spelling per
// number ("5", never "5.0" or "5e0") and one per datetime (RFC 3339 UTC: the API sends UTC, often
// without a "Z"), so that equal values compare equal however they were decoded.
func canonical(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return canonicalString(x)
	case bool:
		return x
	case json.Number:
		return canonicalNumber(x)
	case float64:
		return floatNumber(x)
	case float32:
		return floatNumber(float64(x))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = canonical(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canonical(e)
		}
		return out
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(rv.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return json.Number(strconv.FormatUint(rv.Uint(), 10))
	}
	// Named maps (autotask.Record), structs and the like: take the JSON road, so they compare exactly
	// like what the API would have sent.
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var y any
	if err := dec.Decode(&y); err != nil {
		return string(b)
	}
	return canonical(y)
}

func canonicalNumber(n json.Number) any {
	if plainInteger(string(n)) {
		return n // already its one spelling: most numbers in a record are ids
	}
	s := strings.TrimSpace(string(n))
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return json.Number(strconv.FormatInt(i, 10))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Not a number after all: keep the text, as a string so the tree still marshals.
		return s
	}
	return floatNumber(f)
}

// plainInteger reports whether s is an integer as strconv.FormatInt spells it and ParseInt reads it
// back unchanged: an optional '-', no leading zero, at most 18 digits (so it fits an int64).
func plainInteger(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 18 || (digits[0] == '0' && (len(digits) > 1 || len(s) > 1)) {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

func floatNumber(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return json.Number(strconv.FormatInt(int64(f), 10))
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

var datetimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04"}

// canonicalString rewrites a string that is exactly an ISO 8601 datetime into RFC 3339 UTC, so that
// "2024-05-01T10:00:00" (what we sent) equals "2024-05-01T10:00:00.000Z" (what the API gives back).
func canonicalString(s string) string {
	if len(s) < 16 || len(s) > 40 || s[4] != '-' || s[7] != '-' || s[10] != 'T' {
		return s
	}
	for _, layout := range datetimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.RFC3339Nano)
		}
	}
	return s
}

// canonicalJSON is the one serialisation used for hashes and token bindings: map keys sorted (as
// encoding/json always does), no HTML escaping, no trailing newline.
func canonicalJSON(v any) []byte {
	return []byte(canonicalText(v))
}

// canonicalText is canonicalJSON as a string, the form the ledger stores.
func canonicalText(v any) string {
	c := canonical(v)
	// Most record fields are scalars: spell them directly rather than through an Encoder each.
	switch c := c.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(c)
	case json.Number:
		return string(c)
	case string:
		if plainJSONString(c) {
			return `"` + c + `"`
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		// canonical only yields JSON-safe values; this is unreachable, but a hash must never be empty.
		return fmt.Sprintf("%#v", v)
	}
	return strings.TrimRight(buf.String(), "\n")
}

// plainJSONString reports whether s encodes as itself between quotes: printable ASCII without '"'
// and '\\' (encoding/json escapes nothing else there once HTML escaping is off).
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

const (
	// maxStoredBytes bounds one field in a snapshot: a longer value is kept as a digest with a prefix,
	// so a session's ledger costs at most fields×maxStoredBytes per record however long descriptions get.
	maxStoredBytes = 512
	// storedPrefixRunes is how much of a digested value stays readable for conflict reports.
	storedPrefixRunes = 120
)

// storedValue is one field as the ledger keeps it: canonical JSON, with long values replaced by a
// JSON string "prefix… [N chars, sha256:…]". Two stored values are equal exactly when the fields are
// (up to a 128-bit hash collision), and the stored text is already the truncated form a report shows.
func storedValue(field string, v any) string {
	text := canonicalText(v)
	if isSecretField(field) && v != nil {
		return marshalString(fmt.Sprintf("[redacted sha256:%s]", digest([]byte(text))))
	}
	if len(text) <= maxStoredBytes {
		return text
	}
	b := []byte(text)
	if s, ok := canonical(v).(string); ok {
		return marshalString(fmt.Sprintf("%s… [%d chars, sha256:%s]", prefixRunes(s, storedPrefixRunes), utf8.RuneCountInString(s), digest(b)))
	}
	return marshalString(fmt.Sprintf("%s… [%d bytes of JSON, sha256:%s]", prefixRunes(text, storedPrefixRunes), len(b), digest(b)))
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func marshalString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimRight(buf.String(), "\n")
}

func prefixRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

const udfField = "userDefinedFields"

// flatten turns a record into field -> stored value. UDFs become "userDefinedFields.<name>" so that a
// change to one UDF is reported by name and the order of the API's UDF array does not matter.
func flatten(rec map[string]any) map[string]string {
	out := make(map[string]string, len(rec))
	for k, v := range rec {
		if strings.EqualFold(k, udfField) {
			if udfs, ok := flattenUDFs(v); ok {
				for name, val := range udfs {
					out[udfField+"."+name] = storedValue(name, val)
				}
				continue
			}
		}
		out[k] = storedValue(k, v)
	}
	return out
}

func flattenUDFs(v any) (map[string]any, bool) {
	list, ok := canonical(v).([]any)
	if !ok {
		return nil, v == nil
	}
	out := make(map[string]any, len(list))
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, false
		}
		name, ok := m["name"].(string)
		if !ok || name == "" {
			return nil, false
		}
		out[name] = m["value"]
	}
	return out, true
}

const (
	hashVersionPrefix = "sha256:"
	versionField      = "lastActivityDate"
)

// VersionOf names the version of a record: its lastActivityDate (in RFC 3339 UTC), or, for a record
// without one, "sha256:" and the hash of its canonical JSON (UDFs by name, numbers and datetimes in one
// spelling, null fields left out, so the same record decoded twice has the same version).
func VersionOf(rec map[string]any) string {
	return versionOf(rec, nil)
}

func versionOf(rec map[string]any, flat map[string]string) string {
	if v, ok := rec[versionField]; ok && v != nil {
		if s, ok := canonical(v).(string); ok && s != "" {
			return s
		}
	}
	if flat == nil {
		flat = flatten(rec)
	}
	keys := make([]string, 0, len(flat))
	for k, v := range flat {
		// A null field and a missing one are the same record (the comparisons treat them alike).
		if v != storedNull {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		// Length-prefixed so that no two different records hash the same stream.
		fmt.Fprintf(h, "%d:%s%d:%s", len(k), k, len(flat[k]), flat[k])
	}
	return hashVersionPrefix + hex.EncodeToString(h.Sum(nil))
}

func isHashVersion(v string) bool { return strings.HasPrefix(v, hashVersionPrefix) }
