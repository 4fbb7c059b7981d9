// mlskit/mmls: Multi-MLS (docs/multi-mls.md) in browsers and Node. Each participant owns one
// send group; logs of signed entries merge in any order, so any dumb relay works: no server
// orders anything. Call and await init() from 'mlskit' first.
export { MmlsSession } from './session.js';
export { MmlsPeer, PEER_EVENTS } from './peer.js';
export { MemoryRelay } from './memory-relay.js';
export { BroadcastChannelTransport } from './broadcast-channel.js';
export { FrameType, encodeFrame, decodeFrame } from './wire.js';
export { DsRelayTransport } from './ds-relay.js';
