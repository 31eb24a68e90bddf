// Package assets holds the files corescope ships inside its binary.
//
// Imports: the standard library only.
package assets
