import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHarness, target } from './harness.mjs';

const h = await loadHarness();

test(`the client engine runs on the ${target} target and asks for the DS calls of the protocol`, () => {
  const steps = Object.fromEntries(h.engineTrace().trim().split(' ').filter((s) => s.includes(':'))
    .map((s) => { const i = s.indexOf(':'); return [s.slice(0, i), s.slice(i + 1)]; }));
  assert.equal(steps.start.split(';')[0], 'CHALLENGE');
  assert.equal(steps.challenge.split(';')[0], 'REGISTER');
  const [calls, events] = steps.token.split(';');
  assert.deepEqual(calls.split(','), ['UPLOAD_KEY_PACKAGES', 'SUBSCRIBE']);
  assert.equal(events, '', 'signed in, but not ready before the DS holds its KeyPackages');
  assert.equal(steps.uploaded.split(';')[1], 'READY');
  assert.equal(steps.create.split(';')[0], 'CREATE_GROUP');
  assert.deepEqual(steps.created.split(';')[1].split(','), ['JOINED', 'MEMBERS', 'EPOCH']);
  assert.ok(Number(steps.created.split(';')[2]) >= 1, 'the new group is persisted');
  assert.equal(steps.send.split(';')[0], 'SEND');
  assert.equal(steps.sent.split(';')[1], 'SENT');
  assert.equal(steps.echo.split(';')[0], 'ACK', 'its own echo is recognised and acknowledged, not shown');
  assert.equal(steps.echo.split(';')[1], '');
  assert.equal(steps.cursor, '1');
});
