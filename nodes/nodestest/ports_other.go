//go:build !linux

package nodestest

import "testing"

// listensOn cannot tell outside Linux: whatever answers is taken as pid.
func listensOn(pid int, addr string) bool { return true }

// RefusingAddr is FreeAddr outside Linux.
func RefusingAddr(t testing.TB) string { return FreeAddr(t) }
