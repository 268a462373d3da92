package sqlite_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The read gate is only worth something if nothing goes around it. These tests
// read the package's own source: for every exported method of *Store they
// compute what it reaches (calls within the package, transitively, including
// function literals handed to s.write or s.gate) and check that:
//
//   - a method that reads a sealed column (a SELECT whose columns name a
//     *_sealed column) or opens sealed fields passes through the read gate;
//   - a method that touches sealed data or data keys in any other way (writes
//     a sealed column, seals, destroys or re-wraps keys) passes through the
//     gate or a named access rule of policy.go — or is on the allow-list
//     below, with the reason;
//   - the unsealing function (sealer.open) has exactly one caller, unseal in
//     gate.go, and unseal is called only from gate.go;
//   - grant values are made only in policy.go.
//
// Calls are matched by name (there is no type information here): a call
// x.m() reaches every method m of the package. That over-approximates what a
// method reaches, so a method is never wrongly found to bypass the gate; the
// names that count as the gate and the rules are unique in the package.

// gateFuncs are the read gate itself.
var gateFuncs = map[string]bool{"Store.gate": true, "Store.readSnapshot": true}

// notPolicyChecks are functions of policy.go that decide nothing: building an
// access record from a grant, refusing a zero grant, the purpose a refusal is
// recorded under, and SQL text.
var notPolicyChecks = map[string]bool{
	"grant.entry": true, "grant.valid": true, "purposeFor": true, "careOrOwnFile": true,
	"currentAssignmentAt": true, "auditRule": true,
	// nabij's own grant for retention and erasure: it checks nothing, so a
	// method that only reaches it is on the allow-list, with its reason.
	"asSystem": true,
}

// allowTouch lists the exported methods that touch sealed columns or data keys
// without the gate or an access rule, because they return no client data.
var allowTouch = map[string]string{
	// Re-wraps every data key under the active master key; no ciphertext is
	// opened and nothing is returned but a count. A command-line operation.
	"Store.RotateMasterKey": "re-wraps keys, returns a count",
	// Counts keys per master-key version, to know when a version may retire.
	"Store.KeysWrappedBy": "counts keys",
	// Stores an account's second-factor secret, sealed with the account-secrets
	// key, which belongs to no client.
	"Store.SetTOTP": "seals an account secret, not client data",
}

type fnInfo struct {
	file    string
	calls   map[string]bool // names called or referenced: "m" for x.m(), "f" for f
	selects bool            // has SQL that selects a sealed column
	touches bool            // has SQL that names a sealed column or client_keys
	grants  int             // grant{...} literals
}

var (
	selectRE = regexp.MustCompile(`(?is)\bSELECT\b(.*?)\bFROM\b`)
	sealedRE = regexp.MustCompile(`\w+_sealed\b`)
)

// sqlOf returns the text of a string literal, "" for other nodes.
func sqlOf(n ast.Node) string {
	lit, ok := n.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		return ""
	}
	return s
}

func selectsSealed(sql string) bool {
	for _, m := range selectRE.FindAllStringSubmatch(sql, -1) {
		if sealedRE.MatchString(m[1]) {
			return true
		}
	}
	return false
}

func touchesSealed(sql string) bool {
	return sealedRE.MatchString(sql) || strings.Contains(sql, "client_keys")
}

type pkgSource struct {
	fns map[string]*fnInfo // "Recv.name" or "name"
	// byName maps a bare name to the functions it may call: every method of
	// that name, and the package-level function.
	byName map[string][]string
	// sqlVars are package-level vars and consts whose SQL selects (or touches)
	// sealed columns.
	sqlVars map[string][2]bool
}

