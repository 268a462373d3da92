package crypto_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/nabij/nabij/crypto"
	"golang.org/x/crypto/argon2"
)

// fast are small parameters to keep tests quick.
var fast = crypto.PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func TestHashPasswordFormat(t *testing.T) {
	enc, err := crypto.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	m := phcRE.FindStringSubmatch(enc)
	if m == nil {
		t.Fatalf("not a PHC argon2id string: %q", enc)
	}
	if m[1] != "19456" || m[2] != "2" || m[3] != "1" {
		t.Fatalf("params m=%s t=%s p=%s, want 19456,2,1", m[1], m[2], m[3])
	}
	if len(m[4]) != 22 || len(m[5]) != 43 { // 16 and 32 bytes, unpadded base64
		t.Fatalf("salt/hash lengths %d/%d, want 22/43 chars", len(m[4]), len(m[5]))
	}
	again, err := crypto.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if again == enc {
		t.Fatal("two hashes of the same password are identical (salt not random)")
	}
	ok, rehash, err := crypto.VerifyPassword(enc, "correct horse battery staple")
	if err != nil || !ok || rehash {
		t.Fatalf("Verify default hash: ok=%v rehash=%v err=%v, want true false nil", ok, rehash, err)
	}
}

func TestVerifyPassword(t *testing.T) {
	enc, err := crypto.HashPasswordWith(fast, "geheim")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"geheim", true},
		{"Geheim", false},
		{"geheim ", false},
		{"", false},
		{"geheim\x00", false},
	}
	for _, tt := range tests {
		ok, _, err := crypto.VerifyPassword(enc, tt.password)
		if err != nil {
			t.Errorf("VerifyPassword(%q): err = %v (a wrong password is not an error)", tt.password, err)
		}
		if ok != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, want %v", tt.password, ok, tt.want)
		}
	}
}

// A PHC string built independently from argon2.IDKey with a fixed salt must
// verify: the parser reads the stored params, salt and key length.
func TestVerifyExternalPHC(t *testing.T) {
	salt := []byte("0123456789abcdef")
	hash := argon2.IDKey([]byte("pw"), salt, 2, 128, 1, 24)
	enc := "$argon2id$v=19$m=128,t=2,p=1$" + base64.RawStdEncoding.EncodeToString(salt) +
		"$" + base64.RawStdEncoding.EncodeToString(hash)
	ok, rehash, err := crypto.VerifyPassword(enc, "pw")
	if err != nil || !ok || !rehash {
		t.Fatalf("ok=%v rehash=%v err=%v, want true true nil", ok, rehash, err)
	}
	if ok, _, err := crypto.VerifyPassword(enc, "pw2"); err != nil || ok {
		t.Fatalf("wrong password: ok=%v err=%v", ok, err)
	}
}

// The parser must read the stored params, not assume defaults.
func TestVerifyParsesStoredParams(t *testing.T) {
	p := crypto.PasswordParams{Memory: 256, Time: 3, Threads: 2, SaltLen: 12, KeyLen: 20}
	enc, err := crypto.HashPasswordWith(p, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=256,t=3,p=2$") {
		t.Fatalf("encoded = %q", enc)
	}
	ok, rehash, err := crypto.VerifyPassword(enc, "pw")
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	if !rehash {
		t.Fatal("needsRehash = false for weaker params")
	}
	// Changing a stored parameter changes the derived hash.
	changed := strings.Replace(enc, "t=3", "t=4", 1)
	if ok, _, err := crypto.VerifyPassword(changed, "pw"); err != nil || ok {
		t.Fatalf("with t changed: ok=%v err=%v, want false nil", ok, err)
	}
}

