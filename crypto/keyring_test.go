package crypto_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/crypto"
)

func openRing(t testing.TB, dir string) *crypto.Keyring {
	t.Helper()
	k, err := crypto.OpenKeyring(dir)
	if err != nil {
		t.Fatalf("OpenKeyring(%s): %v", dir, err)
	}
	return k
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestOpenKeyringCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys", "nested")
	k := openRing(t, dir)
	if got := mode(t, dir); got != 0o700 {
		t.Errorf("dir mode = %04o, want 0700", got)
	}
	path := filepath.Join(dir, "master.key")
	if got := mode(t, path); got != 0o600 {
		t.Errorf("master.key mode = %04o, want 0600", got)
	}
	if k.Dir() != dir {
		t.Errorf("Dir() = %q, want %q", k.Dir(), dir)
	}
	if k.Active() != 1 || !slices.Equal(k.Versions(), []int{1}) {
		t.Errorf("Active=%d Versions=%v, want 1 [1]", k.Active(), k.Versions())
	}

	// File format: {"active":1,"keys":[{"version":1,"key":"<b64 32 bytes>","created":RFC3339}]}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Active int `json:"active"`
		Keys   []struct {
			Version int    `json:"version"`
			Key     string `json:"key"`
			Created string `json:"created"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("master.key is not JSON: %v", err)
	}
	if f.Active != 1 || len(f.Keys) != 1 || f.Keys[0].Version != 1 {
		t.Fatalf("unexpected file content: %s", b)
	}
	raw, err := base64.StdEncoding.DecodeString(f.Keys[0].Key)
	if err != nil || len(raw) != 32 {
		t.Fatalf("key is not 32 base64 bytes: %v, len %d", err, len(raw))
	}
	if _, err := time.Parse(time.RFC3339, f.Keys[0].Created); err != nil {
		t.Fatalf("created is not RFC3339: %v", err)
	}
	assertNoTempFiles(t, dir)
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestKeyringReopenSameKey(t *testing.T) {
	dir := t.TempDir()
	k1 := openRing(t, dir)
	dk := newKey(t)
	sealed := dk.Seal([]byte("naam: Jan Peeters"), baseAD)
	wrapped, v, err := k1.Wrap("client-a", dk)
	if err != nil {
		t.Fatal(err)
	}
	if v != 1 {
		t.Fatalf("Wrap version = %d, want 1", v)
	}

	k2 := openRing(t, dir)
	dk2, err := k2.Unwrap("client-a", wrapped, v)
	if err != nil {
		t.Fatalf("Unwrap with reopened keyring: %v", err)
	}
	got, err := dk2.Open(sealed, baseAD)
	if err != nil || string(got) != "naam: Jan Peeters" {
		t.Fatalf("Open with unwrapped key = %q, %v", got, err)
	}

	// A different directory has a different master key.
	k3 := openRing(t, t.TempDir())
	if _, err := k3.Unwrap("client-a", wrapped, v); !errors.Is(err, crypto.ErrOpen) {
		t.Fatalf("Unwrap with another keyring: err = %v, want ErrOpen", err)
	}
}

func TestKeyringPermissions(t *testing.T) {
	tests := []struct {
		mode    os.FileMode
		wantErr bool
	}{
		{0o600, false},
		{0o400, false},
		{0o640, true},
		{0o604, true},
		{0o620, true},
		{0o602, true},
		{0o644, true},
		{0o660, true},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			dir := t.TempDir()
			openRing(t, dir)
			path := filepath.Join(dir, "master.key")
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			_, err := crypto.OpenKeyring(dir)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("OpenKeyring with mode %04o: %v", tt.mode, err)
				}
				return
			}
			if !errors.Is(err, crypto.ErrKeyFilePermissions) {
				t.Fatalf("err = %v, want ErrKeyFilePermissions", err)
			}
			if !strings.Contains(err.Error(), "chmod 600 "+path) {
				t.Fatalf("error %q does not say how to fix it (chmod 600 %s)", err, path)
			}
		})
	}
}

func TestKeyringMalformedFile(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	tests := []struct {
		name    string
		content string
	}{
		{"not json", "hello"},
		{"active missing", `{"active":2,"keys":[{"version":1,"key":"` + key + `"}]}`},
		{"short key", `{"active":1,"keys":[{"version":1,"key":"AAAA"}]}`},
		{"duplicate version", `{"active":1,"keys":[{"version":1,"key":"` + key + `"},{"version":1,"key":"` + key + `"}]}`},
		{"version zero", `{"active":0,"keys":[{"version":0,"key":"` + key + `"}]}`},
		{"bad created", `{"active":1,"keys":[{"version":1,"key":"` + key + `","created":"yesterday"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "master.key"), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := crypto.OpenKeyring(dir); err == nil {
				t.Fatal("OpenKeyring accepted a malformed key file")
			}
		})
	}
}

