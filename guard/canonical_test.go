package guard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCanonicalNumbersCompareEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b any
	}{
		{"json.Number int vs float64", json.Number("5"), float64(5)},
		{"json.Number 5.0 vs int", json.Number("5.0"), 5},
		{"json.Number exponent vs int64", json.Number("1e2"), int64(100)},
		{"decimal", json.Number("1.50"), 1.5},
		{"negative zero", math.Copysign(0, -1), json.Number("0")},
		{"named int", struct{ N int }{5}, map[string]any{"N": json.Number("5")}},
		{"uint vs float", uint32(7), 7.0},
		{"datetime without Z vs with millis", "2024-05-01T10:00:00", "2024-05-01T10:00:00.000Z"},
		{"datetime offset", "2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00Z"},
		{"datetime minutes", "2024-05-01T10:00", "2024-05-01T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, string(canonicalJSON(tt.a)), string(canonicalJSON(tt.b)))
		})
	}
}

func TestCanonicalKeepsDifferences(t *testing.T) {
	tests := []struct {
		name string
		a, b any
	}{
		{"string vs number", "5", 5},
		{"1.5 vs 1.25", 1.5, json.Number("1.25")},
		{"text that only looks like a date", "2024-05-01T10:00:00 tomorrow", "2024-05-01T10:00:00Z"},
		{"null vs empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotEqual(t, string(canonicalJSON(tt.a)), string(canonicalJSON(tt.b)))
		})
	}
}

func TestRecordDecodedTwiceComparesEqual(t *testing.T) {
	withNumber := decodeTicket(t, true)
	withFloat := decodeTicket(t, false)
	require.IsType(t, json.Number(""), withNumber["status"])
	require.IsType(t, float64(0), withFloat["status"])

	assert.Equal(t, flatten(withNumber), flatten(withFloat))
	assert.Equal(t, VersionOf(withNumber), VersionOf(withFloat))

	delete(withNumber, "lastActivityDate")
	delete(withFloat, "lastActivityDate")
	assert.Equal(t, VersionOf(withNumber), VersionOf(withFloat), "hash versions too")
}

func TestVersionOf(t *testing.T) {
	ticket := decodeTicket(t, true)
	noDate := decodeTicket(t, true)
	delete(noDate, "lastActivityDate")
	nullDate := ticketWith(t, map[string]any{"lastActivityDate": nil})
	udfsReversed := decodeTicket(t, true)
	delete(udfsReversed, "lastActivityDate")
	udfs := udfsReversed["userDefinedFields"].([]any)
	udfsReversed["userDefinedFields"] = []any{udfs[1], udfs[0]}
	otherTitle := decodeTicket(t, true)
	delete(otherTitle, "lastActivityDate")
	otherTitle["title"] = "Printer fine"

	tests := []struct {
		name  string
		rec   map[string]any
		check func(t *testing.T, v string)
	}{
		{"lastActivityDate in UTC", ticket, func(t *testing.T, v string) {
			assert.Equal(t, "2024-05-01T09:30:00.123Z", v)
		}},
		{"hash when absent", noDate, func(t *testing.T, v string) {
			assert.True(t, strings.HasPrefix(v, "sha256:"), v)
			assert.Len(t, v, len("sha256:")+64)
		}},
		{"hash when null", nullDate, func(t *testing.T, v string) {
			assert.Equal(t, VersionOf(noDate), v, "null and absent are the same record")
		}},
		{"UDF order does not matter", udfsReversed, func(t *testing.T, v string) {
			assert.Equal(t, VersionOf(noDate), v)
		}},
		{"a field changes the hash", otherTitle, func(t *testing.T, v string) {
			assert.NotEqual(t, VersionOf(noDate), v)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, VersionOf(tt.rec)) })
	}
}

func TestFlattenUDFsByName(t *testing.T) {
	flat := flatten(decodeTicket(t, true))
	assert.Equal(t, `"HQ"`, flat["userDefinedFields.Site"])
	assert.Equal(t, `null`, flat["userDefinedFields.Asset Tag"])
	assert.NotContains(t, flat, "userDefinedFields")
}

func TestStoredValueDigestsLongValues(t *testing.T) {
	long := strings.Repeat("a", 5000)
	longOther := strings.Repeat("a", 4999) + "b"

	s1, s2 := storedValue("description", long), storedValue("description", longOther)
	assert.NotEqual(t, s1, s2, "same prefix and length, different content")
	assert.Equal(t, s1, storedValue("description", long))
	assert.Less(t, len(s1), maxStoredBytes, "a long value is stored small")
	assert.Contains(t, s1, "5000 chars")

	short := storedValue("title", "short")
	assert.Equal(t, `"short"`, short)

	bigList := make([]any, 200)
	for i := range bigList {
		bigList[i] = i
	}
	assert.Contains(t, storedValue("x", bigList), "bytes of JSON")
}

