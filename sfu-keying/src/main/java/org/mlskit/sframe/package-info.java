/**
 * SFrame (RFC 9605) media encryption keyed from MLS exporter secrets, so a WebRTC call through an
 * SFU is end-to-end encrypted. TeaVM-safe like mls-core.
 */
package org.mlskit.sframe;