func TestUnwrapOtherClient(t *testing.T) {
	k := openRing(t, t.TempDir())
	dk := newKey(t)
	wrapped, v, err := k.Wrap("client-a", dk)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Unwrap("client-b", wrapped, v); !errors.Is(err, crypto.ErrOpen) {
		t.Fatalf("Unwrap as client B: err = %v, want ErrOpen", err)
	}
	if _, err := k.Unwrap("client-a", wrapped, v); err != nil {
		t.Fatalf("Unwrap as client A: %v", err)
	}
	if _, err := k.Unwrap("client-a", wrapped, 7); !errors.Is(err, crypto.ErrUnknownKeyVersion) {
		t.Fatalf("Unwrap with unknown version: err = %v, want ErrUnknownKeyVersion", err)
	}
	tampered := bytes.Clone(wrapped)
	tampered[len(tampered)-1] ^= 1
	if _, err := k.Unwrap("client-a", tampered, v); !errors.Is(err, crypto.ErrOpen) {
		t.Fatalf("Unwrap tampered: err = %v, want ErrOpen", err)
	}
	if _, err := k.Unwrap("client-a", wrapped[:10], v); !errors.Is(err, crypto.ErrOpen) {
		t.Fatalf("Unwrap truncated: err = %v, want ErrOpen", err)
	}
}

func TestRotateAndRetire(t *testing.T) {
	dir := t.TempDir()
	k := openRing(t, dir)
	sig1, err := k.SigningKey("tokens")
	if err != nil {
		t.Fatal(err)
	}
	dk := newKey(t)
	sealed := dk.Seal([]byte("notitie"), baseAD)
	w1, v1, err := k.Wrap("client-a", dk)
	if err != nil || v1 != 1 {
		t.Fatalf("Wrap: v=%d err=%v", v1, err)
	}

	v2, err := k.Rotate()
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if v2 != 2 || k.Active() != 2 || !slices.Equal(k.Versions(), []int{1, 2}) {
		t.Fatalf("after Rotate: v=%d Active=%d Versions=%v", v2, k.Active(), k.Versions())
	}
	if got := mode(t, filepath.Join(dir, "master.key")); got != 0o600 {
		t.Errorf("master.key mode after Rotate = %04o, want 0600", got)
	}
	if got := mode(t, filepath.Join(dir, "signing-tokens.key")); got != 0o600 {
		t.Errorf("signing key mode after Rotate = %04o, want 0600", got)
	}
	assertNoTempFiles(t, dir)

	// The old wrapped key still unwraps.
	if _, err := k.Unwrap("client-a", w1, 1); err != nil {
		t.Fatalf("Unwrap v1 after Rotate: %v", err)
	}
	// A reopened keyring sees the rotation.
	if k2 := openRing(t, dir); k2.Active() != 2 {
		t.Fatalf("reopened Active() = %d, want 2", k2.Active())
	}

	// Re-wrap under v2.
	dkOld, err := k.Unwrap("client-a", w1, 1)
	if err != nil {
		t.Fatal(err)
	}
	w2, v, err := k.Wrap("client-a", dkOld)
	if err != nil || v != 2 {
		t.Fatalf("re-Wrap: v=%d err=%v", v, err)
	}

	if err := k.Retire(2); err == nil {
		t.Fatal("Retire(active) succeeded")
	}
	if err := k.Retire(1); err != nil {
		t.Fatalf("Retire(1): %v", err)
	}
	if !slices.Equal(k.Versions(), []int{2}) {
		t.Fatalf("Versions after Retire = %v", k.Versions())
	}

	for _, ring := range []*crypto.Keyring{k, openRing(t, dir)} {
		if _, err := ring.Unwrap("client-a", w1, 1); !errors.Is(err, crypto.ErrUnknownKeyVersion) {
			t.Fatalf("Unwrap v1 after Retire: err = %v, want ErrUnknownKeyVersion", err)
		}
		dk2, err := ring.Unwrap("client-a", w2, 2)
		if err != nil {
			t.Fatalf("Unwrap v2 after Retire: %v", err)
		}
		if got, err := dk2.Open(sealed, baseAD); err != nil || string(got) != "notitie" {
			t.Fatalf("Open with re-wrapped key = %q, %v", got, err)
		}
		sig, err := ring.SigningKey("tokens")
		if err != nil {
			t.Fatalf("SigningKey after Rotate+Retire: %v", err)
		}
		if !sig.Equal(sig1) {
			t.Fatal("signing key changed across Rotate+Retire")
		}
	}
	if err := k.Retire(1); !errors.Is(err, crypto.ErrUnknownKeyVersion) {
		t.Fatalf("Retire of a retired version: err = %v, want ErrUnknownKeyVersion", err)
	}
}

