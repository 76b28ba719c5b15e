package autotask

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Defaults applied by New to zero fields of Config.
const (
	DefaultZoneLookupURL     = "https://webservices.autotask.net/ATServicesRest/"
	DefaultHourlyBudget      = 10000
	DefaultMaxInFlight       = 3
	DefaultMetadataTTL       = time.Hour
	DefaultNameTTL           = 15 * time.Minute
	DefaultNameCacheSize     = 20000
	DefaultThresholdInterval = 5 * time.Minute
	DefaultRetryBaseDelay    = 250 * time.Millisecond
	// DefaultAttemptTimeout bounds one request: a hung read is abandoned and retried, so a tool
	// call answers within about a minute instead of waiting out the transport's 90 s timeout.
	DefaultAttemptTimeout = 30 * time.Second
)

// Environment variables read by ConfigFromEnv.
const (
	EnvUsername        = "AUTOTASK_USERNAME"
	EnvSecret          = "AUTOTASK_SECRET"
	EnvSecretB64       = "AUTOTASK_SECRET_B64"
	EnvIntegrationCode = "AUTOTASK_INTEGRATION_CODE"
	EnvAPIURL          = "AUTOTASK_API_URL"
	EnvResourceID      = "AUTOTASK_RESOURCE_ID"
	EnvZoneLookupURL   = "AUTOTASK_ZONE_LOOKUP_URL"
	EnvCacheDir        = "AUTOTASK_CACHE_DIR"
	EnvHourlyBudget    = "AUTOTASK_HOURLY_BUDGET"
)

// Config says which tenant to talk to and how gently.
type Config struct {
	Username, Secret, IntegrationCode string
	APIURL                            string        // optional; normalised to ".../ATServicesRest/V1.0/"; empty -> zone discovery
	ZoneLookupURL                     string        // default DefaultZoneLookupURL
	ResourceID                        int64         // sent as ImpersonationResourceId when > 0
	CacheDir                          string        // zone, metadata and threshold cache dir; default os.UserCacheDir()/autotask-mcp
	NoDiskCache                       bool          // keep nothing on disk (a tenant whose URL changes every start, like the local sandbox)
	HourlyBudget                      int           // default 10000
	MaxInFlight                       int           // per endpoint family, default 3
	HTTPClient                        *http.Client  // default: timeouts set
	Logger                            *slog.Logger  // default: discard
	MetadataTTL                       time.Duration // default 1h
	NameTTL                           time.Duration // how long a record's name is reused; default 15m
	NameCacheSize                     int           // record names held at most; default 20000
	ThresholdInterval                 time.Duration // how often ThresholdInformation is polled; default 5m; < 0 disables
	RetryBaseDelay                    time.Duration // default 250ms (tests set it small)
	AttemptTimeout                    time.Duration // one request's time to answer; default 30s
	// Now is the clock of the metadata, name and lookup caches and of the threshold poll; default
	// time.Now. Tests move it instead of sleeping. (A Retry-After date is measured from the
	// response's own Date header, not from this clock.)
	Now func() time.Time
}

// ConfigFromEnv reads the AUTOTASK_* variables of the process environment.
func ConfigFromEnv() (Config, error) { return ConfigFromLookup(os.LookupEnv) }

// ConfigFromLookup reads the AUTOTASK_* variables through lookup. Having none of the
// three credentials is not an error (HasCredentials says so, and the caller may
// choose the sandbox); having only some of them, or a malformed value, is an error
// naming the variable.
func ConfigFromLookup(lookup func(string) (string, bool)) (Config, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	var cfg Config
	cfg.Username = get(EnvUsername)
	cfg.IntegrationCode = get(EnvIntegrationCode)
	// The secret is taken verbatim: leading or trailing symbols may be part of it.
	secret, hasSecret := lookup(EnvSecret)
	b64 := get(EnvSecretB64)
	switch {
	case hasSecret && secret != "" && b64 != "":
		return Config{}, fmt.Errorf("%s and %s are both set; set only one", EnvSecret, EnvSecretB64)
	case b64 != "":
		decoded, err := decodeBase64(b64)
		if err != nil {
			return Config{}, fmt.Errorf("%s is not valid base64: %w", EnvSecretB64, err)
		}
		cfg.Secret = decoded
	default:
		cfg.Secret = secret
	}

	set := map[string]bool{EnvUsername: cfg.Username != "", EnvSecret: cfg.Secret != "", EnvIntegrationCode: cfg.IntegrationCode != ""}
	if set[EnvUsername] || set[EnvSecret] || set[EnvIntegrationCode] {
		var missing []string
		for _, name := range []string{EnvUsername, EnvSecret, EnvIntegrationCode} {
			if !set[name] {
				if name == EnvSecret {
					name = EnvSecret + " (or " + EnvSecretB64 + ")"
				}
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return Config{}, fmt.Errorf("incomplete Autotask credentials: %s not set", strings.Join(missing, ", "))
		}
	}

	if raw := get(EnvAPIURL); raw != "" {
		u, err := NormalizeAPIURL(raw)
		if err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvAPIURL, err)
		}
		cfg.APIURL = u
	}
	if raw := get(EnvZoneLookupURL); raw != "" {
		u, err := NormalizeAPIURL(raw)
		if err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvZoneLookupURL, err)
		}
		cfg.ZoneLookupURL = u
	}
	if raw := get(EnvResourceID); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return Config{}, fmt.Errorf("%s must be a positive resource id, got %q", EnvResourceID, raw)
		}
		cfg.ResourceID = id
	}
	cfg.CacheDir = get(EnvCacheDir)
	if raw := get(EnvHourlyBudget); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n <= 0 {
			return Config{}, fmt.Errorf("%s must be a positive number of requests, got %q", EnvHourlyBudget, raw)
		}
		cfg.HourlyBudget = n
	}
	return cfg, nil
}

