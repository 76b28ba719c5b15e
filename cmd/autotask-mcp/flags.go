package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// envPrefix names the environment variable behind every flag: --read-only is
// AUTOTASK_MCP_READ_ONLY. Desktop clients configure servers through env blocks, so
// every setting must be reachable that way.
const envPrefix = "AUTOTASK_MCP_"

func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// usageError is a mistake in the command line or environment: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// errHelpShown ends a command after -h printed its flags.
var errHelpShown = errors.New("help shown")

// newFlagSet returns a flag set that reports errors through run (once, with the
// command's name) instead of printing them itself.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses flags that may come before, between or after positional
// arguments ("--" ends the flags) and returns the positional ones. With withEnv, every
// flag the command line left unset is then filled from its AUTOTASK_MCP_* variable (an
// empty variable counts as unset). Every bad value is reported, naming the flag or the
// variable that carried it.
func parseFlags(fs *flag.FlagSet, args []string, lookup env, withEnv bool, help io.Writer) ([]string, error) {
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printFlags(fs, help, withEnv)
				return nil, errHelpShown
			}
			return nil, usageErrorf("%s: %v (see autotask-mcp %s -h)", fs.Name(), err, fs.Name())
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if consumed := len(rest) - len(left); consumed > 0 && rest[consumed-1] == "--" {
			positional = append(positional, left...)
			break
		}
		positional = append(positional, left[0])
		rest = left[1:]
	}
	if !withEnv {
		return positional, nil
	}
	onCommandLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCommandLine[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if onCommandLine[f.Name] {
			return
		}
		name := envName(f.Name)
		value, ok := lookup(name)
		if !ok || value == "" {
			return
		}
		if err := f.Value.Set(value); err != nil {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				err = errors.New("must be true or false")
			}
			errs = append(errs, fmt.Errorf("%s=%q: %w", name, value, err))
		}
	})
	if len(errs) > 0 {
		return nil, &usageError{err: errors.Join(errs...)}
	}
	return positional, nil
}

func printFlags(fs *flag.FlagSet, w io.Writer, withEnv bool) {
	fmt.Fprintf(w, "Usage of autotask-mcp %s:\n", fs.Name())
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", name)
		}
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "\n      %s\n", usage)
		if withEnv {
			fmt.Fprintf(w, "      env %s\n", envName(f.Name))
		}
	})
}

// choiceValue is a string flag limited to a closed set, so a typo is an error that
// lists the valid values rather than a surprise at run time.
type choiceValue struct {
	value   string
	choices []string
}

func newChoice(def string, choices ...string) *choiceValue {
	return &choiceValue{value: def, choices: choices}
}

func (c *choiceValue) String() string { return c.value }

func (c *choiceValue) Set(s string) error {
	for _, choice := range c.choices {
		if strings.EqualFold(s, choice) {
			c.value = choice
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(c.choices, ", "))
}

// levelValue is a --log-level flag.
type levelValue struct{ level slog.Level }

func (l *levelValue) String() string { return strings.ToLower(l.level.String()) }

func (l *levelValue) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		l.level = slog.LevelDebug
	case "info":
		l.level = slog.LevelInfo
	case "warn", "warning":
		l.level = slog.LevelWarn
	case "error":
		l.level = slog.LevelError
	default:
		return errors.New("must be one of debug, info, warn, error")
	}
	return nil
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
