// Package fhirtest validates FHIR R4 documents in tests, with the npm fhir
// package that scripts/install-test-tools puts in .tools/. It is test tooling:
// only tests import it.
package fhirtest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const script = `
const {Fhir} = require('fhir');
const input = require('fs').readFileSync(0, 'utf8');
const res = new Fhir().validate(JSON.parse(input), {errorOnUnexpected: true});
const errors = res.messages.filter(m => m.severity === 'error');
console.log(JSON.stringify({valid: res.valid && errors.length === 0, errors}));
`

// modules is .tools/node_modules at the repository root, found from this file.
func modules() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", ".tools", "node_modules")
}

// Check runs the validator on doc and reports whether it is valid FHIR R4, with
// the validator's error messages. It skips the test when node or the package
// is missing, and fails it instead when NABIJ_REQUIRE_BROWSER=1 (as in CI).
func Check(tb testing.TB, doc []byte) (bool, string) {
	tb.Helper()
	mods := modules()
	node, err := exec.LookPath("node")
	_, statErr := os.Stat(filepath.Join(mods, "fhir", "package.json"))
	if err != nil || statErr != nil {
		msg := "FHIR validation needs node and the npm fhir package: run scripts/install-test-tools"
		if os.Getenv("NABIJ_REQUIRE_BROWSER") == "1" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	cmd := exec.Command(node, "-e", script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("node: %v: %s", err, out)
	}
	var res struct {
		Valid  bool              `json:"valid"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		tb.Fatalf("validator output %q: %v", out, err)
	}
	msgs := make([]string, len(res.Errors))
	for i, m := range res.Errors {
		msgs[i] = string(m)
	}
	return res.Valid, strings.Join(msgs, "\n")
}

// Validate fails the test when doc is not valid FHIR R4.
func Validate(tb testing.TB, doc []byte) {
	tb.Helper()
	if ok, msgs := Check(tb, doc); !ok {
		tb.Fatalf("FHIR R4 validation failed: %s", msgs)
	}
}
