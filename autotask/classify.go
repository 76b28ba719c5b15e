package autotask

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// errorEnvelope is the API's error body: {"errors": ["..."]}, or the web
// framework's {"Message": "..."} for an unknown route or method.
type errorEnvelope struct {
	Errors  []json.RawMessage `json:"errors"`
	Message string            `json:"message"`
}

func apiMessages(body []byte) []string {
	var env errorEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil
	}
	msgs := make([]string, 0, len(env.Errors))
	for _, raw := range env.Errors {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			msgs = append(msgs, s)
			continue
		}
		var obj struct {
			Message string `json:"message"`
		}
		if err := json.Unmarshal(raw, &obj); err == nil && obj.Message != "" {
			msgs = append(msgs, obj.Message)
			continue
		}
		msgs = append(msgs, string(raw))
	}
	if len(msgs) == 0 && env.Message != "" {
		msgs = append(msgs, env.Message)
	}
	return msgs
}

// classify turns a failed attempt into an *APIError; nil when the answer is a
// readable 2xx.
func classify(req apiRequest, res attemptResult) *APIError {
	e := &APIError{Method: req.method, Path: req.path, StatusCode: res.status}
	if res.status == 0 || res.err != nil {
		// No complete answer. Whether the server acted on it matters only for writes.
		e.Err = res.err
		if req.kind != kindRead && res.sent {
			e.Kind = ErrOutcomeUnknown
		} else {
			e.Kind = ErrTransient
		}
		if errors.Is(res.err, context.Canceled) || errors.Is(res.err, context.DeadlineExceeded) {
			if req.kind == kindRead || !res.sent {
				e.Kind = nil // the caller gave up; the context error says so
			}
		}
		return e
	}
	if res.status >= 200 && res.status < 300 {
		return nil
	}
	e.Messages = apiMessages(res.body)
	switch {
	case res.status == http.StatusUnauthorized || res.status == http.StatusForbidden:
		e.Kind = ErrAuth
	case res.status == http.StatusNotFound:
		e.Kind = ErrNotFound
	case res.status == http.StatusMethodNotAllowed:
		e.Kind = ErrNotSupported
	case res.status == http.StatusTooManyRequests:
		e.Kind = ErrRateLimited
		e.RetryAfter = parseRetryAfter(res.header.Get("Retry-After"), serverNow(res.header))
	case res.status == http.StatusInternalServerError && len(e.Messages) > 0:
		e.Kind = classifyMessages(e.Messages)
		if req.zoneLookup && e.Kind != ErrAuth {
			// ZoneInformation answers an unknown user name with a 500.
			e.Kind = ErrAuth
			e.Messages = append(e.Messages, "no Autotask zone for this user name; check "+EnvUsername)
		}
		if e.Kind == ErrTransient && mayHaveActed(req, res.status) {
			e.Kind = ErrOutcomeUnknown
		}
	case res.status >= 500:
		e.Kind = ErrTransient
		if mayHaveActed(req, res.status) {
			e.Kind = ErrOutcomeUnknown
		}
		if len(e.Messages) == 0 {
			e.Messages = []string{nonJSONSummary(res)}
		}
	default:
		e.Kind = ErrValidation
	}
	return e
}

// mayHaveActed says whether a write answered with a server error that is not the API refusing
// it could still have been applied: a 500 the API does not explain is a failure part way, a
// 502 or 504 is a gateway that stopped waiting for an application that may have finished.
// Only a 503 says the service did not take the request. Telling the assistant "not applied"
// when it was would invite a duplicate; the reverse costs one read.
func mayHaveActed(req apiRequest, status int) bool {
	return req.kind != kindRead && status != http.StatusServiceUnavailable
}

func nonJSONSummary(res attemptResult) string {
	ct := res.header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil && mt != "application/json" {
		return fmt.Sprintf("non-JSON response (%s)", mt)
	}
	return http.StatusText(res.status)
}

// authPhrases are how the API words a 500 that is really bad credentials or a bad
// integration code.
var authPhrases = []string{"integration code", "integrationcode", "credential", "user name or password",
	"username or password", "password", "authenticat", "unauthori", "not authorized", "secret",
	"api user", "impersonat", "tracking identifier"}

// validationPhrases mark a 500 that is the API refusing the request as written;
// anything else with a 500 is treated as transient. A phrase here makes a write "not applied", so
// each is one the API uses only to refuse: a bare "greater than" could be part of a transient
// fault's text, and a write wrongly called refused invites a resend. The time-entry rules are worded in ways of
// their own ("Must have at least one of hoursWorked or ...", "hoursWorked greater than 24 hours or
// less than zero hours", "... combination is not currently defined", "This taskID does not
// reference a valid Task").
var validationPhrases = []string{"does not exist", "must be", "must have", "required", "invalid", "not valid", "cannot",
	"can not", "can't", "not allowed", "not permitted", "exceed", "too long", "duplicate", "already exist",
	"no such", "out of range", "unable to parse", "not supported", "is not a", "only one", "failed validation",
	"greater than 24 hours", "does not reference", "not currently defined", "unable to find"}

func classifyMessages(msgs []string) error {
	text := strings.ToLower(strings.Join(msgs, " "))
	switch {
	case unknownFieldRE.MatchString(strings.Join(msgs, " ")):
		return ErrUnknownField
	case containsAny(text, authPhrases):
		return ErrAuth
	case containsAny(text, validationPhrases):
		return ErrValidation
	default:
		return ErrTransient
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// serverNow is the time the response was sent by the server's own clock, its Date header; the
// local clock when it has none. An HTTP-date in Retry-After is on the server's clock, so the wait
// is measured from its Date: a local clock that runs minutes off would otherwise turn "one second
// from now" into no wait at all, or into a wait long enough to give up.
func serverNow(h http.Header) time.Time {
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		return t
	}
	return time.Now()
}

// parseRetryAfter reads delta-seconds, or an HTTP date measured from now.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
