package guard

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// isSecretField remembers its answers; they must be the check's own, every time, and the memo must
// stop growing at its bound however many names it is asked about.
func TestIsSecretFieldMemo(t *testing.T) {
	tests := []struct {
		name   string
		secret bool
	}{
		{"title", false},
		{"apiSecret", true},
		{"UserPassword", true},
		{"accessToken", true},
		{"Private_Key", true},
		{"companyID", false},
	}
	for range 2 { // the second round answers from the memo
		for _, tt := range tests {
			assert.Equal(t, tt.secret, isSecretField(tt.name), tt.name)
		}
	}

	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range maxSecretMemo {
				isSecretField("field" + strconv.Itoa(w) + "_" + strconv.Itoa(i))
			}
		})
	}
	wg.Wait()
	stored := 0
	secretMemo.names.Range(func(any, any) bool { stored++; return true })
	assert.LessOrEqual(t, stored, maxSecretMemo, "the memo is bounded")
	// Only callers that passed the Load just before the count reached the bound may add past it
	// (a few, not the 4×maxSecretMemo names asked about here).
	assert.Less(t, int(secretMemo.size.Load()), maxSecretMemo+64, "a full memo stops counting, so the count cannot wrap around")
	assert.True(t, isSecretField("passwordHintNeverSeenBefore"), "past the bound the check is still made")
	assert.False(t, isSecretField("ticketTitleNeverSeenBefore"))
}
