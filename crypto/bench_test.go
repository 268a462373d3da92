package crypto_test

import (
	"bytes"
	"testing"

	"github.com/nabij/nabij/crypto"
)

func BenchmarkSealOpen2KiB(b *testing.B) {
	dk := newKey(b)
	note := bytes.Repeat([]byte("Huisbezoek. "), 2048/12+1)[:2048]
	b.SetBytes(int64(len(note)))
	b.ReportAllocs()
	for b.Loop() {
		sealed := dk.Seal(note, baseAD)
		if _, err := dk.Open(sealed, baseAD); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnwrap(b *testing.B) {
	k := openRing(b, b.TempDir())
	dk := newKey(b)
	wrapped, v, err := k.Wrap("client-a", dk)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Unwrap("client-a", wrapped, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := crypto.HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
