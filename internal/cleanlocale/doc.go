// Package cleanlocale keeps Fyne from logging "Error parsing user locale C"
// at start-up under LANG=C.UTF-8, the usual locale of servers and CI.
//
// Fyne reads the locale in a package init, so the fix must run earlier: main
// imports this package, which has no dependencies outside the standard
// library and sorts before fyne.io, and Go initialises packages in import-path
// order once their own imports are ready. It sets LANGUAGE, which Fyne
// prefers and which gettext ignores in the C locale, so the programs
// corescope runs see no difference.
//
// Imports: the standard library only.
package cleanlocale
