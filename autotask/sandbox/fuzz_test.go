package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

var fuzzTenant = sync.OnceValue(func() *sandbox.Sandbox {
	return sandbox.New(sandbox.Options{Tickets: 40, Companies: 5, HourlyLimit: 1 << 30})
})

// FuzzQuery feeds arbitrary bodies to the query parser: every answer is a 200 page or a
// 500 errors envelope, never a panic: the body comes from whatever client calls the sandbox.
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{
		`{"filter":[{"op":"exist","field":"id"}]}`,
		`{"maxRecords":3,"includeFields":["title"],"filter":[{"op":"or","items":[{"op":"eq","field":"status","value":5},{"op":"in","field":"priority","value":[1,2]}]}]}`,
		`{"filter":[{"op":"contains","field":"Customer Impact","udf":true,"value":"site"}]}`,
		`{"filter":[{"op":"gt","field":"createDate","value":"2026-01-01"}]}`,
		`{"filter":[{"op":"eq","field":"status","value":"abc"}]}`,
		`{"maxRecords":"x"}`, `[]`, `null`, `{`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"Tickets/query", "Tickets/query/count"} {
			req := httptest.NewRequest(http.MethodPost, "/ATServicesRest/V1.0/"+path, strings.NewReader(body))
			for k, v := range defaultHeaders {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			fuzzTenant().ServeHTTP(rec, req)
			if rec.Code != http.StatusOK && rec.Code != http.StatusInternalServerError {
				t.Fatalf("%s %q: status %d %s", path, body, rec.Code, rec.Body)
			}
			if rec.Code == http.StatusInternalServerError && !strings.HasPrefix(rec.Body.String(), `{"errors":[`) {
				t.Fatalf("%s %q: 500 without an errors envelope: %s", path, body, rec.Body)
			}
		}
	})
}