func TestNeedsRehash(t *testing.T) {
	d := crypto.DefaultPasswordParams
	tests := []struct {
		name string
		p    crypto.PasswordParams
		want bool
	}{
		{"lower memory", crypto.PasswordParams{Memory: 64, Time: d.Time, Threads: d.Threads, SaltLen: d.SaltLen, KeyLen: d.KeyLen}, true},
		{"lower time", crypto.PasswordParams{Memory: d.Memory, Time: 1, Threads: d.Threads, SaltLen: d.SaltLen, KeyLen: d.KeyLen}, true},
		{"lower keylen", crypto.PasswordParams{Memory: d.Memory, Time: d.Time, Threads: d.Threads, SaltLen: d.SaltLen, KeyLen: 16}, true},
		{"all lower", fast, true},
		{"default", d, false},
		{"stronger time", crypto.PasswordParams{Memory: d.Memory, Time: 3, Threads: d.Threads, SaltLen: d.SaltLen, KeyLen: d.KeyLen}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, err := crypto.HashPasswordWith(tt.p, "pw")
			if err != nil {
				t.Fatal(err)
			}
			ok, rehash, err := crypto.VerifyPassword(enc, "pw")
			if err != nil || !ok {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			if rehash != tt.want {
				t.Fatalf("needsRehash = %v, want %v", rehash, tt.want)
			}
			// A wrong password never asks for a rehash.
			if _, rehash, _ := crypto.VerifyPassword(enc, "wrong"); rehash {
				t.Fatal("needsRehash = true for a wrong password")
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	good, err := crypto.HashPasswordWith(fast, "pw")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	salt, hash := parts[4], parts[5]
	phc := func(alg, ver, params, s, h string) string {
		return fmt.Sprintf("$%s$%s$%s$%s$%s", alg, ver, params, s, h)
	}
	tests := []struct {
		name    string
		encoded string
	}{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"bcrypt", "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"},
		{"argon2i", phc("argon2i", "v=19", "m=64,t=1,p=1", salt, hash)},
		{"missing version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + hash},
		{"version 16", phc("argon2id", "v=16", "m=64,t=1,p=1", salt, hash)},
		{"params order", phc("argon2id", "v=19", "t=1,m=64,p=1", salt, hash)},
		{"params missing", phc("argon2id", "v=19", "m=64,t=1", salt, hash)},
		{"params extra", phc("argon2id", "v=19", "m=64,t=1,p=1,x=2", salt, hash)},
		{"params not numeric", phc("argon2id", "v=19", "m=abc,t=1,p=1", salt, hash)},
		{"params negative", phc("argon2id", "v=19", "m=-64,t=1,p=1", salt, hash)},
		{"params leading zero", phc("argon2id", "v=19", "m=064,t=1,p=1", salt, hash)},
		{"salt bad base64", phc("argon2id", "v=19", "m=64,t=1,p=1", "!!!!", hash)},
		{"salt padded", phc("argon2id", "v=19", "m=64,t=1,p=1", salt+"==", hash)},
		{"hash bad base64", phc("argon2id", "v=19", "m=64,t=1,p=1", salt, "***")},
		{"salt too short", phc("argon2id", "v=19", "m=64,t=1,p=1", "AAAA", hash)},
		{"hash empty", phc("argon2id", "v=19", "m=64,t=1,p=1", salt, "")},
		{"trailing field", good + "$x"},
		// absurd parameters: refused before any work is done
		{"memory > 1GiB", phc("argon2id", "v=19", "m=1048577,t=1,p=1", salt, hash)},
		{"memory 4GiB", phc("argon2id", "v=19", "m=4294967295,t=1,p=1", salt, hash)},
		{"memory overflow", phc("argon2id", "v=19", "m=99999999999,t=1,p=1", salt, hash)},
		{"time > 100", phc("argon2id", "v=19", "m=64,t=101,p=1", salt, hash)},
		{"time 0", phc("argon2id", "v=19", "m=64,t=0,p=1", salt, hash)},
		{"threads 0", phc("argon2id", "v=19", "m=64,t=1,p=0", salt, hash)},
		{"threads 256", phc("argon2id", "v=19", "m=4096,t=1,p=256", salt, hash)},
		{"memory below 8*threads", phc("argon2id", "v=19", "m=8,t=1,p=4", salt, hash)},
		{"hash huge", phc("argon2id", "v=19", "m=64,t=1,p=1", salt, strings.Repeat("A", 4000))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := crypto.VerifyPassword(tt.encoded, "pw")
			if err == nil {
				t.Fatalf("VerifyPassword(%q) accepted a malformed string", tt.encoded)
			}
			if !errors.Is(err, crypto.ErrMalformedPasswordHash) {
				t.Errorf("err = %v, want ErrMalformedPasswordHash", err)
			}
			if ok || rehash {
				t.Fatalf("ok=%v rehash=%v with err", ok, rehash)
			}
		})
	}
	// Sanity: the unmodified string is accepted.
	if ok, _, err := crypto.VerifyPassword(good, "pw"); err != nil || !ok {
		t.Fatalf("good string: ok=%v err=%v", ok, err)
	}
}

func TestHashPasswordWithRejectsBadParams(t *testing.T) {
	tests := []crypto.PasswordParams{
		{Memory: 0, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 2 << 20, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 101, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 0, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 0},
	}
	for _, p := range tests {
		if _, err := crypto.HashPasswordWith(p, "pw"); err == nil {
			t.Errorf("HashPasswordWith(%+v) accepted bad params", p)
		}
	}
}
