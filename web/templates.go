package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

// pageTemplate is the layout and partials together with one page's "content".
type pageTemplate struct {
	t    *template.Template
	keys []string // catalogue keys the page and layout use literally
}

// shared are the templates every page is parsed with.
var shared = []string{"templates/layout.html", "templates/partials.html", "templates/feed_partials.html"}

// tKey finds literal catalogue keys in templates: {{.T "web.x"}}, {{$.T "web.x" .Name}}.
var tKey = regexp.MustCompile(`\bT\s+"([^"]+)"`)

// parseTemplates parses every page in templates/ with the layout and the partials.
func (s *Server) parseTemplates() (map[string]pageTemplate, error) {
	base, err := template.New("").Funcs(s.funcs()).ParseFS(embedded, shared...)
	if err != nil {
		return nil, err
	}
	baseKeys, err := templateKeys(shared...)
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(embedded, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]pageTemplate{}
	for _, f := range files {
		if slices.Contains(shared, f) {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(embedded, f); err != nil {
			return nil, err
		}
		if t.Lookup("content") == nil {
			return nil, &fs.PathError{Op: "parse", Path: f, Err: fs.ErrInvalid}
		}
		keys, err := templateKeys(f)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(path.Base(f), ".html")] = pageTemplate{t: t, keys: append(keys, baseKeys...)}
	}
	return pages, nil
}

func templateKeys(files ...string) ([]string, error) {
	var keys []string
	for _, f := range files {
		data, err := fs.ReadFile(embedded, f)
		if err != nil {
			return nil, err
		}
		for _, m := range tKey.FindAllSubmatch(data, -1) {
			keys = append(keys, string(m[1]))
		}
	}
	return keys, nil
}

// missingKeys lists the catalogue keys used by templates and by the key tables in Go that the
// bundle does not have.
func (s *Server) missingKeys() []string {
	var missing []string
	check := func(k string) {
		if !s.bundle.Has(k) {
			missing = append(missing, k)
		}
	}
	for _, p := range s.pages {
		for _, k := range p.keys {
			check(k)
		}
	}
	for _, k := range goKeys() {
		check(k)
	}
	slices.Sort(missing)
	return slices.Compact(missing)
}

// funcs are the template functions: they only turn values into catalogue keys or URLs, so
// that every text still goes through the Localizer.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"static":        s.staticURL,
		"orgKindKey":    orgKindKey,
		"personKindKey": personKindKey,
		"statusKey":     personStatusKey,
		"tagURL":        tagURL,
		"groupImageURL": groupImageURL,
		"visKey":        visKey,
		"visHintKey":    visHintKey,
		"postKindKey":   postKindKey,
		"reactionKey":   reactionKey,
		"roleKey":       roleKey,
		"inc":           func(i int) int { return i + 1 },
	}
}

// staticURL returns the URL of a static file with its content hash, so that it can be cached
// for a long time and still changes when the file does.
func (s *Server) staticURL(name string) string {
	return "/static/" + name + "?v=" + s.staticHash[name]
}

// render executes a page into a buffer first, so that a template error never leaves half a
// page behind, and then writes it with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	p, ok := s.pages[name]
	var buf bytes.Buffer
	var err error
	if !ok {
		err = &fs.PathError{Op: "render", Path: name, Err: fs.ErrNotExist}
	} else {
		err = p.t.ExecuteTemplate(&buf, "layout", data)
	}
	if err != nil {
		s.logger.Error("render", "page", name, "error", err)
		httpx.NoteError(r, err)
		if name != "error" {
			s.renderError(w, r, http.StatusInternalServerError, "error.internal")
			return
		}
		// The error page itself failed: answer with the plain text in the right language.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(s.bundle.T(s.locale(r), "error.internal") + "\n"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages show personal data; on a shared library computer the back button must not bring
	// them back after signing out.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// Catalogue keys of the kinds and statuses, so that templates can translate them.
var (
	orgKindKeys = map[biebplein.OrganisationKind]string{
		biebplein.OrgSupport: "web.org_kind.support",
		biebplein.OrgLibrary: "web.org_kind.library",
		biebplein.OrgBranch:  "web.org_kind.branch",
		biebplein.OrgPartner: "web.org_kind.partner",
	}
	personKindKeys = map[biebplein.PersonKind]string{
		biebplein.KindStaff:     "web.person_kind.staff",
		biebplein.KindVolunteer: "web.person_kind.volunteer",
		biebplein.KindPartner:   "web.person_kind.partner",
	}
)

func orgKindKey(k biebplein.OrganisationKind) string {
	if key, ok := orgKindKeys[k]; ok {
		return key
	}
	return "web.unknown"
}

func personKindKey(k biebplein.PersonKind) string {
	if key, ok := personKindKeys[k]; ok {
		return key
	}
	return "web.unknown"
}

// personStatusKey names the state of an account: active, invited or deactivated.
func personStatusKey(p *biebplein.Person) string {
	switch {
	case !p.Active():
		return "web.status.deactivated"
	case p.Invited():
		return "web.status.invited"
	}
	return "web.status.active"
}

// goKeys are the catalogue keys written in Go tables rather than templates; New checks them.
func goKeys() []string {
	keys := []string{"web.unknown", "web.status.deactivated", "web.status.invited", "web.status.active"}
	for _, k := range orgKindKeys {
		keys = append(keys, k)
	}
	for _, k := range personKindKeys {
		keys = append(keys, k)
	}
	keys = append(keys, socialKeys()...)
	for k := range flashKeys {
		keys = append(keys, k)
	}
	for _, k := range errorTitles {
		keys = append(keys, k)
	}
	for _, spec := range formSpecs {
		for _, f := range spec.Fields {
			keys = append(keys, f.Label)
			if f.Hint != "" {
				keys = append(keys, f.Hint)
			}
			for _, o := range f.Options {
				if o.Key != "" {
					keys = append(keys, o.Key)
				}
			}
		}
	}
	return keys
}
