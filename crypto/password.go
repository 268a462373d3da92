package crypto

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the Argon2id parameters of a password hash.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // iterations
	Threads uint8  // parallelism
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultPasswordParams follow the OWASP recommendation for Argon2id
// (19 MiB, 2 iterations, parallelism 1).
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on parameters, both for hashing and for stored hashes, so a bad row
// cannot make one login cost gigabytes or minutes.
const (
	maxPasswordMemory  = 1 << 20 // KiB = 1 GiB
	maxPasswordTime    = 100
	maxPasswordThreads = 64
	minPasswordSalt    = 8
	maxPasswordSalt    = 256
	minPasswordKey     = 4 // Argon2 minimum output length
	maxPasswordKey     = 1024
)

// ErrMalformedPasswordHash is wrapped by VerifyPassword errors: the stored
// string is not a valid argon2id PHC string, or has absurd parameters.
var ErrMalformedPasswordHash = errors.New("crypto: malformed argon2id password hash")

func (p PasswordParams) validate() error {
	switch {
	case p.Memory == 0 || p.Memory > maxPasswordMemory:
		return fmt.Errorf("crypto: argon2id memory %d KiB out of range (1..%d)", p.Memory, maxPasswordMemory)
	case p.Memory < 8*uint32(p.Threads):
		return fmt.Errorf("crypto: argon2id memory %d KiB below 8*threads", p.Memory)
	case p.Time == 0 || p.Time > maxPasswordTime:
		return fmt.Errorf("crypto: argon2id time %d out of range (1..%d)", p.Time, maxPasswordTime)
	case p.Threads == 0 || p.Threads > maxPasswordThreads:
		return fmt.Errorf("crypto: argon2id threads %d out of range (1..%d)", p.Threads, maxPasswordThreads)
	case p.SaltLen < minPasswordSalt || p.SaltLen > maxPasswordSalt:
		return fmt.Errorf("crypto: argon2id salt length %d out of range (%d..%d)", p.SaltLen, minPasswordSalt, maxPasswordSalt)
	case p.KeyLen < minPasswordKey || p.KeyLen > maxPasswordKey:
		return fmt.Errorf("crypto: argon2id key length %d out of range (%d..%d)", p.KeyLen, minPasswordKey, maxPasswordKey)
	}
	return nil
}

// HashPassword hashes password with Argon2id and DefaultPasswordParams and
// returns it in PHC string format:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// with salt and hash in unpadded standard base64.
func HashPassword(password string) (string, error) {
	return HashPasswordWith(DefaultPasswordParams, password)
}

// HashPasswordWith is HashPassword with explicit parameters.
func HashPasswordWith(p PasswordParams, password string) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	hash := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(hash)), nil
}

// VerifyPassword checks password against an encoded Argon2id hash with a
// constant-time comparison. err is non-nil only for a malformed or absurd
// hash string, never for a wrong password. needsRehash is true when the
// password is right and the stored parameters are weaker than
// DefaultPasswordParams (lower memory, time, threads, key length or salt
// length); the caller should then store HashPassword(password).
func VerifyPassword(encoded, password string) (ok bool, needsRehash bool, err error) {
	p, salt, hash, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if subtle.ConstantTimeCompare(got, hash) != 1 {
		return false, false, nil
	}
	d := DefaultPasswordParams
	needsRehash = p.Memory < d.Memory || p.Time < d.Time || p.Threads < d.Threads ||
		p.KeyLen < d.KeyLen || p.SaltLen < d.SaltLen
	return true, needsRehash, nil
}

// parsePHC parses $argon2id$v=19$m=M,t=T,p=P$salt$hash strictly.
func parsePHC(s string) (p PasswordParams, salt, hash []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformedPasswordHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", ErrMalformedPasswordHash, parts[2])
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, fmt.Errorf("%w: parameters %q", ErrMalformedPasswordHash, parts[3])
	}
	var vals [3]uint64
	for i, key := range []string{"m=", "t=", "p="} {
		num, found := strings.CutPrefix(kv[i], key)
		if !found || num == "" || (len(num) > 1 && num[0] == '0') {
			return p, nil, nil, fmt.Errorf("%w: parameters %q", ErrMalformedPasswordHash, parts[3])
		}
		if vals[i], err = strconv.ParseUint(num, 10, 32); err != nil {
			return p, nil, nil, fmt.Errorf("%w: parameters %q", ErrMalformedPasswordHash, parts[3])
		}
	}
	if vals[2] > 255 {
		return p, nil, nil, fmt.Errorf("%w: parallelism %d", ErrMalformedPasswordHash, vals[2])
	}
	if salt, err = base64.RawStdEncoding.Strict().DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt: %v", ErrMalformedPasswordHash, err)
	}
	if hash, err = base64.RawStdEncoding.Strict().DecodeString(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: hash: %v", ErrMalformedPasswordHash, err)
	}
	p = PasswordParams{
		Memory:  uint32(vals[0]),
		Time:    uint32(vals[1]),
		Threads: uint8(vals[2]),
		SaltLen: uint32(len(salt)),
		KeyLen:  uint32(len(hash)),
	}
	if err := p.validate(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %v", ErrMalformedPasswordHash, err)
	}
	return p, salt, hash, nil
}
