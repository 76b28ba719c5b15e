package sandbox

import "net/http"

// serveEntityInformation answers /{Entity}/entityInformation: {"info": {...}}.
func (s *Sandbox) serveEntityInformation(a *apiRequest) {
	writeJSON(a.w, http.StatusOK, entityInfoJSON(a.meta))
}

// serveFields answers /{Entity}/entityInformation/fields: {"fields": [...]}.
func (s *Sandbox) serveFields(a *apiRequest) {
	fields := a.meta.fields
	if fields == nil {
		fields = []*fieldDef{}
	}
	writeJSON(a.w, http.StatusOK, map[string]any{"fields": fields})
}

// serveUDFs answers /{Entity}/entityInformation/userDefinedFields: {"fields": [...]}.
func (s *Sandbox) serveUDFs(a *apiRequest) {
	udfs := a.meta.udfs
	if udfs == nil {
		udfs = []udfDef{}
	}
	writeJSON(a.w, http.StatusOK, map[string]any{"fields": udfs})
}
