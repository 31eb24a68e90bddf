// Package profile records a subject in time: it starts the subject, drives the
// probes, streams Frames to the caller, and builds the Profile and its Summary.
// Watch and FromHistory make profiles of several machines' cores without a
// subject, from node_exporters live or a Prometheus server's history (see
// Node). It also reads and writes the corescope/v2 JSON file format, and
// reads corescope/v1.
package profile
