package docexample_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
)

// TestCurlRequest sends what CurlRequest builds to a real server and looks at what arrives.
func TestCurlRequest(t *testing.T) {
	type seen struct {
		method, path, query, body string
		header                    http.Header
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawQuery, string(b), r.Header}
	}))
	t.Cleanup(srv.Close)

	tests := []struct {
		name   string
		words  []string
		method string
		body   string
		header map[string]string
	}{
		{name: "post with headers", words: []string{"curl", "-s", "-X", "POST", srv.URL + "/q?x=1", "-H", "Content-Type: application/json", "-H", "Secret:  s3 ", "-d", `{"a":1}`},
			method: "POST", body: `{"a":1}`, header: map[string]string{"Content-Type": "application/json", "Secret": "s3"}},
		{name: "data alone is a form post", words: []string{"curl", "--data", "a=1", "--data-raw", "@b", srv.URL + "/q?x=1"},
			method: "POST", body: "a=1&@b", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
		{name: "plain get", words: []string{"curl", "--silent", srv.URL + "/q?x=1"}, method: "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := docexample.CurlRequest(t.Context(), tt.words)
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			s := <-got
			assert.Equal(t, tt.method, s.method)
			assert.Equal(t, "/q", s.path)
			assert.Equal(t, "x=1", s.query)
			assert.Equal(t, tt.body, s.body)
			for k, v := range tt.header {
				assert.Equal(t, v, s.header.Get(k), k)
			}
		})
	}
}

func TestCurlRequestRefusesWhatItCannotSend(t *testing.T) {
	for name, words := range map[string][]string{
		"unknown option":       {"curl", "-k", "http://h/"},
		"data from a file":     {"curl", "-d", "@body.json", "http://h/"},
		"option without value": {"curl", "http://h/", "-H"},
		"header without colon": {"curl", "-H", "Secret", "http://h/"},
		"no URL":               {"curl", "-s"},
		"two URLs":             {"curl", "http://a/", "http://b/"},
		"not curl":             {"wget", "http://h/"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := docexample.CurlRequest(t.Context(), words)
			assert.Error(t, err)
		})
	}
}
