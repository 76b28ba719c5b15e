package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// sandboxKnobs make the sandbox behave like a real zone on a bad day: every request slow,
// some failing, each one logged. The sandbox subcommand takes them as --latency, --jitter,
// --fault and --request-log; the built-in sandbox as --sandbox-latency and so on.
type sandboxKnobs struct {
	Latency, Jitter time.Duration
	Faults          faultsFlag
	RequestLog      bool
}

// addSandboxKnobs binds the knobs to fs, each flag name behind prefix.
func addSandboxKnobs(fs *flag.FlagSet, prefix string) *sandboxKnobs {
	k := &sandboxKnobs{}
	fs.DurationVar(&k.Latency, prefix+"latency", 0, "hold every sandbox API request this `long` (e.g. 250ms), as a real zone's round trip does")
	fs.DurationVar(&k.Jitter, prefix+"jitter", 0, "vary the latency uniformly by up to this `much` either way, from the seed (at most the latency)")
	fs.Var(&k.Faults, prefix+"fault", "break this share of sandbox requests, `NAME:RATE` (e.g. 500:0.05); repeatable or comma-separated; names: "+
		strings.Join(sandbox.FaultNames(), ", "))
	fs.BoolVar(&k.RequestLog, prefix+"request-log", false, "print one line per sandbox request on stderr: method, path, status, duration (never credentials)")
	return k
}

// validate refuses knobs that contradict each other; name gives a flag's full name.
func (k *sandboxKnobs) validate(name func(flag string) string) error {
	switch {
	case k.Latency < 0:
		return usageErrorf("%s must not be negative, got %s", name("latency"), k.Latency)
	case k.Jitter < 0:
		return usageErrorf("%s must not be negative, got %s", name("jitter"), k.Jitter)
	case k.Jitter > k.Latency:
		return usageErrorf("%s (%s) must not exceed %s (%s): a request cannot take less than no time", name("jitter"), k.Jitter, name("latency"), k.Latency)
	}
	total := 0.0
	for _, f := range k.Faults.mix {
		total += f.Rate
	}
	if total > 1 {
		return usageErrorf("%s rates add up to %g: at most 1, since a request meets one fault at most", name("fault"), total)
	}
	return nil
}

// set reports whether any knob was given.
func (k *sandboxKnobs) set() bool {
	return k.Latency != 0 || k.Jitter != 0 || len(k.Faults.mix) > 0 || k.RequestLog
}

// apply puts the knobs into opts; the request log goes to log, one line a request.
func (k *sandboxKnobs) apply(opts sandbox.Options, log io.Writer) sandbox.Options {
	opts.Latency, opts.Jitter = k.Latency, k.Jitter
	opts.RandomFaults = k.Faults.mix
	if k.RequestLog && log != nil {
		var mu sync.Mutex
		opts.RequestLog = func(r sandbox.LoggedRequest) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(log, "%ssandbox: %s\n", stderrPrefix, r)
		}
	}
	return opts
}

// faultsFlag is a repeatable --fault NAME:RATE; one value may list several, comma-separated,
// so an environment variable can carry them all.
type faultsFlag struct {
	mix  []sandbox.RandomFault
	text []string
}

func (f *faultsFlag) String() string { return strings.Join(f.text, ",") }

func (f *faultsFlag) Set(s string) error {
	for part := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		rf, err := sandbox.ParseRandomFault(part)
		if err != nil {
			return err
		}
		f.mix = append(f.mix, rf)
		f.text = append(f.text, strings.TrimSpace(part))
	}
	return nil
}