func TestStoredValueNeverKeepsSecrets(t *testing.T) {
	for _, field := range []string{"password", "secretKey", "apiToken", "API_KEY", "userCredential"} {
		t.Run(field, func(t *testing.T) {
			s := storedValue(field, "hunter2")
			assert.NotContains(t, s, "hunter2")
			assert.Contains(t, s, "redacted")
			assert.NotEqual(t, s, storedValue(field, "hunter3"), "a changed secret is still a change")
		})
	}
	assert.Equal(t, "null", storedValue("password", nil))
}

func TestCanonicalOddValues(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"NaN is kept as text", math.NaN(), `"NaN"`},
		{"Inf is kept as text", math.Inf(1), `"+Inf"`},
		{"invalid json.Number is kept as text", json.Number("12abc"), `"12abc"`},
		{"huge number", json.Number("1e400"), `"1e400"`},
		{"big integer beyond int64, spelled as float64 spells it", json.Number("12345678901234567890"), `1.2345678901234567e+19`},
		{"fraction", json.Number("0.1"), `0.1`},
		{"nested", map[string]any{"b": []any{1.0, json.Number("2")}, "a": true}, `{"a":true,"b":[1,2]}`},
		{"no HTML escaping", "<b>&</b>", `"<b>&</b>"`},
		{"unmarshalable", make(chan int), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(canonicalJSON(tt.in))
			if tt.want == "" {
				assert.NotEmpty(t, got)
				return
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFlattenOddUDFs(t *testing.T) {
	tests := []struct {
		name string
		udfs any
		want map[string]string
	}{
		{"null", nil, map[string]string{}},
		{"empty", []any{}, map[string]string{}},
		{"not a list", "x", map[string]string{"userDefinedFields": `"x"`}},
		{"item without name", []any{map[string]any{"value": "x"}}, map[string]string{"userDefinedFields": `[{"value":"x"}]`}},
		{"item not an object", []any{"x"}, map[string]string{"userDefinedFields": `["x"]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, flatten(map[string]any{"userDefinedFields": tt.udfs}))
		})
	}
}

func TestConflictMessageIsBounded(t *testing.T) {
	base, fresh := map[string]string{}, map[string]string{}
	for i := range 20 {
		f := fmt.Sprintf("field%02d", i)
		base[f] = storedValue(f, strings.Repeat("a", 3000))
		fresh[f] = storedValue(f, map[string]any{"nested": strings.Repeat("b", 3000)})
	}
	err := &ConflictError{Entity: "Tickets", ID: 1, Changed: describeChanges(base, fresh)}
	require.Len(t, err.Changed, 20)
	assert.Contains(t, err.Error(), "and 12 more")
	assert.Less(t, len(err.Error()), 4000)
	assert.Equal(t, "Tickets 1 changed since this session read it: read it again with get_ticket or get_entity and redo the change on the current values",
		(&ConflictError{Entity: "Tickets", ID: 1}).Error())
}

func TestTruncateValue(t *testing.T) {
	big := map[string]any{"k": strings.Repeat("x", 500)}
	got, ok := truncateValue(big, 100).(string)
	require.True(t, ok, "a big object becomes truncated JSON text")
	assert.True(t, strings.HasPrefix(got, `{"k":"xxx`))
	assert.Contains(t, got, "chars)")
	small := map[string]any{"k": "x"}
	assert.Equal(t, small, truncateValue(small, 100))
	assert.Equal(t, json.Number("5"), truncateValue(json.Number("5"), 1))
}

// The scalar shortcut in canonicalJSON must spell each value exactly as the encoder would: hashes
// and token bindings made before and after it must agree.
func TestCanonicalJSONScalarShortcutMatchesEncoder(t *testing.T) {
	values := []any{nil, true, false, json.Number("42"), 42, -7.5, 1e21, "", "plain ascii", "Printer on 3rd floor",
		`quote " inside`, `back\slash`, "tab\there", "new\nline", "<b>&amp;</b>", "caf\u00e9", "\u2028", "\u202e", "\x7f",
		"2024-05-01T10:00:00", "ends with space ", map[string]any{"a": 1}, []any{"x", 2}}
	for _, v := range values {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(canonical(v)))
		assert.Equal(t, strings.TrimRight(buf.String(), "\n"), string(canonicalJSON(v)), "%#v", v)
	}
}

// A number already in its one spelling is kept as it is; every other spelling still becomes it.
func TestCanonicalNumberSpellings(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "0"}, {"-0", "0"}, {"5", "5"}, {"-5", "-5"}, {"05", "5"}, {"+5", "5"}, {" 7 ", "7"},
		{"123456789012345678", "123456789012345678"}, {"1234567890123456789", "1234567890123456789"},
		{"9223372036854775807", "9223372036854775807"}, {"-9223372036854775808", "-9223372036854775808"},
		{"1.0", "1"}, {"1e3", "1000"}, {"2.50", "2.5"}, {"-", "-"}, {"", ""},
	}
	for _, tt := range tests {
		got := canonicalNumber(json.Number(tt.in))
		assert.Equal(t, tt.want, fmt.Sprint(got), "%q", tt.in)
	}
}
