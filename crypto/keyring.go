package crypto

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
)

// MasterKeyFile is the name of the master key file inside the keyring directory.
const MasterKeyFile = "master.key"

// Keyring holds the master keys (key-encryption keys) by version, loaded
// from <dir>/master.key. It is safe for concurrent use within one process;
// Rotate and Retire are administrative operations and must not run in two
// processes at the same time.
type Keyring struct {
	dir string

	// existing is set by LoadKeyring: the keyring belongs to data that exists
	// already, so a missing signing key is an error, never a new key.
	existing bool

	mu      sync.RWMutex
	active  int
	keys    map[int]*masterKey
	signing map[string][]byte // name -> Ed25519 seed, cache
}

// ErrKeyMissing is returned by LoadKeyring, and by SigningKey on a keyring it
// loaded, when a key file is absent. A new key beside existing data would
// leave that data unreadable and its signed checkpoints unverifiable, so the
// caller must stop and say which file is missing instead of making one.
var ErrKeyMissing = errors.New("crypto: key file missing")

type masterKey struct {
	version int
	key     [KeySize]byte
	created time.Time
	aead    cipher.AEAD
}

type keyFile struct {
	Active int            `json:"active"`
	Keys   []keyFileEntry `json:"keys"`
}

type keyFileEntry struct {
	Version int    `json:"version"`
	Key     string `json:"key"`
	Created string `json:"created"`
}

// OpenKeyring loads the keyring in dir. When dir/master.key is absent it
// creates it (mode 0600, version 1, 32 random bytes), creating dir with mode
// 0700 if needed. It refuses a key file with any group or other permission
// bits with an error wrapping ErrKeyFilePermissions.
func OpenKeyring(dir string) (*Keyring, error) {
	if dir == "" {
		return nil, errors.New("crypto: empty keyring directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("crypto: creating keyring directory: %w", err)
	}
	k := &Keyring{dir: dir, signing: map[string][]byte{}}
	path := k.masterPath()
	for attempt := 0; ; attempt++ {
		b, err := readKeyFile(path)
		if err == nil {
			if err := k.parse(b); err != nil {
				return nil, fmt.Errorf("crypto: %s: %w", path, err)
			}
			return k, nil
		}
		if !errors.Is(err, os.ErrNotExist) || attempt > 0 {
			return nil, err
		}
		// First run: create version 1.
		mk, err := newMasterKey(1)
		if err != nil {
			return nil, err
		}
		k.keys = map[int]*masterKey{1: mk}
		k.active = 1
		data, err := k.marshal()
		if err != nil {
			return nil, err
		}
		err = writeFileAtomic(path, data, true)
		if err == nil {
			return k, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("crypto: creating %s: %w", path, err)
		}
		// Someone else created it at the same time: load theirs.
		k.keys, k.active = nil, 0
	}
}

// LoadKeyring loads the keyring in dir as OpenKeyring does, but creates
// nothing: not the directory, not master.key, and (through SigningKey) no
// signing key. It is for data that exists already. A missing file gives an
// error wrapping ErrKeyMissing that names the file.
func LoadKeyring(dir string) (*Keyring, error) {
	if dir == "" {
		return nil, errors.New("crypto: empty keyring directory")
	}
	k := &Keyring{dir: dir, existing: true, signing: map[string][]byte{}}
	path := k.masterPath()
	b, err := readKeyFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrKeyMissing, path)
	}
	if err != nil {
		return nil, err
	}
	if err := k.parse(b); err != nil {
		return nil, fmt.Errorf("crypto: %s: %w", path, err)
	}
	return k, nil
}

func newMasterKey(version int) (*masterKey, error) {
	mk := &masterKey{version: version, created: time.Now().UTC().Truncate(time.Second)}
	if _, err := rand.Read(mk.key[:]); err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(mk.key[:])
	if err != nil {
		return nil, err
	}
	mk.aead = aead
	return mk, nil
}

func (k *Keyring) masterPath() string { return filepath.Join(k.dir, MasterKeyFile) }

func (k *Keyring) parse(b []byte) error {
	var f keyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("malformed key file: %w", err)
	}
	keys := make(map[int]*masterKey, len(f.Keys))
	for _, e := range f.Keys {
		if e.Version < 1 {
			return fmt.Errorf("invalid key version %d", e.Version)
		}
		if _, dup := keys[e.Version]; dup {
			return fmt.Errorf("duplicate key version %d", e.Version)
		}
		raw, err := base64.StdEncoding.DecodeString(e.Key)
		if err != nil || len(raw) != KeySize {
			return fmt.Errorf("key version %d is not %d base64-encoded bytes", e.Version, KeySize)
		}
		mk := &masterKey{version: e.Version}
		copy(mk.key[:], raw)
		clear(raw)
		if e.Created != "" {
			if mk.created, err = time.Parse(time.RFC3339, e.Created); err != nil {
				return fmt.Errorf("key version %d: bad created time: %w", e.Version, err)
			}
		}
		if mk.aead, err = chacha20poly1305.NewX(mk.key[:]); err != nil {
			return err
		}
		keys[e.Version] = mk
	}
	if _, ok := keys[f.Active]; !ok {
		return fmt.Errorf("active version %d is not among the keys", f.Active)
	}
	k.keys, k.active = keys, f.Active
	return nil
}

