package autotask

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// maxResponseBytes bounds what one response may hold; a page of 500 wide records
// is a few MB.
const maxResponseBytes = 64 << 20

// reqKind decides what may be resent after a failure.
type reqKind int

const (
	kindRead   reqKind = iota // GET, or a POST to /query or /query/count: resending is harmless
	kindCreate                // POST that creates: never resent, a duplicate is data damage
	kindWrite                 // PUT, PATCH, DELETE: resent only when provably never delivered
)

type apiRequest struct {
	method string
	path   string // relative to V1.0, no query string: for errors, logs and the endpoint family
	url    string // absolute URL (a nextPageUrl, the zone lookup); overrides base+path
	body   []byte
	kind   reqKind

	internal   bool // the threshold poll itself: no further poll
	zoneLookup bool // unauthenticated, not paced, unknown user is an auth failure
}

// attemptResult is what one round trip produced.
type attemptResult struct {
	status   int
	header   http.Header
	body     []byte
	err      error // transport error; nil when a full response was read
	sent     bool  // request bytes may have reached the server
	local    bool  // failed before sending: waiting for a slot or a token
	duration time.Duration
}

// call sends req (with retries where safe) and decodes a 2xx answer into out.
func (c *Client) call(ctx context.Context, req apiRequest, out any) error {
	if !req.internal && !req.zoneLookup {
		c.maybePollThreshold()
	}
	start := time.Now()
	rediscovered := false
	for attempt := 1; ; attempt++ {
		target := req.url
		if target == "" {
			base, err := c.BaseURL(ctx)
			if err != nil {
				return fmt.Errorf("%s %s: %w", req.method, req.path, err)
			}
			target = base + req.path
		}
		res := c.roundTrip(ctx, req, target)
		if res.local {
			return fmt.Errorf("%s %s: %w", req.method, req.path, res.err)
		}
		apiErr := classify(req, res)
		if apiErr == nil {
			apiErr = decodeInto(req, res, out)
		}
		if apiErr != nil {
			apiErr.Messages = c.redactCredentials(apiErr.Messages)
			c.dropRejectedMetadata(req, apiErr)
		}
		c.logAttempt(req, res, attempt, apiErr)
		if apiErr == nil {
			return nil
		}
		// Zones migrate: a 401 from a discovered zone earns one fresh discovery.
		if apiErr.StatusCode == http.StatusUnauthorized && req.url == "" && c.cfg.APIURL == "" && !rediscovered {
			rediscovered = true
			if changed, err := c.rediscoverZone(ctx, target); err == nil && changed {
				attempt--
				continue
			} else if err != nil {
				c.log.Warn("autotask zone re-discovery failed", "err", err)
			}
		}
		delay, ok := c.retryDelay(ctx, req, apiErr, res, attempt, start)
		if !ok {
			return apiErr
		}
		c.log.Debug("autotask retry", "method", req.method, "path", req.path, "attempt", attempt, "delay", delay)
		if err := sleepCtx(ctx, delay); err != nil {
			return apiErr
		}
	}
}

