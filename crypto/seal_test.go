package crypto_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/nabij/nabij/crypto"
)

func newKey(t testing.TB) *crypto.DataKey {
	t.Helper()
	dk, err := crypto.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	return dk
}

var baseAD = crypto.AD{
	Table:      "notes",
	Column:     "body",
	RecordID:   "0b6f3c2e-8a57-4c1f-9d1e-3f4a5b6c7d8e",
	ClientID:   "5e2d1c0b-7a69-4857-b6c5-d4e3f2a1b0c9",
	KeyVersion: 1,
}

func TestSealOpenRoundTrip(t *testing.T) {
	dk := newKey(t)
	tests := []struct {
		name      string
		plaintext []byte
	}{
		{"empty", []byte{}},
		{"short", []byte("Huisbezoek: cliënt maakt het goed.")},
		{"2KiB", bytes.Repeat([]byte("x"), 2048)},
		{"binary", []byte{0, 1, 2, 255, 254}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed := dk.Seal(tt.plaintext, baseAD)
			if got, want := len(sealed), len(tt.plaintext)+crypto.SealOverhead; got != want {
				t.Fatalf("len(sealed) = %d, want %d", got, want)
			}
			if sealed[0] != 0x01 {
				t.Fatalf("version byte = %#x, want 0x01", sealed[0])
			}
			if len(tt.plaintext) >= 8 && bytes.Contains(sealed, tt.plaintext[:8]) {
				t.Fatal("sealed output contains plaintext")
			}
			got, err := dk.Open(sealed, baseAD)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Fatalf("Open = %q, want %q", got, tt.plaintext)
			}
		})
	}
}

func TestOpenWrongAD(t *testing.T) {
	dk := newKey(t)
	sealed := dk.Seal([]byte("vertrouwelijk"), baseAD)
	tests := []struct {
		name   string
		change func(*crypto.AD)
	}{
		{"Table", func(a *crypto.AD) { a.Table = "clients" }},
		{"Column", func(a *crypto.AD) { a.Column = "summary" }},
		{"RecordID", func(a *crypto.AD) { a.RecordID = "0b6f3c2e-8a57-4c1f-9d1e-3f4a5b6c7d8f" }},
		{"ClientID", func(a *crypto.AD) { a.ClientID = "other-client" }},
		{"KeyVersion", func(a *crypto.AD) { a.KeyVersion = 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad := baseAD
			tt.change(&ad)
			if _, err := dk.Open(sealed, ad); !errors.Is(err, crypto.ErrOpen) {
				t.Fatalf("Open with changed %s: err = %v, want ErrOpen", tt.name, err)
			}
			var bufs crypto.OpenBuffers
			if _, err := dk.OpenWith(&bufs, sealed, ad); !errors.Is(err, crypto.ErrOpen) {
				t.Fatalf("OpenWith with changed %s: err = %v, want ErrOpen", tt.name, err)
			}
		})
	}
	// Sanity: the unchanged AD still opens, so the failures above are due to the change.
	if _, err := dk.Open(sealed, baseAD); err != nil {
		t.Fatalf("Open with original AD: %v", err)
	}
}

// Field boundaries must be part of the encoding: moving a character from one
// field to the next must not give the same AD.
func TestADCanonicalBoundaries(t *testing.T) {
	dk := newKey(t)
	tests := []struct {
		name   string
		sealAD crypto.AD
		openAD crypto.AD
	}{
		{"table/column", crypto.AD{Table: "notesb", Column: "ody"}, crypto.AD{Table: "notes", Column: "body"}},
		{"column/record", crypto.AD{Column: "body1", RecordID: "23"}, crypto.AD{Column: "body", RecordID: "123"}},
		{"record/client", crypto.AD{RecordID: "", ClientID: "ab"}, crypto.AD{RecordID: "a", ClientID: "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed := dk.Seal([]byte("x"), tt.sealAD)
			if _, err := dk.Open(sealed, tt.openAD); !errors.Is(err, crypto.ErrOpen) {
				t.Fatalf("err = %v, want ErrOpen", err)
			}
		})
	}
}

