package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// runCheck verifies the configured credentials against the tenant: it discovers
// the zone and reads the API usage (an authenticated request), then prints both.
func runCheck(ctx context.Context, args []string, lookup env, std stdio) error {
	fs := newFlagSet("check")
	sandboxFlag := fs.Bool("sandbox", false, "check the built-in sandbox tenant instead of a real one")
	level := levelValue{}
	fs.Var(&level, "log-level", "log level on stderr: `debug|info|warn|error`")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	positional, err := parseFlags(fs, args, lookup, true, std.out)
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return usageErrorf("check: unexpected argument %q", positional[0])
	}
	logger := newLogger(std.err, level.level)
	t, err := openTenant(serverConfig{Sandbox: *sandboxFlag}, lookup, logger, std.err)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	defer func() { _ = t.Close(context.WithoutCancel(ctx)) }()

	kind := "Autotask tenant"
	if t.Sandbox != nil {
		kind = "built-in sandbox tenant"
	}
	line(std.out, "tenant", kind)
	line(std.out, "user", t.Config.Username)

	zone, err := t.Client.Zone(ctx)
	if err != nil {
		return fmt.Errorf("check: zone: %w", err)
	}
	if zone.ZoneName != "" {
		line(std.out, "zone", zone.ZoneName)
	}
	base, err := t.Client.BaseURL(ctx)
	if err != nil {
		return fmt.Errorf("check: API URL: %w", err)
	}
	line(std.out, "api", base)
	if zone.WebURL != "" {
		line(std.out, "web", zone.WebURL)
	}

	th, err := t.Client.Threshold(ctx)
	if err != nil {
		return fmt.Errorf("check: credentials: %w", err)
	}
	line(std.out, "usage", formatUsage(th.CurrentTimeframeRequestCount, th.ExternalRequestThreshold, th.RequestThresholdTimeframe))
	line(std.out, "credentials", "ok")
	return nil
}

func formatUsage(used, limit, minutes int) string {
	s := fmt.Sprintf("%d of %d requests", used, limit)
	if minutes > 0 {
		s += fmt.Sprintf(" in the current %d-minute window", minutes)
	}
	if limit > 0 {
		s += fmt.Sprintf(" (%.1f%%)", 100*float64(used)/float64(limit))
	}
	return s
}

func line(w io.Writer, key, value string) {
	fmt.Fprintf(w, "%-12s %s\n", key+":", value)
}
