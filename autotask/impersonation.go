package autotask

import "context"

// Every request is made as one resource: the one the call's context names (WithImpersonation),
// else Config.ResourceID, else the API user itself. A server that serves a team makes each
// technician's calls as that technician, so the notes and time entries they cause show who did
// the work rather than the integration's name.

type impersonationKey struct{}

// WithImpersonation returns a context whose requests are made as the resource resourceID (sent as
// ImpersonationResourceId), overriding Config.ResourceID. A resourceID of 0 or less leaves the
// configured default in force.
func WithImpersonation(ctx context.Context, resourceID int64) context.Context {
	if resourceID <= 0 {
		return ctx
	}
	return context.WithValue(ctx, impersonationKey{}, resourceID)
}

// impersonated is the resource a request made with ctx is made as; 0 when none is set anywhere
// and the API user acts as itself.
func (c *Client) impersonated(ctx context.Context) int64 {
	if id, ok := ctx.Value(impersonationKey{}).(int64); ok && id > 0 {
		return id
	}
	return c.cfg.ResourceID
}
