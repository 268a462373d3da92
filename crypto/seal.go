// Package crypto holds nabij's keys and the sealing of personal data.
//
// Personal data (client identity fields, note bodies, ...) is encrypted with
// envelope encryption:
//
//   - Every client has its own 256-bit DataKey. Fields of that client are
//     sealed with XChaCha20-Poly1305 under that key (DataKey.Seal). Each
//     ciphertext is bound, through associated data (AD), to the table,
//     column, record and client it belongs to and to the generation of the
//     data key, so a ciphertext copied to another row or column does not open.
//   - Data keys are stored only wrapped (sealed) by a master key, a
//     key-encryption key kept in <dir>/master.key (Keyring.Wrap/Unwrap).
//     Destroying a client's wrapped data key makes all of that client's data
//     unreadable at once (crypto-shredding); callers report that as
//     ErrDestroyed.
//   - Master keys are versioned. Keyring.Rotate adds a new version and makes
//     it active; old versions stay in the file until Keyring.Retire removes
//     them, so an interrupted re-wrapping run leaves everything readable.
//   - Ed25519 signing keys (access tokens, access-log checkpoints) are kept
//     the same way: their seed is stored wrapped by the master key in
//     <dir>/signing-<name>.key, and re-wrapped on rotation.
//
// Key files must be mode 0600; OpenKeyring and SigningKey refuse files that
// are readable or writable by group or others (ErrKeyFilePermissions). Every
// write of a key file is atomic (temporary file, fsync, rename, fsync of the
// directory).
//
// Passwords are hashed with Argon2id and stored in PHC string format
// (HashPassword, VerifyPassword).
//
// The sealed format is: version byte (0x01) || 24-byte random nonce ||
// ciphertext || 16-byte Poly1305 tag.
package crypto

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"

	"golang.org/x/crypto/chacha20poly1305"
)

var (
	// ErrDestroyed is returned by callers when a client's data key is gone
	// (crypto-shredding). It is defined here and used by the records layer.
	ErrDestroyed = errors.New("crypto: data key destroyed")
	// ErrOpen means a ciphertext did not open: wrong key, wrong associated
	// data (the value was moved to another row or column), or tampering.
	ErrOpen = errors.New("crypto: ciphertext does not open")
	// ErrUnknownKeyVersion means the master key version is not in the keyring.
	ErrUnknownKeyVersion = errors.New("crypto: unknown master key version")
	// ErrKeyFilePermissions means a key file has group or other permission bits.
	ErrKeyFilePermissions = errors.New("crypto: key file readable by group or others")
)

const (
	sealVersion = 0x01
	nonceSize   = chacha20poly1305.NonceSizeX // 24
	tagSize     = chacha20poly1305.Overhead   // 16
	// KeySize is the size in bytes of data keys and master keys.
	KeySize = chacha20poly1305.KeySize // 32
	// SealOverhead is how many bytes Seal adds to the plaintext.
	SealOverhead = 1 + nonceSize + tagSize

	domainSeal       = "nabij/seal/v1"
	domainDataKey    = "nabij/datakey/v1"
	domainSigningKey = "nabij/signingkey/v1"
)

// AD is the associated data that binds a ciphertext to where it lives.
// It is encoded canonically: a domain-separation prefix ("nabij/seal/v1")
// followed by the fields in fixed order, each string length-prefixed, so no
// two different ADs encode to the same bytes.
type AD struct {
	Table      string // e.g. "notes", "clients"
	Column     string // e.g. "body", "name" (so swapping two columns of one row also fails)
	RecordID   string // ids are strings (UUIDs)
	ClientID   string
	KeyVersion int // generation of the client's data key (1 for now)
}

// bytes returns the canonical encoding of ad.
func (ad AD) bytes() []byte {
	return encodeAD(domainSeal, ad.KeyVersion, ad.Table, ad.Column, ad.RecordID, ad.ClientID)
}

// encodeAD encodes domain, the fields and version as
// len(domain)||domain||len(f1)||f1||...||version, with 4-byte big-endian
// lengths and an 8-byte big-endian version.
func encodeAD(domain string, version int, fields ...string) []byte {
	n := 4 + len(domain) + 8
	for _, f := range fields {
		n += 4 + len(f)
	}
	return appendAD(make([]byte, 0, n), domain, version, fields...)
}

