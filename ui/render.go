package ui

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

//go:embed templates
var templatesFS embed.FS

// User is the signed-in user as the layout shows it. Nil when signed out.
type User struct {
	Username string
	Role     string // one of Roles
	TeamLead bool   // a professional who sees the blended-work report
}

// ViewData is everything a page template gets. Strings that end up as text
// on the page (Title, Flash, Errors values) are translation keys, not text:
// handlers never build user-facing sentences themselves.
type ViewData struct {
	Lang        string            // "nl" or "en"; anything else renders as DefaultLanguage
	Title       string            // translation key of the page title
	User        *User             // nil when signed out
	CSRF        string            // token for the hidden _csrf input of every POST form
	Flash       string            // translation key of a success message, or ""
	Errors      map[string]string // form field name → translation key; "_form" for the form as a whole
	Form        map[string]string // form field name → submitted value, so a refused form keeps its input
	Data        any               // page-specific data
	CurrentPath string            // request path, for aria-current in the menu
	AltLangURL  string            // language switch link; default LangSwitchURL(other language, CurrentPath)
}

// FormError is the Errors key for an error about the whole form, such as
// "username or password is not correct".
const FormError = "_form"

// ErrorData is the Data of the "error" page.
type ErrorData struct {
	Status  int    // HTTP status, shown as a small code for support
	Message string // translation key of the explanation
	// ActionURL and ActionKey offer one way on (a local path and the
	// translation key of its link text), e.g. break the glass after a 403 on
	// a client file. Both empty: only the link home.
	ActionURL string
	ActionKey string
}

// ErrorView fills v for the "error" page for an HTTP status: 400/422, 403
// and 404 get their own text, and so does a refused CSRF token (pass 419;
// the page then shows 403); anything else gets "something went wrong".
func ErrorView(v ViewData, status int) ViewData {
	name := "internal"
	switch status {
	case 400, 422:
		name = "bad_request"
	case 403:
		name = "forbidden"
	case 404:
		name = "not_found"
	case 419:
		name, status = "csrf", 403
	}
	v.Title = "error." + name + ".title"
	v.Data = ErrorData{Status: status, Message: "error." + name + ".message"}
	return v
}

// Renderer renders the embedded page templates. Build one at start-up with
// NewRenderer and share it: it is safe for concurrent use.
type Renderer struct {
	tr *Translator
	// pages[lang][page] holds one parsed template set per language, because
	// the template funcs t/date/datetime are bound to the language at parse
	// time. That avoids Clone-per-request (html/template cannot clone after
	// execution) and any shared mutable FuncMap between requests.
	pages map[string]map[string]*template.Template
}

