package sandbox

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
)

// authenticate checks the three headers. A wrong user name or secret is an empty 401; a
// wrong integration code is a 500 with an errors message, as the real API answers
// (reported client behaviour: apigrate/autotask-restapi#19). Nothing echoes a secret.
func (s *Sandbox) authenticate(w http.ResponseWriter, r *http.Request) bool {
	c := s.opts.Credentials
	user := r.Header.Get("UserName")
	secret := r.Header.Get("Secret")
	if !strings.EqualFold(user, c.Username) || subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusUnauthorized)
		return false
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("ApiIntegrationCode")), []byte(c.IntegrationCode)) != 1 {
		writeErrors(w, http.StatusInternalServerError, "IntegrationCode is invalid.")
		return false
	}
	return true
}

// actorOf resolves ImpersonationResourceId: writes are recorded as made by that resource,
// with the API user kept as the impersonator.
func (s *Sandbox) actorOf(w http.ResponseWriter, r *http.Request) (actor, impersonator int64, ok bool) {
	h := strings.TrimSpace(r.Header.Get("ImpersonationResourceId"))
	if h == "" {
		return s.apiResourceID, 0, true
	}
	id, err := strconv.ParseInt(h, 10, 64)
	if err == nil {
		if st, found := s.storeNamed("Resources"); found {
			if rec := st.get(id); rec != nil && rec.f["isActive"] == true {
				return id, s.apiResourceID, true
			}
		}
	}
	writeErrors(w, http.StatusInternalServerError,
		"Impersonation failed: ImpersonationResourceId ["+h+"] is not an active resource.")
	return 0, 0, false
}

// serveZone answers GET /V1.0/ZoneInformation?user=NAME without authentication. The url it
// gives is the sandbox itself, so a client that discovers its zone lands back here.
func (s *Sandbox) serveZone(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeMethodNotAllowed(w, r, []string{http.MethodGet})
		return
	}
	user := r.URL.Query().Get("user")
	if user == "" || !strings.EqualFold(user, s.opts.Credentials.Username) {
		writeErrors(w, http.StatusInternalServerError, "Zone information could not be determined")
		return
	}
	root := scheme(r) + "://" + r.Host + "/"
	writeJSON(w, http.StatusOK, map[string]any{
		"zoneName": "Sandbox",
		"url":      root + "ATServicesRest/",
		"webUrl":   root,
		"ci":       0,
	})
}

func (s *Sandbox) serveThreshold(a *apiRequest) {
	writeJSON(a.w, http.StatusOK, map[string]int{
		"externalRequestThreshold":     s.opts.HourlyLimit,
		"requestThresholdTimeframe":    60,
		"currentTimeframeRequestCount": s.limits.usage(s.opts.Now()),
	})
}

func (s *Sandbox) serveVersion(a *apiRequest) {
	writeJSON(a.w, http.StatusOK, map[string]string{
		"majorVersion": "2026",
		"minorVersion": "1",
		"build":        "sandbox",
		"customerType": "Sandbox",
	})
}

// serveVersionInformation answers /ATServicesRest/VersionInformation: the API versions.
func (s *Sandbox) serveVersionInformation(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeMethodNotAllowed(w, r, []string{http.MethodGet})
		return
	}
	writeJSON(w, http.StatusOK, map[string][]string{"apiVersions": {"1.0"}})
}
