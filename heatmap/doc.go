// Package heatmap turns per-core busy fractions into pixels: the perceptual
// colour scale, the per-core heatmap, the busy-cores strip, the legend and
// the steps of the time axes beside them. A Series holds a run's loads with
// a pyramid of maxima and means above them, so a picture of an hour costs
// what a picture of a minute does: its pixels.
// A cluster's cores are drawn grouped by node (Arrange, Painter.Grouped):
// each node's cores with its own strip, or, when they do not fit, one row
// a node of its mean load, kept beside the Series in Nodes.
// It writes straight into a caller-owned *image.RGBA, so the live window and
// the PNG report draw the same picture, and redrawing allocates nothing.
//
// Imports: levels.
package heatmap