func loadPackage(t *testing.T, dir string) *pkgSource {
	t.Helper()
	fset := token.NewFileSet()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	p := &pkgSource{fns: map[string]*fnInfo{}, byName: map[string][]string{}, sqlVars: map[string][2]bool{}}
	var files []*ast.File
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	for _, f := range files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && (gd.Tok == token.VAR || gd.Tok == token.CONST) {
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					var sel, touch bool
					for _, v := range vs.Values {
						ast.Inspect(v, func(n ast.Node) bool {
							if s := sqlOf(n); s != "" {
								sel = sel || selectsSealed(s)
								touch = touch || touchesSealed(s)
							}
							return true
						})
					}
					for _, name := range vs.Names {
						p.sqlVars[name.Name] = [2]bool{sel, touch}
					}
				}
			}
		}
	}
	for _, f := range files {
		file := filepath.Base(fset.Position(f.Pos()).Filename)
		imported := map[string]bool{}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			name := path[strings.LastIndex(path, "/")+1:]
			if im.Name != nil {
				name = im.Name.Name
			}
			imported[name] = true
		}
		imported["goose"] = true // github.com/pressly/goose/v3
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			key := fd.Name.Name
			if fd.Recv != nil {
				rt := fd.Recv.List[0].Type
				if st, ok := rt.(*ast.StarExpr); ok {
					rt = st.X
				}
				key = rt.(*ast.Ident).Name + "." + key
			}
			info := &fnInfo{file: file, calls: map[string]bool{}}
			p.fns[key] = info
			name := fd.Name.Name
			if fd.Recv != nil {
				name = "." + name
			}
			p.byName[name] = append(p.byName[name], key)
			if fd.Body == nil {
				continue
			}
			// Calls x.m() name methods; f() and f (a function value, such
			// as a policy check handed to readSpec) name package functions.
			// Field selections and types (records.Client, f.Client) name
			// nothing that runs.
			called := map[*ast.Ident]bool{}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
						if x, ok := sel.X.(*ast.Ident); !ok || !imported[x.Name] {
							info.calls["."+sel.Sel.Name] = true
						}
						called[sel.Sel] = true
					}
				case *ast.SelectorExpr:
					called[n.Sel] = true // not a package function, whatever it is
				case *ast.Ident:
					if !called[n] {
						info.calls[n.Name] = true
					}
					if v, ok := p.sqlVars[n.Name]; ok {
						info.selects = info.selects || v[0]
						info.touches = info.touches || v[1]
					}
				case *ast.CompositeLit:
					if id, ok := n.Type.(*ast.Ident); ok && id.Name == "grant" {
						info.grants++
					}
				}
				if s := sqlOf(n); s != "" {
					info.selects = info.selects || selectsSealed(s)
					info.touches = info.touches || touchesSealed(s)
				}
				return true
			})
		}
	}
	return p
}

// reach returns every function the named one reaches, itself included.
func (p *pkgSource) reach(from string) map[string]bool {
	seen := map[string]bool{from: true}
	todo := []string{from}
	for len(todo) > 0 {
		k := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for name := range p.fns[k].calls {
			for _, callee := range p.byName[name] {
				if !seen[callee] {
					seen[callee] = true
					todo = append(todo, callee)
				}
			}
		}
	}
	return seen
}

func (p *pkgSource) isPolicyCheck(k string) bool {
	return p.fns[k].file == "policy.go" && !notPolicyChecks[k]
}

// sealing and key functions: reaching one touches sealed data or keys.
var keyFuncs = map[string]bool{
	"sealer.seal": true, "sealer.open": true, "unseal": true, "wtx.sealerFor": true,
	"wtx.newClientKey": true, "wtx.dataKey": true, "wtx.shredKey": true, "wtx.systemSealer": true,
}