func TestOpenTampered(t *testing.T) {
	dk := newKey(t)
	sealed := dk.Seal([]byte("Gesprek over schulden en huisvesting."), baseAD)
	for i := range sealed {
		tampered := bytes.Clone(sealed)
		tampered[i] ^= 0x01
		if _, err := dk.Open(tampered, baseAD); !errors.Is(err, crypto.ErrOpen) {
			t.Fatalf("flipping byte %d: err = %v, want ErrOpen", i, err)
		}
	}
}

func TestOpenWrongKey(t *testing.T) {
	a, b := newKey(t), newKey(t)
	sealed := a.Seal([]byte("x"), baseAD)
	if _, err := b.Open(sealed, baseAD); !errors.Is(err, crypto.ErrOpen) {
		t.Fatalf("err = %v, want ErrOpen", err)
	}
}

func TestSealFreshNonce(t *testing.T) {
	dk := newKey(t)
	pt := []byte("dezelfde tekst")
	seen := map[string]bool{}
	nonces := map[string]bool{}
	for range 100 {
		s := dk.Seal(pt, baseAD)
		if seen[string(s)] {
			t.Fatal("two seals of the same plaintext are identical")
		}
		seen[string(s)] = true
		nonce := string(s[1:25])
		if nonces[nonce] {
			t.Fatal("nonce reused")
		}
		nonces[nonce] = true
	}
}

func TestOpenTruncated(t *testing.T) {
	dk := newKey(t)
	sealed := dk.Seal([]byte("hello"), baseAD)
	for n := 0; n < len(sealed); n++ {
		if _, err := dk.Open(sealed[:n], baseAD); !errors.Is(err, crypto.ErrOpen) {
			t.Fatalf("len %d: err = %v, want ErrOpen", n, err)
		}
	}
	if _, err := dk.Open(nil, baseAD); !errors.Is(err, crypto.ErrOpen) {
		t.Fatalf("nil: err = %v, want ErrOpen", err)
	}
}

func TestOpenBadVersionByte(t *testing.T) {
	dk := newKey(t)
	sealed := dk.Seal([]byte("hello"), baseAD)
	for _, v := range []byte{0x00, 0x02, 0xff} {
		s := bytes.Clone(sealed)
		s[0] = v
		if _, err := dk.Open(s, baseAD); !errors.Is(err, crypto.ErrOpen) {
			t.Fatalf("version %#x: err = %v, want ErrOpen", v, err)
		}
	}
}

func TestWipe(t *testing.T) {
	dk := newKey(t)
	sealed := dk.Seal([]byte("hello"), baseAD)
	dk.Wipe()
	if _, err := dk.Open(sealed, baseAD); !errors.Is(err, crypto.ErrDestroyed) {
		t.Fatalf("Open after Wipe: err = %v, want ErrDestroyed", err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("Seal after Wipe did not panic")
			}
		}()
		dk.Seal([]byte("x"), baseAD)
	}()
}

func TestWipeZeroesKey(t *testing.T) {
	dk := newKey(t)
	key := crypto.KeyBytesForTest(dk)
	if bytes.Equal(key, make([]byte, 32)) {
		t.Fatal("fresh key is all zero")
	}
	dk.Wipe()
	if !bytes.Equal(key, make([]byte, 32)) {
		t.Fatal("Wipe did not zero the key bytes")
	}
}

// TestOpenWithReusesBuffers: OpenWith opens what Open opens, field after
// field with one set of buffers, and refuses what Open refuses.
func TestOpenWithReusesBuffers(t *testing.T) {
	dk := newKey(t)
	var bufs crypto.OpenBuffers
	for _, msg := range []string{"een lange notitie over het huisbezoek", "kort", "", "nog een"} {
		sealed := dk.Seal([]byte(msg), baseAD)
		pt, err := dk.OpenWith(&bufs, sealed, baseAD)
		if err != nil || string(pt) != msg {
			t.Fatalf("OpenWith(%q) = %q, %v", msg, pt, err)
		}
		sealed[len(sealed)-1] ^= 1
		if _, err := dk.OpenWith(&bufs, sealed, baseAD); !errors.Is(err, crypto.ErrOpen) {
			t.Fatalf("tampered: err = %v, want ErrOpen", err)
		}
	}
	var destroyed *crypto.DataKey
	if _, err := destroyed.OpenWith(&bufs, dk.Seal([]byte("x"), baseAD), baseAD); !errors.Is(err, crypto.ErrDestroyed) {
		t.Fatalf("nil key: err = %v, want ErrDestroyed", err)
	}
}
