// Package assets holds the files corescope ships inside its binary.
package assets
