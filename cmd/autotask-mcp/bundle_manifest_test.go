package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// bundleManifest is the part of bundle/manifest.json (an MCP Bundle manifest) that maps
// what Claude Desktop asks the user onto the server's environment. Its schema is checked by
// the bundle tool itself (scripts/release); this is what the schema cannot know.
type bundleManifest struct {
	Server struct {
		MCPConfig struct {
			Env map[string]string `json:"env"`
		} `json:"mcp_config"`
	} `json:"server"`
	UserConfig map[string]struct {
		Type      string `json:"type"`
		Required  bool   `json:"required"`
		Sensitive bool   `json:"sensitive"`
	} `json:"user_config"`
}

var userConfigRef = regexp.MustCompile(`^\$\{user_config\.([a-z_]+)\}$`)

// TestBundleManifest: every setting the bundle asks for reaches the server as the variable
// the server reads, the secret is marked sensitive, and a server started with the
// environment Claude Desktop builds from the answers uses them.
func TestBundleManifest(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "bundle", "manifest.json"))
	require.NoError(t, err)
	var m bundleManifest
	require.NoError(t, json.Unmarshal(raw, &m))

	settingOf := map[string]string{} // environment variable -> user_config key
	for name, value := range m.Server.MCPConfig.Env {
		ref := userConfigRef.FindStringSubmatch(value)
		require.NotNil(t, ref, "env %s=%q: each variable is one user_config answer", name, value)
		_, ok := m.UserConfig[ref[1]]
		require.True(t, ok, "env %s refers to user_config.%s, which the manifest does not ask for", name, ref[1])
		settingOf[name] = ref[1]
	}
	used := map[string]bool{}
	for _, key := range settingOf {
		used[key] = true
	}
	for key := range m.UserConfig {
		assert.True(t, used[key], "user_config.%s is asked for but reaches no variable", key)
	}
	want := map[string]struct{ required, sensitive bool }{
		autotask.EnvUsername:        {required: true},
		autotask.EnvSecret:          {required: true, sensitive: true},
		autotask.EnvIntegrationCode: {required: true},
		autotask.EnvAPIURL:          {},
		envName("read-only"):        {},
	}
	for name, w := range want {
		key, ok := settingOf[name]
		if !assert.True(t, ok, "the bundle sets %s", name) {
			continue
		}
		assert.Equal(t, w.required, m.UserConfig[key].Required, "user_config.%s required", key)
		assert.Equal(t, w.sensitive, m.UserConfig[key].Sensitive, "user_config.%s sensitive", key)
	}
	assert.Equal(t, "boolean", m.UserConfig[settingOf[envName("read-only")]].Type)
	assert.Len(t, settingOf, len(want), "only the variables above: %v", settingOf)

	// The environment Claude Desktop builds: each reference replaced by the answer, a
	// boolean as "true" or "false".
	const secret = "bundle-s3cret-for-test"
	apiURL := startSandboxCommand(t, []string{"sandbox", "--addr", "127.0.0.1:0", "--tickets", "20", "--secret", secret})["AUTOTASK_API_URL"]
	require.NotEmpty(t, apiURL)
	envFor := func(readOnly string) []string {
		answers := map[string]string{autotask.EnvUsername: "sandbox@autotask-mcp.local", autotask.EnvSecret: secret,
			autotask.EnvIntegrationCode: "SANDBOX", autotask.EnvAPIURL: apiURL, envName("read-only"): readOnly}
		var env []string
		for name := range settingOf {
			env = append(env, name+"="+answers[name])
		}
		return testEnv(t, env...)
	}
	stdout, stderr, code := runBinary(t, envFor("false"), "", "check")
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "credentials: ok", "the answers reach the tenant as its credentials")

	for _, tc := range []struct {
		readOnly   string
		wantWrites bool
	}{{"false", true}, {"true", false}} {
		stdout, stderr, code := runBinary(t, envFor(tc.readOnly), "", "tools")
		require.Equal(t, exitOK, code, stderr)
		assert.NotContains(t, stderr, "built-in sandbox tenant", "the answers are credentials: no fallback to the sandbox")
		assert.Equal(t, tc.wantWrites, strings.Contains(stdout, `"name": "add_ticket_note"`), "read_only=%s", tc.readOnly)
	}
}