func TestReadGate(t *testing.T) {
	p := loadPackage(t, ".")
	var methods []string
	for k := range p.fns {
		if strings.HasPrefix(k, "Store.") && ast.IsExported(strings.TrimPrefix(k, "Store.")) {
			methods = append(methods, k)
		}
	}
	sort.Strings(methods)
	if len(methods) < 60 {
		t.Fatalf("found %d exported methods of *Store; the parser missed some", len(methods))
	}
	for _, m := range methods {
		r := p.reach(m)
		var reads, touches, gated, ruled bool
		for k := range r {
			fi := p.fns[k]
			reads = reads || fi.selects || k == "sealer.open"
			touches = touches || fi.selects || fi.touches || keyFuncs[k]
			gated = gated || gateFuncs[k]
			ruled = ruled || p.isPolicyCheck(k)
		}
		if reads && !gated {
			t.Errorf("%s reads sealed columns without the read gate (Store.gate)", m)
		}
		_, allowed := allowTouch[m]
		switch {
		case touches && !gated && !ruled && !allowed:
			t.Errorf("%s touches sealed data or data keys without the gate or an access rule of policy.go", m)
		case allowed && !(touches && !gated && !ruled):
			t.Errorf("%s is on the allow-list but does not need it: take it off", m)
		}
		t.Logf("%-28s reads=%-5t touches=%-5t gate=%-5t rule=%t", m, reads, touches, gated, ruled)
	}
}

// TestOneUnsealer: sealer.open is called from one place, unseal in gate.go,
// and unseal only from gate.go; so plaintext of a client leaves only through
// the gate, after the commit of its access record.
func TestOneUnsealer(t *testing.T) {
	p := loadPackage(t, ".")
	var openers, unsealers []string
	for k, fi := range p.fns {
		if fi.calls[".open"] {
			openers = append(openers, k)
		}
		if fi.calls["unseal"] && k != "unseal" {
			unsealers = append(unsealers, k)
			if fi.file != "gate.go" {
				t.Errorf("%s (%s) calls unseal; only the gate opens sealed fields", k, fi.file)
			}
		}
	}
	if len(openers) != 1 || openers[0] != "unseal" || p.fns["unseal"].file != "gate.go" {
		t.Errorf("sealer.open is called from %v; want exactly unseal in gate.go", openers)
	}
	// Under sealer.open, crypto.DataKey.Open does the decryption; nothing else
	// may call it with a key from dataKey.
	if !p.fns["sealer.open"].calls[".Open"] {
		t.Error("sealer.open calls no Open method: the test no longer sees the decryption")
	}
	for k, fi := range p.fns {
		if fi.calls[".Open"] && k != "sealer.open" {
			t.Errorf("%s calls an Open method; only sealer.open decrypts", k)
		}
	}
	if len(unsealers) == 0 {
		t.Error("nothing calls unseal: the gate test no longer sees the gate")
	}
}

// TestGrantsOnlyFromPolicy: grant values are made only by the rules in
// policy.go, so no code can open a client's data with a bare client id.
func TestGrantsOnlyFromPolicy(t *testing.T) {
	p := loadPackage(t, ".")
	for k, fi := range p.fns {
		if fi.grants > 0 && fi.file != "policy.go" {
			t.Errorf("%s (%s) makes a grant; only the access rules in policy.go do", k, fi.file)
		}
	}
}

// TestNoStarSelects: the gate test finds sealed reads by the column names in
// a SELECT, so a star would hide them; the store names every column it reads.
func TestNoStarSelects(t *testing.T) {
	star := regexp.MustCompile(`(?is)\bSELECT\s+(DISTINCT\s+)?(\w+\.)?\*`)
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if s := sqlOf(n); star.MatchString(s) {
				t.Errorf("%s: a SELECT with *: name the columns, so sealed reads stay visible", fset.Position(n.Pos()))
			}
			return true
		})
	}
}

// TestAccountSecretsOnlyForTOTP: the account-secrets path of the gate writes
// no access record, so only the second-factor code may use it.
func TestAccountSecretsOnlyForTOTP(t *testing.T) {
	p := loadPackage(t, ".")
	users := 0
	for k, fi := range p.fns {
		if fi.calls[".addAccount"] {
			users++
			if fi.file != "totp.go" {
				t.Errorf("%s (%s) queues account secrets; only totp.go does", k, fi.file)
			}
		}
	}
	if users == 0 {
		t.Error("nothing calls addAccount: the test no longer sees the TOTP read")
	}
}
