package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const jsonContentType = "application/json; charset=utf-8"

// writeJSON encodes like the real API: "<" and "&" stay as they are.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeRaw(w, http.StatusInternalServerError, []byte(`{"errors":["sandbox: cannot encode the response"]}`))
		return
	}
	writeRaw(w, status, bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeErrors is the API's error envelope: {"errors": ["..."]}, mostly with a 500.
func writeErrors(w http.ResponseWriter, status int, msgs ...string) {
	writeJSON(w, status, map[string][]string{"errors": msgs})
}

// writeMessage is the framework's own answer for a route or method that does not exist:
// {"Message": "..."} (reported client behaviour: Anteris-Dev/autotask-client#12).
func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"Message": msg})
}

func writeNotFound(w http.ResponseWriter, r *http.Request) {
	writeMessage(w, http.StatusNotFound, "No HTTP resource was found that matches the request URI '"+requestURL(r)+"'.")
}

func writeMethodNotAllowed(w http.ResponseWriter, r *http.Request, allow []string) {
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeMessage(w, http.StatusMethodNotAllowed, "The requested resource does not support http method '"+r.Method+"'.")
}

func writeRetryAfter(w http.ResponseWriter, d time.Duration) {
	if d <= 0 {
		return
	}
	secs := int((d + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// requestURL is the absolute URL of the request, without its query string (which may carry
// a search the user typed, never a secret, but is long).
func requestURL(r *http.Request) string {
	return scheme(r) + "://" + r.Host + r.URL.Path
}

// baseURL is the sandbox's own ".../ATServicesRest/V1.0/" as the client reached it.
func baseURL(r *http.Request) string {
	return scheme(r) + "://" + r.Host + "/ATServicesRest/V1.0/"
}
