//go:build race

package e2e

// raceEnabled builds the binary under test with -race too, so a data race that only a real
// client's traffic provokes fails the suite (the JS harness watches the server's stderr).
const raceEnabled = true
