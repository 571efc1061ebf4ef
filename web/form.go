package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/i18n"
)

// formSpec describes a form once: its fields in order, with label, type and hints. Templates
// place the fields with {{template "field" (.Form.In "name")}}; the error summary lists the
// problems in this order.
type formSpec struct {
	ID     string // prefix of the field ids, unique on the page
	Fields []field
}

// field is one input of a form.
type field struct {
	Name         string // form value name, equal to the field name in domain errors
	Label        string // catalogue key
	Hint         string // catalogue key, optional
	Type         string // text, email, password, textarea, select, checkbox, search, url
	Autocomplete string
	Optional     bool     // shows "(optional)" after the label
	Options      []option // fixed choices of a select; others are given per request
	List         string   // id of a datalist with suggestions
	// Mentions marks a textarea where mention.js suggests people after "@".
	Mentions bool
}

// option is one choice of a select: a catalogue key, or a literal text such as an
// organisation's name.
type option struct {
	Value string
	Key   string
	Text  string
}

// Form is a formSpec being filled in: values, per-field problems and a message for the whole
// form.
type Form struct {
	spec    formSpec
	L       i18n.Localizer
	values  map[string]string
	errors  map[string]string // field -> catalogue key
	options map[string][]option
	// Message is a catalogue key shown at the top for problems that belong to no field.
	Message string
}

func newForm(l i18n.Localizer, spec formSpec) *Form {
	return &Form{spec: spec, L: l, values: map[string]string{}, errors: map[string]string{}, options: map[string][]option{}}
}

// read copies the posted values of the form's fields. Passwords are read but never shown
// again (see In).
func (f *Form) read(r *http.Request) *Form {
	for _, fl := range f.spec.Fields {
		v := r.PostForm.Get(fl.Name)
		if fl.Type == "checkbox" && v != "" {
			v = "on"
		}
		f.values[fl.Name] = v
	}
	return f
}

// readQuery copies the values of a GET form from the URL.
func (f *Form) readQuery(r *http.Request) *Form {
	q := r.URL.Query()
	for _, fl := range f.spec.Fields {
		f.values[fl.Name] = q.Get(fl.Name)
	}
	return f
}

// Get returns the value of a field.
func (f *Form) Get(name string) string { return f.values[name] }

// Checked reports whether a checkbox is ticked.
func (f *Form) Checked(name string) bool { return f.values[name] == "on" }

// Set sets the value of a field.
func (f *Form) Set(name, value string) { f.values[name] = value }

// SetChecked ticks or clears a checkbox.
func (f *Form) SetChecked(name string, on bool) {
	f.values[name] = ""
	if on {
		f.values[name] = "on"
	}
}

// SetOptions gives a select its choices for this request.
func (f *Form) SetOptions(name string, opts []option) { f.options[name] = opts }

// AddError records a problem with a field unless it already has one.
func (f *Form) AddError(name, key string) {
	if _, ok := f.errors[name]; !ok {
		f.errors[name] = key
	}
}

// CheckText gives a field error for every named field that is not valid text (invalid UTF-8
// or control characters), for values the domain would otherwise silently repair.
func (f *Form) CheckText(names ...string) {
	for _, n := range names {
		if !biebplein.ValidText(f.values[n]) {
			f.AddError(n, "error.text_invalid")
		}
	}
}

// OK reports whether the form has no problems.
func (f *Form) OK() bool { return len(f.errors) == 0 && f.Message == "" }

// HasErrors reports whether the form has problems to show.
func (f *Form) HasErrors() bool { return !f.OK() }

// fieldOfMessage places errors that the domain reports without a field next to the field
// they are about.
var fieldOfMessage = map[string]string{
	"error.email_taken":    "email",
	"error.org_name_taken": "name",
	"error.last_admin":     "admin",
}

