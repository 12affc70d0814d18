"""The clinical core: pure Python (standard library and biip), no Qt, no SQL, no PDF."""
