package crypto

// KeyBytesForTest exposes the in-memory key bytes to the external tests, so
// they can check that Wipe zeroes them.
func KeyBytesForTest(dk *DataKey) []byte { return dk.key[:] }