// appendAD appends the encoding of encodeAD to b.
func appendAD(b []byte, domain string, version int, fields ...string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(domain)))
	b = append(b, domain...)
	for _, f := range fields {
		b = binary.BigEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(int64(version)))
	return b
}

// OpenBuffers are the scratch space of OpenWith, reused from one field to
// the next by a reader that opens many (a file's notes). Not for concurrent
// use; the plaintext OpenWith returns lives in it until the next call.
type OpenBuffers struct {
	ad, plain []byte
}

// OpenWith is Open with reused buffers: the returned plaintext is valid only
// until the next call with bufs, so the caller copies what it keeps.
func (dk *DataKey) OpenWith(bufs *OpenBuffers, sealed []byte, ad AD) ([]byte, error) {
	if dk == nil || dk.aead == nil {
		return nil, ErrDestroyed
	}
	if len(sealed) < SealOverhead || sealed[0] != sealVersion {
		return nil, ErrOpen
	}
	bufs.ad = appendAD(bufs.ad[:0], domainSeal, ad.KeyVersion, ad.Table, ad.Column, ad.RecordID, ad.ClientID)
	pt, err := dk.aead.Open(bufs.plain[:0], sealed[1:1+nonceSize], sealed[1+nonceSize:], bufs.ad)
	if err != nil {
		return nil, ErrOpen
	}
	bufs.plain = pt
	return pt, nil
}

// DataKey is one client's 256-bit data key, unwrapped, in memory.
// It is safe for concurrent use, except that Wipe must not race with
// Seal or Open.
type DataKey struct {
	key  [KeySize]byte
	aead cipher.AEAD
}

// NewDataKey returns a fresh random data key (crypto/rand).
func NewDataKey() (*DataKey, error) {
	var k [KeySize]byte
	if _, err := rand.Read(k[:]); err != nil {
		return nil, err
	}
	dk, err := dataKeyFrom(k[:])
	clear(k[:])
	return dk, err
}

// dataKeyFrom copies raw (KeySize bytes) into a new DataKey.
func dataKeyFrom(raw []byte) (*DataKey, error) {
	if len(raw) != KeySize {
		return nil, errors.New("crypto: data key has wrong length")
	}
	dk := &DataKey{}
	copy(dk.key[:], raw)
	aead, err := chacha20poly1305.NewX(dk.key[:])
	if err != nil {
		return nil, err
	}
	dk.aead = aead
	return dk, nil
}

// Seal encrypts plaintext bound to ad with XChaCha20-Poly1305 and a fresh
// random 24-byte nonce. The output is version byte || nonce || ciphertext+tag.
// Seal panics if the key has been wiped (a programming error).
func (dk *DataKey) Seal(plaintext []byte, ad AD) []byte {
	if dk == nil || dk.aead == nil {
		panic("crypto: Seal with a wiped or nil DataKey")
	}
	return sealAEAD(dk.aead, plaintext, ad.bytes())
}

// Open decrypts the output of Seal. It returns ErrOpen on any failure: short
// input, unknown version byte, wrong key, wrong associated data or tampering.
// After Wipe it returns ErrDestroyed.
func (dk *DataKey) Open(sealed []byte, ad AD) ([]byte, error) {
	if dk == nil || dk.aead == nil {
		return nil, ErrDestroyed
	}
	return openAEAD(dk.aead, sealed, ad.bytes())
}

// Wipe zeroes the key bytes and drops the cipher; the DataKey is unusable
// afterwards. (The cipher keeps its own copy of the key inside
// golang.org/x/crypto, which Go gives no way to scrub; dropping it leaves it
// to the garbage collector.)
func (dk *DataKey) Wipe() {
	if dk == nil {
		return
	}
	clear(dk.key[:])
	dk.aead = nil
}

func sealAEAD(aead cipher.AEAD, plaintext, ad []byte) []byte {
	out := make([]byte, 1+nonceSize, SealOverhead+len(plaintext))
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		// crypto/rand.Read does not fail on supported platforms (Go ≥ 1.24).
		panic("crypto: reading random nonce: " + err.Error())
	}
	return aead.Seal(out, out[1:1+nonceSize], plaintext, ad)
}

func openAEAD(aead cipher.AEAD, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < SealOverhead || sealed[0] != sealVersion {
		return nil, ErrOpen
	}
	pt, err := aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}