// marshal encodes the keyring; the caller holds k.mu (or owns k).
func (k *Keyring) marshal() ([]byte, error) {
	f := keyFile{Active: k.active}
	for _, v := range k.versionsLocked() {
		mk := k.keys[v]
		f.Keys = append(f.Keys, keyFileEntry{
			Version: v,
			Key:     base64.StdEncoding.EncodeToString(mk.key[:]),
			Created: mk.created.Format(time.RFC3339),
		})
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func (k *Keyring) persistLocked() error {
	data, err := k.marshal()
	if err != nil {
		return err
	}
	defer clear(data)
	if err := writeFileAtomic(k.masterPath(), data, false); err != nil {
		return fmt.Errorf("crypto: writing %s: %w", k.masterPath(), err)
	}
	return nil
}

// Dir returns the keyring directory.
func (k *Keyring) Dir() string { return k.dir }

// Active returns the version of the active master key, used by Wrap.
func (k *Keyring) Active() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.active
}

// Versions returns the master key versions in the ring, ascending.
func (k *Keyring) Versions() []int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.versionsLocked()
}

func (k *Keyring) versionsLocked() []int {
	vs := make([]int, 0, len(k.keys))
	for v := range k.keys {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}

// Rotate adds a new random master key version, persists it, makes it active
// and returns it. Old versions stay in the file, so data keys wrapped under
// them remain readable until they are re-wrapped and the old version is
// retired. Rotate also re-wraps every signing-<name>.key file under the new
// version. If that re-wrapping fails, Rotate returns the new version together
// with the error; RewrapSigningKeys can be run again to finish it.
func (k *Keyring) Rotate() (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	vs := k.versionsLocked()
	next := vs[len(vs)-1] + 1
	mk, err := newMasterKey(next)
	if err != nil {
		return 0, err
	}
	oldActive := k.active
	k.keys[next] = mk
	k.active = next
	if err := k.persistLocked(); err != nil {
		delete(k.keys, next)
		k.active = oldActive
		return 0, err
	}
	if err := k.rewrapSigningLocked(); err != nil {
		return next, fmt.Errorf("crypto: rotated to master key version %d, but re-wrapping signing keys failed (run RewrapSigningKeys again): %w", next, err)
	}
	return next, nil
}

// Retire removes a master key version from the ring and the file. It refuses
// the active version, and any version that still wraps a signing key file.
// Data keys still wrapped by the retired version can no longer be unwrapped:
// re-wrap them first.
func (k *Keyring) Retire(version int) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if version == k.active {
		return fmt.Errorf("crypto: refusing to retire the active master key version %d", version)
	}
	mk, ok := k.keys[version]
	if !ok {
		return fmt.Errorf("%w: %d", ErrUnknownKeyVersion, version)
	}
	files, err := k.signingFiles()
	if err != nil {
		return err
	}
	for name, path := range files {
		sf, err := readSigningFile(path)
		if err != nil {
			return fmt.Errorf("crypto: refusing to retire version %d: cannot check signing key %q: %w", version, name, err)
		}
		if sf.Version == version {
			return fmt.Errorf("crypto: refusing to retire version %d: signing key %q is still wrapped by it (run RewrapSigningKeys)", version, name)
		}
	}
	delete(k.keys, version)
	if err := k.persistLocked(); err != nil {
		k.keys[version] = mk
		return err
	}
	// Concurrent Unwraps may still hold mk.aead (which has its own copy of
	// the key), so only the key bytes are zeroed here.
	clear(mk.key[:])
	return nil
}

// Wrap seals the data key under the active master key, bound to clientID
// and the master key version. It returns the wrapped key and that version.
func (k *Keyring) Wrap(clientID string, dk *DataKey) (wrapped []byte, version int, err error) {
	if dk == nil || dk.aead == nil {
		return nil, 0, errors.New("crypto: Wrap of a wiped or nil DataKey")
	}
	k.mu.RLock()
	mk := k.keys[k.active]
	k.mu.RUnlock()
	ad := encodeAD(domainDataKey, mk.version, clientID)
	return sealAEAD(mk.aead, dk.key[:], ad), mk.version, nil
}

// Unwrap opens a data key wrapped by Wrap for clientID under the given
// master key version. It returns ErrUnknownKeyVersion if the version is not
// in the ring and ErrOpen if the wrapped key does not open (for example the
// wrapped key of another client).
func (k *Keyring) Unwrap(clientID string, wrapped []byte, version int) (*DataKey, error) {
	mk, err := k.key(version)
	if err != nil {
		return nil, err
	}
	raw, err := openAEAD(mk.aead, wrapped, encodeAD(domainDataKey, version, clientID))
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	if len(raw) != KeySize {
		return nil, ErrOpen
	}
	return dataKeyFrom(raw)
}

func (k *Keyring) key(version int) (*masterKey, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	mk, ok := k.keys[version]
	if !ok {
		return nil, fmt.Errorf("%w: %d", ErrUnknownKeyVersion, version)
	}
	return mk, nil
}
