package tools

import (
	"errors"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// The tenant's Complete status, which resolve_ticket sets and create_ticket refuses.

// completeStatus is the tenant's Complete status: the configured id, else the status labelled exactly
// "Complete". Never a prefix or a near miss: in some tenants "Completed" is another status that does
// not stamp the resolution dates (the ticket contract, package autotask).
func completeStatus(md *autotask.Metadata, configured string) (autotask.PicklistValue, error) {
	p, ok := md.Picklist("status")
	if !ok {
		return autotask.PicklistValue{}, errors.New("the Tickets metadata has no status picklist")
	}
	if configured = strings.TrimSpace(configured); configured != "" {
		for _, v := range p.Values {
			if v.Value == configured {
				return v, nil
			}
		}
		return autotask.PicklistValue{}, fmt.Errorf("the configured Complete status id %s is not a ticket status of this tenant; the operator must fix --complete-status", configured)
	}
	for _, v := range p.Values {
		if v.Label == "Complete" {
			return v, nil
		}
	}
	return autotask.PicklistValue{}, errors.New(`this tenant has no ticket status labelled exactly "Complete"; the operator can name the status id with --complete-status. The resolution can still be written with complete: false`)
}
