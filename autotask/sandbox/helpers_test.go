package sandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// tenant is a sandbox served over real HTTP on loopback.
type tenant struct {
	s      *sandbox.Sandbox
	srv    *httptest.Server
	before map[string]any // a record as it was before the request under test
}

func newTenant(t testing.TB, opts sandbox.Options) *tenant {
	t.Helper()
	s := sandbox.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &tenant{s: s, srv: srv}
}

func (tn *tenant) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return tn.srv.URL + path
}

// response is one answer of the sandbox.
type response struct {
	status int
	header http.Header
	raw    []byte
}

// json decodes the body into a generic value, numbers as json.Number.
func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.raw))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v), "body: %s", r.raw)
	return v
}

var defaultHeaders = map[string]string{
	"UserName":           sandbox.DefaultCredentials.Username,
	"Secret":             sandbox.DefaultCredentials.Secret,
	"ApiIntegrationCode": sandbox.DefaultCredentials.IntegrationCode,
}

// do sends a request with the default credentials; headers override them ("" removes one).
func (tn *tenant) do(t testing.TB, method, path, body string, headers map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, tn.url(path), strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range defaultHeaders {
		req.Header.Set(k, v)
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := tn.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, raw: raw}
}

func (tn *tenant) get(t testing.TB, path string) response {
	return tn.do(t, http.MethodGet, path, "", nil)
}

func (tn *tenant) post(t testing.TB, path, body string) response {
	return tn.do(t, http.MethodPost, path, body, nil)
}

const api = "/ATServicesRest/V1.0/"

// num reads a JSON number as int64 (0 for null).
func num(t testing.TB, v any) int64 {
	t.Helper()
	if v == nil {
		return 0
	}
	n, ok := v.(json.Number)
	require.True(t, ok, "%v (%T) is not a number", v, v)
	i, err := n.Int64()
	require.NoError(t, err)
	return i
}

func item(t testing.TB, r response) map[string]any {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.raw)
	it, ok := r.json(t)["item"].(map[string]any)
	require.True(t, ok, "no item in %s", r.raw)
	return it
}

func items(t testing.TB, r response) []any {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.raw)
	it, ok := r.json(t)["items"].([]any)
	require.True(t, ok, "no items in %s", r.raw)
	return it
}

func errorsOf(t testing.TB, r response) []string {
	t.Helper()
	var env struct {
		Errors []string `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(r.raw, &env), "body: %s", r.raw)
	require.NotEmpty(t, env.Errors, "no errors in %s", r.raw)
	return env.Errors
}

// fixture names seeded records the table rows refer to as {placeholders}.
type fixture map[string]string

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// fixtureOf picks records from the seeded tenant by what they are, not by fixed ids.
func fixtureOf(t testing.TB, s *sandbox.Sandbox) fixture {
	t.Helper()
	fx := fixture{}
	for _, id := range s.IDs("Tickets") {
		rec, _ := s.Record("Tickets", id)
		status, _ := rec["status"].(int64)
		if fx["ticket"] == "" {
			fx["ticket"], fx["ticketnumber"] = itoa(id), rec["ticketNumber"].(string)
			fx["ticketcompany"] = itoa(rec["companyID"].(int64))
		}
		if fx["open"] == "" && status != 5 && status != 8 {
			fx["open"] = itoa(id)
		}
		if fx["done"] == "" && status == 5 {
			fx["done"] = itoa(id)
		}
	}
	for _, id := range s.IDs("TicketNotes") {
		rec, _ := s.Record("TicketNotes", id)
		if itoa(rec["ticketID"].(int64)) == fx["ticket"] && fx["note"] == "" {
			fx["note"] = itoa(id)
		}
		if itoa(rec["ticketID"].(int64)) != fx["ticket"] && fx["othernote"] == "" {
			fx["othernote"] = itoa(id)
		}
	}
	for _, id := range s.IDs("Companies") {
		rec, _ := s.Record("Companies", id)
		if rec["companyName"] == "Contoso" {
			fx["contoso"] = itoa(id)
		}
	}
	for _, id := range s.IDs("Resources") {
		rec, _ := s.Record("Resources", id)
		switch {
		case rec["isActive"] == false:
			fx["inactive"] = itoa(id)
		case id != s.APIResourceID() && fx["tech"] == "":
			fx["tech"] = itoa(id)
		}
	}
	fx["apiuser"] = itoa(s.APIResourceID())
	fx["timeentry"] = itoa(s.IDs("TimeEntries")[0])
	for _, k := range []string{"ticket", "open", "done", "note", "othernote", "contoso", "inactive", "tech"} {
		require.NotEmpty(t, fx[k], "fixture %s", k)
	}
	return fx
}

func (fx fixture) fill(s string) string {
	for k, v := range fx {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
		s = strings.ReplaceAll(s, "%7B"+k+"%7D", url.QueryEscape(v)) // inside an escaped search=
	}
	return s
}
