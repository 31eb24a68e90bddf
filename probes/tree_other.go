//go:build !linux

package probes

func systemTreeSource() (treeSource, error) { return gopsutilSource{}, nil }