// Fail records a domain error on the form. It returns false when err is not about the input
// (a missing record, a failing database), which the caller answers with an error page.
func (f *Form) Fail(err error) bool {
	switch biebplein.ErrorCode(err) {
	case biebplein.CodeInvalid, biebplein.CodeConflict, biebplein.CodeUnauthorized,
		biebplein.CodeRateLimited, biebplein.CodeForbidden:
	default:
		return false
	}
	fields := biebplein.ErrorFields(err)
	msg := biebplein.ErrorMessage(err)
	if len(fields) == 0 {
		if name, ok := fieldOfMessage[msg]; ok && f.has(name) {
			f.AddError(name, msg)
			return true
		}
		f.Message = msg
		return true
	}
	for name, key := range fields {
		if f.has(name) {
			f.AddError(name, key)
		} else if f.Message == "" {
			// A problem with something the form does not show: say it at the top.
			f.Message = key
		}
	}
	return true
}

func (f *Form) has(name string) bool {
	for _, fl := range f.spec.Fields {
		if fl.Name == name {
			return true
		}
	}
	return false
}

// ID returns the element id of a field.
func (f *Form) ID(name string) string { return f.spec.ID + "-" + strings.ReplaceAll(name, "_", "-") }

// summaryItem is one line of the error summary: the message, linking to its field.
type summaryItem struct {
	Href    string
	Message string // catalogue key
}

// Summary lists the problems in the order of the fields.
func (f *Form) Summary() []summaryItem {
	var out []summaryItem
	for _, fl := range f.spec.Fields {
		if key, ok := f.errors[fl.Name]; ok {
			out = append(out, summaryItem{Href: "#" + f.ID(fl.Name), Message: key})
		}
	}
	return out
}

// In returns what the "field" template needs to draw one field.
func (f *Form) In(name string) input {
	var fl field
	for _, x := range f.spec.Fields {
		if x.Name == name {
			fl = x
		}
	}
	if fl.Name == "" {
		// A template asked for a field the spec lacks: show it plainly rather than fail.
		fl = field{Name: name, Label: "web.unknown", Type: "text"}
	}
	in := input{field: fl, L: f.L, ID: f.ID(name), Error: f.errors[name]}
	if fl.Type != "password" {
		in.Value = f.values[name]
	}
	opts := fl.Options
	if o, ok := f.options[name]; ok {
		opts = o
	}
	for _, o := range opts {
		in.Options = append(in.Options, optionView{option: o, Selected: o.Value == f.values[name]})
	}
	return in
}

// input is one field ready to draw.
type input struct {
	field
	L       i18n.Localizer
	ID      string
	Value   string
	Error   string // catalogue key
	Options []optionView
}

// optionView is a choice of a select with its state.
type optionView struct {
	option
	Selected bool
}

// T translates key.
func (in input) T(key string, args ...any) string { return in.L.T(key, args...) }

// Checked reports whether a checkbox is ticked.
func (in input) Checked() bool { return in.Value == "on" }

// DescribedBy lists the ids of the hint and the error, for aria-describedby.
func (in input) DescribedBy() string {
	var ids []string
	if in.Hint != "" {
		ids = append(ids, in.ID+"-hint")
	}
	if in.Error != "" {
		ids = append(ids, in.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// formSpecs lists every form, so that New can check their catalogue keys.
var formSpecs = []formSpec{
	loginForm, setupForm, inviteForm, profileForm, passwordForm, tokenForm,
	peopleFilterForm, adminPeopleFilterForm, orgForm, personNewForm, personEditForm,
	groupFilterForm, groupForm, memberInviteForm, composerForm, commentForm, replyForm, postEditForm,
	questionForm, auditFilterForm, resetRequestForm, resetPasswordForm, loginCodeForm, totpConfirmForm, totpDisableForm,
}

// formStatus is the status of a form shown again after err: 400 for wrong input, 409 for a
// clash such as a taken e-mail address, 429 when throttled, 401 for a failed sign-in.
func formStatus(err error) int { return httpx.Status(biebplein.ErrorCode(err)) }

// Time reads a date (or date and time) field in the zone by the first of layouts that fits:
// nil when empty, nil with an error on the field when none fits. endOfDay takes the last
// second of the day, so that "pinned until Friday" includes Friday.
func (f *Form) Time(name string, zone *time.Location, layouts []string, endOfDay bool) *time.Time {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return nil
	}
	for _, layout := range layouts {
		t, err := time.ParseInLocation(layout, v, zone)
		if err != nil {
			continue
		}
		if endOfDay {
			t = time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, zone)
		}
		return &t
	}
	f.AddError(name, "error.date_invalid")
	return nil
}