// roundTrip performs one attempt: pace, send, read the whole body.
func (c *Client) roundTrip(ctx context.Context, req apiRequest, target string) attemptResult {
	if !req.zoneLookup {
		release, err := c.pacer.acquire(ctx, endpointFamily(req.path))
		if err != nil {
			return attemptResult{err: err, local: true}
		}
		defer release()
		countRequest(ctx)
	}
	// The attempt's own deadline is told apart from the caller's by its cause: the caller
	// giving up ends the call, the attempt timing out is a lost answer (retried when safe).
	ctx, cancel := context.WithTimeoutCause(ctx, c.cfg.AttemptTimeout, errNoAnswer)
	defer cancel()
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{
		WroteHeaders: func() { wrote.Store(true) },
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
	}
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hreq, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), req.method, target, body)
	if err != nil {
		return attemptResult{err: err, local: true}
	}
	c.setHeaders(hreq, req)
	start := time.Now()
	resp, err := c.http.Do(hreq)
	if err != nil {
		return attemptResult{err: attemptError(ctx, scrubURLError(err), c.cfg.AttemptTimeout), sent: wrote.Load(), duration: time.Since(start)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	res := attemptResult{status: resp.StatusCode, header: resp.Header, body: data, sent: true, duration: time.Since(start)}
	if err != nil {
		res.err = fmt.Errorf("reading response: %w", attemptError(ctx, err, c.cfg.AttemptTimeout))
	} else if len(data) > maxResponseBytes {
		res.err = fmt.Errorf("response larger than %d bytes", maxResponseBytes)
	}
	return res
}

// redactCredentials removes this client's secret and integration code from the API's messages:
// they travel on into logs and tool results, and an API or proxy that quotes a request's
// headers back must not carry them there.
func (c *Client) redactCredentials(msgs []string) []string {
	for i, m := range msgs {
		for _, cred := range []string{c.cfg.Secret, c.cfg.IntegrationCode} {
			if len(cred) >= 4 {
				m = strings.ReplaceAll(m, cred, "[redacted]")
			}
		}
		msgs[i] = m
	}
	return msgs
}

// errNoAnswer is the cause of an attempt that outlived AttemptTimeout.
var errNoAnswer = errors.New("no answer in time")

// attemptError replaces the context error of an attempt that timed out on its own deadline,
// so classify does not mistake it for the caller giving up.
func attemptError(ctx context.Context, err error, timeout time.Duration) error {
	if errors.Is(context.Cause(ctx), errNoAnswer) && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w within %s", errNoAnswer, timeout)
	}
	return err
}

func (c *Client) setHeaders(h *http.Request, req apiRequest) {
	h.Header.Set("Accept", "application/json")
	h.Header.Set("User-Agent", "autotask-mcp")
	if req.body != nil {
		h.Header.Set("Content-Type", "application/json")
	}
	if req.zoneLookup {
		return // ZoneInformation needs no credentials; do not hand them to the lookup host
	}
	h.Header.Set("ApiIntegrationCode", c.cfg.IntegrationCode)
	h.Header.Set("UserName", c.cfg.Username)
	h.Header.Set("Secret", c.cfg.Secret)
	if id := c.impersonated(h.Context()); id > 0 {
		h.Header.Set("ImpersonationResourceId", strconv.FormatInt(id, 10))
	}
}

// scrubURLError drops the URL from a *url.Error: it never holds the secret, but a
// nextPageUrl can be long and says nothing the method and path do not.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func (c *Client) logAttempt(req apiRequest, res attemptResult, attempt int, err *APIError) {
	if err == nil {
		c.log.Debug("autotask request", "method", req.method, "path", req.path, "status", res.status,
			"attempt", attempt, "duration", res.duration)
		return
	}
	c.log.Debug("autotask request failed", "method", req.method, "path", req.path, "status", res.status,
		"attempt", attempt, "duration", res.duration, "err", err.Error())
}

// decodeInto decodes a 2xx body into out with UseNumber. A body that is not the
// JSON it should be is transient for a read, and for a write means it may well
// have been applied.
func decodeInto(req apiRequest, res attemptResult, out any) *APIError {
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(res.body)) == 0 && req.kind != kindRead {
		// A write answered with an empty 2xx was applied; the caller checks for a
		// missing itemId where one is needed.
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.UseNumber()
	err := dec.Decode(out)
	if err == nil {
		return nil
	}
	e := &APIError{Method: req.method, Path: req.path, StatusCode: res.status,
		Err: fmt.Errorf("malformed response body (%s): %w", nonJSONSummary(res), err)}
	if req.kind == kindRead {
		e.Kind = ErrTransient
	} else {
		e.Kind = ErrOutcomeUnknown
	}
	return e
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
