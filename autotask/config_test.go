package autotask_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}

func TestConfigFromLookup(t *testing.T) {
	const secret = "p@ss w0rd$!`\"'"
	creds := func(extra map[string]string) map[string]string {
		env := map[string]string{
			"AUTOTASK_USERNAME":         "api@example.com",
			"AUTOTASK_SECRET":           secret,
			"AUTOTASK_INTEGRATION_CODE": "CODE123",
		}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    func(t *testing.T, c autotask.Config)
		wantErr string // substring naming the variable
	}{
		{
			name: "plain credentials, zone discovery",
			env:  creds(nil),
			want: func(t *testing.T, c autotask.Config) {
				assert.Equal(t, "api@example.com", c.Username)
				assert.Equal(t, secret, c.Secret)
				assert.Equal(t, "CODE123", c.IntegrationCode)
				assert.Empty(t, c.APIURL)
				assert.True(t, c.HasCredentials())
			},
		},
		{
			name: "base64 secret",
			env: map[string]string{
				"AUTOTASK_USERNAME":         "api@example.com",
				"AUTOTASK_SECRET_B64":       base64.StdEncoding.EncodeToString([]byte(secret)),
				"AUTOTASK_INTEGRATION_CODE": "CODE123",
			},
			want: func(t *testing.T, c autotask.Config) { assert.Equal(t, secret, c.Secret) },
		},
		{
			name: "api url normalised, resource id",
			env: creds(map[string]string{
				"AUTOTASK_API_URL":     "https://webservices5.autotask.net/atservicesrest",
				"AUTOTASK_RESOURCE_ID": "29682885",
			}),
			want: func(t *testing.T, c autotask.Config) {
				assert.Equal(t, "https://webservices5.autotask.net/ATServicesRest/V1.0/", c.APIURL)
				assert.Equal(t, int64(29682885), c.ResourceID)
			},
		},
		{
			name: "no credentials at all is not an error",
			env:  map[string]string{},
			want: func(t *testing.T, c autotask.Config) { assert.False(t, c.HasCredentials()) },
		},
		{name: "missing secret", env: map[string]string{"AUTOTASK_USERNAME": "u", "AUTOTASK_INTEGRATION_CODE": "c"}, wantErr: "AUTOTASK_SECRET"},
		{name: "missing integration code", env: map[string]string{"AUTOTASK_USERNAME": "u", "AUTOTASK_SECRET": "s"}, wantErr: "AUTOTASK_INTEGRATION_CODE"},
		{name: "missing username", env: map[string]string{"AUTOTASK_SECRET": "s", "AUTOTASK_INTEGRATION_CODE": "c"}, wantErr: "AUTOTASK_USERNAME"},
		{name: "malformed base64", env: map[string]string{"AUTOTASK_USERNAME": "u", "AUTOTASK_SECRET_B64": "!!!not base64", "AUTOTASK_INTEGRATION_CODE": "c"}, wantErr: "AUTOTASK_SECRET_B64"},
		{name: "both secrets", env: creds(map[string]string{"AUTOTASK_SECRET_B64": "c2VjcmV0"}), wantErr: "AUTOTASK_SECRET_B64"},
		{name: "plain http to a remote host", env: creds(map[string]string{"AUTOTASK_API_URL": "http://webservices5.autotask.net/ATServicesRest"}), wantErr: "AUTOTASK_API_URL"},
		{name: "not a url", env: creds(map[string]string{"AUTOTASK_API_URL": "webservices5"}), wantErr: "AUTOTASK_API_URL"},
		{name: "bad resource id", env: creds(map[string]string{"AUTOTASK_RESOURCE_ID": "abc"}), wantErr: "AUTOTASK_RESOURCE_ID"},
		{name: "negative resource id", env: creds(map[string]string{"AUTOTASK_RESOURCE_ID": "-4"}), wantErr: "AUTOTASK_RESOURCE_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := autotask.ConfigFromLookup(lookupFrom(tt.env))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), secret)
				return
			}
			require.NoError(t, err)
			tt.want(t, cfg)
		})
	}
}

func TestNormalizeAPIURL(t *testing.T) {
	const canonical = "https://webservices5.autotask.net/ATServicesRest/V1.0/"
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "https://webservices5.autotask.net/ATServicesRest", want: canonical},
		{in: "https://webservices5.autotask.net/ATServicesRest/", want: canonical},
		{in: "https://webservices5.autotask.net/atservicesrest/v1.0", want: canonical},
		{in: "https://webservices5.autotask.net/ATServicesRest/V1.0/", want: canonical},
		{in: "https://WebServices5.Autotask.net", want: canonical},
		{in: "  https://webservices5.autotask.net/ATServicesRest/V1.0  ", want: canonical},
		{in: "http://127.0.0.1:8085/ATServicesRest", want: "http://127.0.0.1:8085/ATServicesRest/V1.0/"},
		{in: "http://localhost:8085", want: "http://localhost:8085/ATServicesRest/V1.0/"},
		{in: "http://[::1]:8085/atservicesrest/", want: "http://[::1]:8085/ATServicesRest/V1.0/"},
		{in: "http://webservices5.autotask.net/ATServicesRest", wantErr: true},
		{in: "http://10.0.0.5/ATServicesRest", wantErr: true},
		{in: "ftp://webservices5.autotask.net/ATServicesRest", wantErr: true},
		{in: "https://user:pw@webservices5.autotask.net/ATServicesRest", wantErr: true},
		{in: "https://webservices5.autotask.net/ATServicesRest?x=1", wantErr: true},
		{in: "webservices5.autotask.net", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := autotask.NormalizeAPIURL(tt.in)
			if tt.wantErr {
				require.Error(t, err)
				assert.NotContains(t, err.Error(), "pw@")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestConfigNeverShowsSecret(t *testing.T) {
	const secret = "Sup3r-S3cret-Value"
	cfg := autotask.Config{Username: "api@example.com", Secret: secret, IntegrationCode: "CODE-XYZ"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "cfg", cfg)
	jsonBytes, err := json.Marshal(cfg)
	require.NoError(t, err)
	renderings := map[string]string{
		"String": cfg.String(),
		"%v":     fmt.Sprintf("%v", cfg),
		"%+v":    fmt.Sprintf("%+v", cfg),
		"%#v":    fmt.Sprintf("%#v", cfg),
		"%s ptr": fmt.Sprintf("%s", &cfg), //lint:ignore S1025 what fmt's %s verb prints is the point
		"slog":   logged.String(),
		"json":   string(jsonBytes),
	}
	for name, s := range renderings {
		t.Run(name, func(t *testing.T) {
			assert.NotContains(t, s, secret)
			assert.NotContains(t, s, "CODE-XYZ")
			assert.Contains(t, s, "api@example.com")
		})
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		cfg     autotask.Config
		wantErr string
	}{
		{name: "no credentials", cfg: autotask.Config{}, wantErr: "IntegrationCode, Secret, Username"},
		{name: "missing secret", cfg: autotask.Config{Username: "u", IntegrationCode: "c"}, wantErr: "Secret"},
		{name: "header injection", cfg: autotask.Config{Username: "u", Secret: "s\r\nX: y", IntegrationCode: "c"}, wantErr: "Secret"},
		{name: "remote http", cfg: autotask.Config{Username: "u", Secret: "s", IntegrationCode: "c", APIURL: "http://example.com"}, wantErr: "http"},
		{name: "ok", cfg: autotask.Config{Username: "u", Secret: "s", IntegrationCode: "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := autotask.New(tt.cfg)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), "s\r\n")
				return
			}
			require.NoError(t, err)
			require.NoError(t, c.Close())
		})
	}
}