func TestRetireRefusesVersionWrappingSigningKey(t *testing.T) {
	dir := t.TempDir()
	k := openRing(t, dir)
	if _, err := k.SigningKey("accesslog"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	// Rotate re-wraps the signing key under the new version.
	path := filepath.Join(dir, "signing-accesslog.key")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sf struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(b, &sf); err != nil || sf.Version != 2 {
		t.Fatalf("signing file after Rotate: version %d, err %v (want re-wrapped under 2)", sf.Version, err)
	}

	dir2 := t.TempDir()
	k2 := openRing(t, dir2)
	if _, err := k2.SigningKey("accesslog"); err != nil {
		t.Fatal(err)
	}
	// Simulate an interrupted rotation: rotate, then put back the signing
	// file as it was, still wrapped by version 1.
	before, err := os.ReadFile(filepath.Join(dir2, "signing-accesslog.key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k2.Rotate(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir2, "signing-accesslog.key"), before, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k2.Retire(1); err == nil {
		t.Fatal("Retire(1) succeeded while a signing key is still wrapped by version 1")
	}
	if !slices.Equal(k2.Versions(), []int{1, 2}) {
		t.Fatalf("Versions after refused Retire = %v", k2.Versions())
	}
	// Finishing the re-wrap makes Retire possible, and the key survives.
	want, err := openRing(t, dir2).SigningKey("accesslog")
	if err != nil {
		t.Fatal(err)
	}
	if err := k2.RewrapSigningKeys(); err != nil {
		t.Fatal(err)
	}
	if err := k2.Retire(1); err != nil {
		t.Fatalf("Retire(1) after RewrapSigningKeys: %v", err)
	}
	got, err := openRing(t, dir2).SigningKey("accesslog")
	if err != nil || !got.Equal(want) {
		t.Fatalf("signing key after re-wrap+Retire: equal=%v err=%v", err == nil && got.Equal(want), err)
	}
}

func TestSigningKey(t *testing.T) {
	dir := t.TempDir()
	k := openRing(t, dir)
	a, err := k.SigningKey("tokens")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "signing-tokens.key")
	if got := mode(t, path); got != 0o600 {
		t.Errorf("signing key mode = %04o, want 0600", got)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, a.Seed()) || strings.Contains(string(b), base64.StdEncoding.EncodeToString(a.Seed())) {
		t.Fatal("signing key file contains the seed in the clear")
	}
	var sf struct {
		Version int    `json:"version"`
		Wrapped string `json:"wrapped"`
	}
	if err := json.Unmarshal(b, &sf); err != nil || sf.Version != 1 {
		t.Fatalf("signing file = %s (err %v)", b, err)
	}
	if _, err := base64.StdEncoding.DecodeString(sf.Wrapped); err != nil {
		t.Fatalf("wrapped is not base64: %v", err)
	}

	again, err := k.SigningKey("tokens")
	if err != nil || !again.Equal(a) {
		t.Fatal("SigningKey not stable within one keyring")
	}
	reopened, err := openRing(t, dir).SigningKey("tokens")
	if err != nil || !reopened.Equal(a) {
		t.Fatalf("SigningKey not stable across reopen: %v", err)
	}
	other, err := k.SigningKey("accesslog")
	if err != nil {
		t.Fatal(err)
	}
	if other.Equal(a) {
		t.Fatal("two names gave the same signing key")
	}

	// A file copied to another name does not load (name is bound in AD).
	if err := os.WriteFile(filepath.Join(dir, "signing-copy.key"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openRing(t, dir).SigningKey("copy"); !errors.Is(err, crypto.ErrOpen) {
		t.Fatalf("renamed signing file: err = %v, want ErrOpen", err)
	}

	// Permission check, as for master.key.
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	_, err = openRing(t, dir).SigningKey("tokens")
	if !errors.Is(err, crypto.ErrKeyFilePermissions) || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("signing key with mode 0640: err = %v, want ErrKeyFilePermissions with chmod 600", err)
	}
}

func TestSigningKeyNames(t *testing.T) {
	k := openRing(t, t.TempDir())
	tests := []struct {
		name string
		ok   bool
	}{
		{"tokens", true},
		{"access-log_2", true},
		{"", false},
		{"../master", false},
		{"a/b", false},
		{"Tokens", false},
		{strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		_, err := k.SigningKey(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("SigningKey(%q): err = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestRetireRefused(t *testing.T) {
	k := openRing(t, t.TempDir()) // no signing keys: only the version checks apply
	if _, err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		version int
		unknown bool
	}{
		{"active", 2, false},
		{"unknown", 9, true},
		{"zero", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := k.Retire(tt.version)
			if err == nil {
				t.Fatalf("Retire(%d) succeeded", tt.version)
			}
			if errors.Is(err, crypto.ErrUnknownKeyVersion) != tt.unknown {
				t.Fatalf("Retire(%d): err = %v, unknown-version=%v expected", tt.version, err, tt.unknown)
			}
			if !slices.Equal(k.Versions(), []int{1, 2}) || k.Active() != 2 {
				t.Fatalf("ring changed: Versions=%v Active=%d", k.Versions(), k.Active())
			}
		})
	}
}

// LoadKeyring is for data that exists: it opens what is there and makes
// nothing, so a missing key stops the caller instead of orphaning the data.
func TestLoadKeyringCreatesNothing(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(t *testing.T, dir string) // a keyring dir in some state
		signing string                         // signing key to ask for; "" for none
		wantErr error
	}{
		{"no directory", func(t *testing.T, dir string) {}, "", crypto.ErrKeyMissing},
		{"empty directory", func(t *testing.T, dir string) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
		}, "", crypto.ErrKeyMissing},
		{"master key only, signing key asked", func(t *testing.T, dir string) { openRing(t, dir) }, "checkpoints", crypto.ErrKeyMissing},
		{"both present", func(t *testing.T, dir string) {
			if _, err := openRing(t, dir).SigningKey("checkpoints"); err != nil {
				t.Fatal(err)
			}
		}, "checkpoints", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			tc.prepare(t, dir)
			before := listDir(t, dir)
			k, err := crypto.LoadKeyring(dir)
			if err == nil && tc.signing != "" {
				_, err = k.SigningKey(tc.signing)
			}
			if !errors.Is(err, tc.wantErr) && !(err == nil && tc.wantErr == nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not name the missing file", err)
			}
			if after := listDir(t, dir); !slices.Equal(before, after) {
				t.Errorf("LoadKeyring changed the directory: %v -> %v", before, after)
			}
		})
	}
}

// TestLoadKeyringSameKey: a loaded keyring opens what the creating one wrapped.
func TestLoadKeyringSameKey(t *testing.T) {
	dir := t.TempDir()
	dk, err := crypto.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	wrapped, v, err := openRing(t, dir).Wrap("client-1", dk)
	if err != nil {
		t.Fatal(err)
	}
	k, err := crypto.LoadKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Unwrap("client-1", wrapped, v); err != nil {
		t.Fatalf("Unwrap with the loaded keyring: %v", err)
	}
}

// listDir names the files in dir, or nil when dir does not exist.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
