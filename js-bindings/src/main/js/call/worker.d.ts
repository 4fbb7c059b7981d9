// mlskit/call/worker: the module a Call's worker runs (new Worker(url, { type: 'module' })).
// It has no exports: it answers the Call's messages and 'rtctransform' events.
export {};