func decodeBase64(s string) (string, error) {
	var lastErr error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err == nil {
			if len(b) == 0 {
				return "", errors.New("decodes to an empty secret")
			}
			return string(b), nil
		}
		lastErr = err
	}
	return "", lastErr
}

// HasCredentials reports whether all three credentials are present.
func (c Config) HasCredentials() bool {
	return c.Username != "" && c.Secret != "" && c.IntegrationCode != ""
}

// String shows the configuration without its secret, for logs and `check` output.
func (c Config) String() string {
	api := c.APIURL
	if api == "" {
		api = "(zone discovery)"
	}
	return fmt.Sprintf("autotask.Config{Username: %q, Secret: %s, IntegrationCode: %s, APIURL: %s, ResourceID: %d}",
		c.Username, redacted(c.Secret), redacted(c.IntegrationCode), api, c.ResourceID)
}

// GoString keeps %#v from printing the secret field by field.
func (c Config) GoString() string { return c.String() }

// LogValue keeps slog from reflecting over the struct.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON keeps a config dumped as JSON (diagnostics) free of the secret.
func (c Config) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"username": c.Username, "secret": redacted(c.Secret), "integrationCode": redacted(c.IntegrationCode),
		"apiUrl": c.APIURL, "resourceId": c.ResourceID,
	})
}

func redacted(s string) string {
	if s == "" {
		return "(unset)"
	}
	return "(redacted)"
}

// NormalizeAPIURL turns any accepted spelling of a zone URL
// ("https://webservices5.autotask.net/atservicesrest", with or without a trailing
// slash or "/V1.0") into the canonical "https://host/ATServicesRest/V1.0/". Plain
// http is accepted only for a loopback host (the sandbox), because the secret
// travels in a header.
func NormalizeAPIURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("not a URL: %q", raw)
	}
	if u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%q has no host; expected https://webservicesN.autotask.net/ATServicesRest", raw)
	}
	if u.User != nil {
		return "", errors.New("the URL must not carry credentials; use the AUTOTASK_USERNAME/SECRET settings")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must not have a query or fragment", u.Scheme+"://"+u.Host+u.Path)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("%q uses plain http, allowed only for a loopback host; use https", u.Scheme+"://"+u.Host)
		}
	default:
		return "", fmt.Errorf("%q: scheme must be https", raw)
	}
	path := strings.TrimRight(u.Path, "/")
	if strings.HasSuffix(strings.ToLower(path), "/v1.0") {
		path = strings.TrimRight(path[:len(path)-len("/v1.0")], "/")
	}
	if strings.HasSuffix(strings.ToLower(path), "/atservicesrest") {
		path = path[:len(path)-len("/atservicesrest")]
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + path + "/ATServicesRest/V1.0/", nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// withDefaults fills zero fields; it is where New's defaults live.
func (c Config) withDefaults() (Config, error) {
	if c.ZoneLookupURL == "" {
		c.ZoneLookupURL = DefaultZoneLookupURL
	}
	zl, err := NormalizeAPIURL(c.ZoneLookupURL)
	if err != nil {
		return c, fmt.Errorf("zone lookup URL: %w", err)
	}
	c.ZoneLookupURL = zl
	if c.APIURL != "" {
		api, err := NormalizeAPIURL(c.APIURL)
		if err != nil {
			return c, fmt.Errorf("API URL: %w", err)
		}
		c.APIURL = api
	}
	if c.CacheDir == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			c.CacheDir = filepath.Join(dir, "autotask-mcp")
		}
	}
	if c.HourlyBudget <= 0 {
		c.HourlyBudget = DefaultHourlyBudget
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.HTTPClient == nil {
		c.HTTPClient = DefaultHTTPClient()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.MetadataTTL <= 0 {
		c.MetadataTTL = DefaultMetadataTTL
	}
	if c.NameTTL <= 0 {
		c.NameTTL = DefaultNameTTL
	}
	if c.NameCacheSize <= 0 {
		c.NameCacheSize = DefaultNameCacheSize
	}
	if c.ThresholdInterval == 0 {
		c.ThresholdInterval = DefaultThresholdInterval
	}
	if c.RetryBaseDelay <= 0 {
		c.RetryBaseDelay = DefaultRetryBaseDelay
	}
	if c.AttemptTimeout <= 0 {
		c.AttemptTimeout = DefaultAttemptTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// DefaultHTTPClient is the HTTP client a Config without one gets: a fresh transport with a
// response-header timeout under the API's own, and enough idle connections for the concurrent
// requests the API allows.
func DefaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 90 * time.Second
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t, Timeout: 2 * time.Minute}
}
