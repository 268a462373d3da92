package crypto

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// signingNameRE restricts signing key names so they are safe in file names.
var signingNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

type signingFile struct {
	Version int    `json:"version"`
	Wrapped []byte `json:"wrapped"` // base64 (std, padded) by encoding/json
}

func (k *Keyring) signingPath(name string) string {
	return filepath.Join(k.dir, "signing-"+name+".key")
}

// SigningKey returns the Ed25519 signing key called name (for example
// "tokens" or "accesslog"), loading it from <dir>/signing-<name>.key, or
// creating and storing it on first use (never on a keyring from LoadKeyring:
// there a missing file is ErrKeyMissing). The seed is stored wrapped by the
// active master key; the file must be mode 0600 like master.key. Names are
// 1–64 characters of [a-z0-9_-], starting with a letter or digit.
func (k *Keyring) SigningKey(name string) (ed25519.PrivateKey, error) {
	if !signingNameRE.MatchString(name) {
		return nil, fmt.Errorf("crypto: invalid signing key name %q", name)
	}
	k.mu.RLock()
	seed, ok := k.signing[name]
	k.mu.RUnlock()
	if ok {
		return ed25519.NewKeyFromSeed(seed), nil
	}

	k.mu.Lock()
	defer k.mu.Unlock()
	if seed, ok := k.signing[name]; ok {
		return ed25519.NewKeyFromSeed(seed), nil
	}
	path := k.signingPath(name)
	for attempt := 0; ; attempt++ {
		seed, err := k.loadSigningLocked(name, path)
		if err == nil {
			k.signing[name] = seed
			return ed25519.NewKeyFromSeed(seed), nil
		}
		if !errors.Is(err, os.ErrNotExist) || attempt > 0 {
			return nil, err
		}
		if k.existing {
			return nil, fmt.Errorf("%w: %s", ErrKeyMissing, path)
		}
		seed = make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, err
		}
		data, err := k.marshalSigningLocked(name, seed)
		if err != nil {
			return nil, err
		}
		err = writeFileAtomic(path, data, true)
		if err == nil {
			k.signing[name] = seed
			return ed25519.NewKeyFromSeed(seed), nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("crypto: creating %s: %w", path, err)
		}
		// Created concurrently by another process: load theirs.
	}
}

func readSigningFile(path string) (signingFile, error) {
	var sf signingFile
	b, err := readKeyFile(path)
	if err != nil {
		return sf, err
	}
	if err := json.Unmarshal(b, &sf); err != nil {
		return sf, fmt.Errorf("crypto: %s: malformed signing key file: %w", path, err)
	}
	return sf, nil
}

func (k *Keyring) loadSigningLocked(name, path string) ([]byte, error) {
	sf, err := readSigningFile(path)
	if err != nil {
		return nil, err
	}
	mk, ok := k.keys[sf.Version]
	if !ok {
		return nil, fmt.Errorf("crypto: %s: %w: %d", path, ErrUnknownKeyVersion, sf.Version)
	}
	seed, err := openAEAD(mk.aead, sf.Wrapped, encodeAD(domainSigningKey, sf.Version, name))
	if err != nil {
		return nil, fmt.Errorf("crypto: %s: %w", path, err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("crypto: %s: %w", path, ErrOpen)
	}
	return seed, nil
}

// marshalSigningLocked wraps seed under the active master key.
func (k *Keyring) marshalSigningLocked(name string, seed []byte) ([]byte, error) {
	mk := k.keys[k.active]
	sf := signingFile{
		Version: mk.version,
		Wrapped: sealAEAD(mk.aead, seed, encodeAD(domainSigningKey, mk.version, name)),
	}
	b, err := json.Marshal(sf)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// signingFiles lists the signing key files in the keyring directory by name.
func (k *Keyring) signingFiles() (map[string]string, error) {
	matches, err := filepath.Glob(filepath.Join(k.dir, "signing-*.key"))
	if err != nil {
		return nil, err
	}
	files := make(map[string]string, len(matches))
	for _, m := range matches {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "signing-"), ".key")
		if !signingNameRE.MatchString(name) {
			continue
		}
		files[name] = m
	}
	return files, nil
}

// RewrapSigningKeys re-wraps every signing-<name>.key file that is not
// already wrapped by the active master key (atomic writes). Rotate calls it;
// run it again if a Rotate reported that re-wrapping failed.
func (k *Keyring) RewrapSigningKeys() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.rewrapSigningLocked()
}

func (k *Keyring) rewrapSigningLocked() error {
	files, err := k.signingFiles()
	if err != nil {
		return err
	}
	var errs []error
	for name, path := range files {
		sf, err := readSigningFile(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if sf.Version == k.active {
			continue
		}
		seed, err := k.loadSigningLocked(name, path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		data, err := k.marshalSigningLocked(name, seed)
		clear(seed)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := writeFileAtomic(path, data, false); err != nil {
			errs = append(errs, fmt.Errorf("crypto: writing %s: %w", path, err))
		}
	}
	return errors.Join(errs...)
}
