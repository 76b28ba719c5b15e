// Package autotask is a client for the Autotask PSA REST API (ATServicesRest V1.0).
//
// It exists so that callers (the MCP tools) never build URLs or touch HTTP: the client
// owns zone discovery, authentication headers, the tenant's shared request budget
// (10,000 an hour, three in flight per endpoint), retries that never resend a write
// which may already have been applied, streaming pagination, the entity catalog
// generated from the vendor spec, cached metadata and picklists, and the ticket update
// contract of seed 003 (fresh GET, then a PUT of the whole object with only the
// intended fields changed).
//
// Errors carry one of the package's sentinel kinds (test with errors.Is) and, when
// the API answered, an *APIError with its own error text (errors.As). The API secret
// never appears in an error, a log line or a String().
package autotask