// NewRenderer parses all templates for every language. It returns an error if
// a template does not parse or a catalogue does not load, so a broken build
// fails at start-up, not on the first request.
func NewRenderer() (*Renderer, error) {
	tr, err := NewTranslator()
	if err != nil {
		return nil, err
	}
	r := &Renderer{tr: tr, pages: map[string]map[string]*template.Template{}}
	pageFiles, err := fs.Glob(templatesFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, lang := range Languages {
		base, err := template.New("").Funcs(r.funcs(lang)).ParseFS(templatesFS, "templates/layout.html", "templates/partials/*.html")
		if err != nil {
			return nil, fmt.Errorf("ui: parse layout: %w", err)
		}
		r.pages[lang] = map[string]*template.Template{}
		for _, f := range pageFiles {
			t, err := template.Must(base.Clone()).ParseFS(templatesFS, f)
			if err != nil {
				return nil, fmt.Errorf("ui: parse %s: %w", f, err)
			}
			r.pages[lang][strings.TrimSuffix(path.Base(f), ".html")] = t
		}
	}
	return r, nil
}

// Translator returns the translator the renderer uses, for handlers that
// need a translated string outside a page (an e-mail subject, a header).
func (r *Renderer) Translator() *Translator { return r.tr }

// Pages lists the page names Render accepts.
func (r *Renderer) Pages() []string {
	return slices.Sorted(maps.Keys(r.pages[DefaultLanguage]))
}

// AssetHandlerPath returns the checksummed URL of a static asset; see AssetURL.
func (r *Renderer) AssetHandlerPath(name string) string { return AssetURL(name) }

// Render writes page (a file name in templates/pages, without .html) inside
// the layout to w. The page is rendered into a buffer first, so a template
// error leaves w untouched and the caller can still send an error page.
// It returns an error for an unknown page or a failing template.
func (r *Renderer) Render(w io.Writer, page string, v ViewData) error {
	if !IsLanguage(v.Lang) {
		v.Lang = DefaultLanguage
	}
	t, ok := r.pages[v.Lang][page]
	if !ok {
		return fmt.Errorf("ui: unknown page %q", page)
	}
	if v.AltLangURL == "" {
		v.AltLangURL = LangSwitchURL(OtherLanguage(v.Lang), v.CurrentPath)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("ui: render %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// funcs are the template functions, bound to one language.
func (r *Renderer) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		// {{t "key"}} or {{t "key" "Name" value ...}}: translate with data pairs.
		"t": func(id string, pairs ...any) (string, error) {
			data, err := pairsToMap(pairs)
			return r.tr.T(lang, id, data), err
		},
		// {{tn "key" count}}: plural form for count.
		"tn": func(id string, count int, pairs ...any) (string, error) {
			data, err := pairsToMap(pairs)
			return r.tr.N(lang, id, count, data), err
		},
		"date":     func(t time.Time) string { return FormatDate(lang, t) },
		"datetime": func(t time.Time) string { return FormatDateTime(lang, t) },
		// {{datep .When}}: an optional date; "" when nil.
		"datep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return FormatDate(lang, *t)
		},
		"iso":         FormatISO,
		"asset":       AssetURL,
		"icon":        icon,
		"altlang":     func() string { return OtherLanguage(lang) },
		"nav":         func(v ViewData) []NavItem { return navFor(v) },
		"navmore":     func(items []NavItem) bool { m, _ := NavMore(items); return m },
		"navmoreopen": func(items []NavItem) bool { _, o := NavMore(items); return o },
		"field":       newField,
		"errorlist":   errorList,
		"channels":    func() []string { return Channels },
		"channelkind": ChannelKind,
		// {{tv "purpose." .Purpose}}: the message prefix+value when the
		// catalogue has one, else the value itself (a code from a newer
		// server, shown rather than hidden).
		"tv": func(prefix string, value any) string {
			id := prefix + fmt.Sprint(value)
			if r.tr.Has(lang, id) {
				return r.tr.T(lang, id, nil)
			}
			return fmt.Sprint(value)
		},
		"list":               func(s ...string) []string { return s },
		"logkinds":           func() []string { return LogKinds },
		"onlinechannels":     func() []string { return channelsOfKind(KindOnline) },
		"facetofacechannels": func() []string { return channelsOfKind(KindFaceToFace) },
		// {{formval . "name"}}: the submitted (or prefilled) value of a field.
		"formval": func(v ViewData, name string) string { return v.Form[name] },
		// {{formerr . "name"}}: the error key of a field, "" when none.
		"formerr": func(v ViewData, name string) string { return v.Errors[name] },
	}
}

func channelsOfKind(kind string) []string {
	var out []string
	for _, c := range Channels {
		if ChannelKind(c) == kind {
			out = append(out, c)
		}
	}
	return out
}

func navFor(v ViewData) []NavItem {
	if v.User == nil {
		return nil
	}
	items := Nav(v.User.Role, v.CurrentPath)
	if v.User.TeamLead && v.User.Role == RoleProfessional {
		// A team lead's menu has the report, before the password link.
		r := NavItem{Path: "/reports/blended", Key: "nav.blended_report", Current: strings.HasPrefix(v.CurrentPath, "/reports/blended")}
		items = append(items[:len(items)-1:len(items)-1], r, items[len(items)-1])
	}
	return items
}

func pairsToMap(pairs []any) (map[string]any, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("ui: odd number of name/value arguments")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("ui: argument name %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}

// PNGDataURL makes a data: URL of a PNG for an <img src> (a QR code made on
// the server, so the page needs no script and no request elsewhere). The
// bytes are base64-encoded here, so nothing in them can break out of the URL.
func PNGDataURL(png []byte) template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

var iconName = regexp.MustCompile(`^[a-z_]+$`)

// icon returns an inline <svg> that uses the sprite. It is decorative
// (aria-hidden): every icon in nabij sits next to text that says the same,
// so no meaning rests on the picture (or its colour) alone.
func icon(name string) template.HTML {
	if !iconName.MatchString(name) { // the name goes into markup unescaped
		return ""
	}
	return template.HTML(`<svg class="icon" aria-hidden="true" focusable="false"><use href="` +
		AssetURL("icons.svg") + `#i-` + name + `"></use></svg>`)
}

// ErrorItem is one line of the error summary.
type ErrorItem struct {
	Field string // field name, "" for an error about the whole form
	Key   string // translation key
}

// errorList orders v.Errors for the error summary: the whole-form error
// first, then fields in the order given (the order they appear on the page,
// so the summary reads like the form), then any others alphabetically.
func errorList(v ViewData, fields ...string) []ErrorItem {
	var out []ErrorItem
	if k, ok := v.Errors[FormError]; ok {
		out = append(out, ErrorItem{Key: k})
	}
	seen := map[string]bool{FormError: true}
	for _, f := range fields {
		if k, ok := v.Errors[f]; ok && !seen[f] {
			out = append(out, ErrorItem{Field: f, Key: k})
		}
		seen[f] = true
	}
	for _, f := range slices.Sorted(maps.Keys(v.Errors)) {
		if !seen[f] {
			out = append(out, ErrorItem{Field: f, Key: v.Errors[f]})
		}
	}
	return out
}

// Field is what the "field" template renders: a labelled input with an
// optional hint and error, wired with aria-describedby and aria-invalid.
type Field struct {
	Name, ID     string
	Type         string // "text" (default), "password", "email", "date", "textarea", ...
	Label, Hint  string // translation keys
	Error        string // translation key, from ViewData.Errors
	Value        string // from ViewData.Form; never filled for passwords
	Autocomplete string
	Inputmode    string
	Optional     bool // label says "(optional)"; fields are required unless marked
}

// DescribedBy is the aria-describedby value: hint and error ids, so a screen
// reader reads them when the field gets focus.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// newField builds a Field for {{template "field" (field . "name" "label" "key" ...)}}.
// Options: label, hint, type, autocomplete, inputmode (strings), optional (bool).
// An unknown option is an error, so a typo fails the render (and the tests).
func newField(v ViewData, name string, opts ...any) (Field, error) {
	m, err := pairsToMap(opts)
	if err != nil {
		return Field{}, err
	}
	f := Field{Name: name, ID: "f-" + name, Type: "text", Error: v.Errors[name], Value: v.Form[name]}
	for k, val := range m {
		s, _ := val.(string)
		switch k {
		case "label":
			f.Label = s
		case "hint":
			f.Hint = s
		case "type":
			f.Type = s
		case "autocomplete":
			f.Autocomplete = s
		case "inputmode":
			f.Inputmode = s
		case "optional":
			f.Optional, _ = val.(bool)
		default:
			return Field{}, fmt.Errorf("ui: field %q: unknown option %q", name, k)
		}
	}
	if f.Type == "password" {
		f.Value = "" // a password is never sent back to the browser
	}
	return f, nil
}
