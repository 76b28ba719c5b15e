// Package spec reads the vendor's description of ATServicesRest V1.0 (the Swagger spec and the
// per-entity capability table, kept in autotask-api/ beside this file with their source and
// licence notes) for the project's generators. The
// client's catalog and the sandbox's route table are generated separately, so the sandbox stays
// the API's twin rather than the client's, but both read the spec the same way through here.
package spec

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Capabilities says which operations the capability table allows.
type Capabilities struct {
	Query      bool `json:"query"`
	Count      bool `json:"count"`
	Get        bool `json:"get"`
	Create     bool `json:"create"`
	Put        bool `json:"put"`
	Patch      bool `json:"patch"`
	Delete     bool `json:"delete"`
	EntityInfo bool `json:"entityInfo"`
}

// Any reports whether any operation is allowed; Version, ZoneInformation and the like allow none.
func (c Capabilities) Any() bool {
	return c.Query || c.Count || c.Get || c.Create || c.Put || c.Patch || c.Delete || c.EntityInfo
}

// OnlyEntityInfo marks table entries such as InventoryStockedItemsAdd that are reachable only
// as child routes.
func (c Capabilities) OnlyEntityInfo() bool {
	return c.EntityInfo && !(c.Query || c.Count || c.Get || c.Create || c.Put || c.Patch || c.Delete)
}

// ChildRoute is a route under a parent record: /{Parent}/{parentId}/{ChildSegment}.
type ChildRoute struct {
	Parent       string `json:"parent"`
	ChildSegment string `json:"childSegment"`
	Capabilities
}

// Property is one property of a Swagger definition.
type Property struct {
	Type   string `json:"type"`
	Format string `json:"format"`
	Ref    string `json:"$ref"`
}

// Definition is a Swagger model.
type Definition struct {
	Properties map[string]Property `json:"properties"`
}

type operation struct {
	Responses map[string]struct {
		Schema struct {
			Ref string `json:"$ref"`
		} `json:"schema"`
	} `json:"responses"`
}

// Spec is the spec and the capability table together.
type Spec struct {
	Paths       map[string]map[string]operation
	Definitions map[string]Definition
	TopLevel    map[string]Capabilities
	Children    []ChildRoute
}

// Load reads atservicesrest-v1.swagger.json (or its gzip-compressed .json.gz, the form the
// repository keeps: 3 MB of minified JSON compress to 73 KB) and entity-capabilities.json from dir.
func Load(dir string) (*Spec, error) {
	var swagger struct {
		Paths       map[string]map[string]operation `json:"paths"`
		Definitions map[string]Definition           `json:"definitions"`
	}
	if err := readJSON(filepath.Join(dir, "atservicesrest-v1.swagger.json"), &swagger); errors.Is(err, fs.ErrNotExist) {
		err = readJSON(filepath.Join(dir, "atservicesrest-v1.swagger.json.gz"), &swagger)
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	var table struct {
		TopLevel map[string]Capabilities `json:"topLevel"`
		Children []ChildRoute            `json:"children"`
	}
	if err := readJSON(filepath.Join(dir, "entity-capabilities.json"), &table); err != nil {
		return nil, err
	}
	return &Spec{Paths: swagger.Paths, Definitions: swagger.Definitions, TopLevel: table.TopLevel, Children: table.Children}, nil
}

// EntityNames lists the top-level entities that allow any operation, sorted.
func (s *Spec) EntityNames() []string {
	names := make([]string, 0, len(s.TopLevel))
	for name, c := range s.TopLevel {
		if c.Any() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Models maps each named entity to its model definition ("Tickets" -> "TicketModel"), and back.
func (s *Spec) Models(names []string) (byEntity, byModel map[string]string) {
	byEntity, byModel = map[string]string{}, map[string]string{}
	for _, name := range names {
		if m := s.modelOf(name); m != "" {
			byEntity[name] = m
			byModel[m] = name
		}
	}
	return byEntity, byModel
}

// ChildEntity names the top-level entity a child route's records are (Tickets/Notes ->
// TicketNotes): by the model the route's responses name, else by its parent and segment.
func (s *Spec) ChildEntity(ch ChildRoute, byModel map[string]string) string {
	base := fmt.Sprintf("/V1.0/%s/{parentId}/%s", ch.Parent, ch.ChildSegment)
	m := firstNonEmpty(s.refModel(base+"/{id}"), s.refModel(base))
	if entity := byModel[m]; entity != "" {
		return entity
	}
	candidates := []string{ch.Parent + ch.ChildSegment, "Inventory" + ch.ChildSegment}
	for _, parent := range Singulars(ch.Parent)[1:] {
		candidates = append([]string{parent + ch.ChildSegment}, candidates...)
	}
	for _, c := range candidates {
		if _, ok := s.TopLevel[c]; ok {
			return c
		}
	}
	return candidates[0]
}

// modelRefPattern pulls the entity model out of a response envelope such as
// `#/definitions/ItemQueryResultModel[TicketModel,Ticket]`.
var modelRefPattern = regexp.MustCompile(`\[(\w+Model),`)

func (s *Spec) modelOf(entity string) string {
	if m := firstNonEmpty(s.refModel("/V1.0/"+entity+"/{id}"), s.refModel("/V1.0/"+entity+"/query")); m != "" {
		return m
	}
	// Entities without a GET route (attachments, create-only entities) still have a model
	// named after their singular form.
	for _, candidate := range Singulars(entity) {
		if _, ok := s.Definitions[candidate+"Model"]; ok {
			return candidate + "Model"
		}
	}
	return ""
}

func (s *Spec) refModel(path string) string {
	ops, ok := s.Paths[path]
	if !ok {
		return ""
	}
	for _, method := range []string{"get", "post"} {
		op, ok := ops[method]
		if !ok {
			continue
		}
		if m := modelRefPattern.FindStringSubmatch(op.Responses["200"].Schema.Ref); m != nil {
			return m[1]
		}
	}
	return ""
}

// Singulars lists a plural entity name and its plausible singular forms, the plural first.
func Singulars(plural string) []string {
	out := []string{plural}
	switch {
	case strings.HasSuffix(plural, "ies"):
		out = append(out, strings.TrimSuffix(plural, "ies")+"y")
	case strings.HasSuffix(plural, "sses"), strings.HasSuffix(plural, "xes"):
		out = append(out, strings.TrimSuffix(plural, "es"))
	}
	if strings.HasSuffix(plural, "s") {
		out = append(out, strings.TrimSuffix(plural, "s"))
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}
