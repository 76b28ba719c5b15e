package sandbox

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// namedFault is one of the ways the real API, or what stands in front of it, breaks a
// request, under the short name a command line gives it.
type namedFault struct {
	name  string
	fault Fault
}

// namedFaults are the faults a client must survive, each as the API or the network
// produces it. Their names are a public interface (the --fault flag): never rename one.
var namedFaults = []namedFault{
	{"429-thread", Fault{Kind: FaultStatus, Status: 429}},
	{"429-hourly", Fault{Kind: FaultStatus, Status: 429, RetryAfter: 40 * time.Minute,
		Body: `{"errors":["API request threshold of 10000 requests per hour has been exceeded. Retry after 40m0s."]}`}},
	{"500", Fault{Kind: FaultStatus, Status: 500}},
	{"hang", Fault{Kind: FaultHang}},
	{"reset", Fault{Kind: FaultReset}},
	{"reset-after-apply", Fault{Kind: FaultResetAfterApply}},
	{"malformed-json", Fault{Kind: FaultMalformedJSON}},
	{"html-502", Fault{Kind: FaultHTML}},
}

// FaultNames lists the names FaultNamed knows, in a stable order.
func FaultNames() []string {
	names := make([]string, len(namedFaults))
	for i, nf := range namedFaults {
		names[i] = nf.name
	}
	return names
}

// FaultNamed is the fault called name (any case): 429-thread, 429-hourly, 500, hang, reset,
// reset-after-apply, malformed-json or html-502.
func FaultNamed(name string) (Fault, error) {
	for _, nf := range namedFaults {
		if strings.EqualFold(strings.TrimSpace(name), nf.name) {
			return nf.fault, nil
		}
	}
	return Fault{}, fmt.Errorf("unknown fault %q: want one of %s", name, strings.Join(FaultNames(), ", "))
}

// ParseRandomFault reads "NAME:RATE", e.g. "500:0.05" (5% of requests answer 500); RATE
// is a fraction from 0 to 1 or a percentage ("5%").
func ParseRandomFault(s string) (RandomFault, error) {
	name, rateText, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return RandomFault{}, fmt.Errorf("fault %q: want NAME:RATE, e.g. 500:0.05 (names: %s)", s, strings.Join(FaultNames(), ", "))
	}
	fault, err := FaultNamed(name)
	if err != nil {
		return RandomFault{}, err
	}
	rate, err := parseRate(rateText)
	if err != nil {
		return RandomFault{}, fmt.Errorf("fault %q: %w", s, err)
	}
	return RandomFault{Fault: fault, Rate: rate}, nil
}

func parseRate(s string) (float64, error) {
	s = strings.TrimSpace(s)
	scale := 1.0
	if rest, ok := strings.CutSuffix(s, "%"); ok {
		s, scale = strings.TrimSpace(rest), 100
	}
	rate, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(rate) || rate < 0 || rate/scale > 1 {
		return 0, fmt.Errorf("rate %q is not a fraction from 0 to 1 (or a percentage up to 100%%)", s)
	}
	return rate / scale, nil
}
