import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeClientFrame, MAX_FRAME_BYTES } from './frames.js';

/** A request whose frame is `extra` bytes over (or under, when negative) the cap, built of `unit`. */
function requestOfSize(extra: number, unit = 'x') {
  const empty = JSON.stringify({ id: 1, method: 'run.start', params: { text: '' } }).length;
  const unitBytes = new TextEncoder().encode(unit).length;
  return { id: 1, method: 'run.start', params: { text: unit.repeat(Math.floor((MAX_FRAME_BYTES - empty + extra) / unitBytes)) } };
}

describe('rpc frames', () => {
  it('encodes a request at the cap and refuses one a byte over with too_large, counting UTF-8 bytes', () => {
    expect(new TextEncoder().encode(encodeClientFrame(requestOfSize(0))).length).toBe(MAX_FRAME_BYTES);
    expect(() => encodeClientFrame(requestOfSize(1))).toThrow(expect.objectContaining({ code: 'too_large', method: 'run.start' }));
    // 'é' is 2 bytes and '😀' 4 (a surrogate pair): a frame under the cap in UTF-16 units may be over it in bytes.
    expect(() => encodeClientFrame(requestOfSize(2, 'é'))).toThrow(/run\.start: the request is over 4 MiB; the engine accepts up to 4 MiB/);
    expect(() => encodeClientFrame(requestOfSize(4, '😀'))).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(new TextEncoder().encode(encodeClientFrame(requestOfSize(-4, '😀'))).length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('decodes JSON text and refuses anything else with a typed reason', () => {
    expect(decodeFrame('{"id":1}', MAX_FRAME_BYTES)).toEqual({ ok: true, message: { id: 1 } });
    expect(decodeFrame('{nope', MAX_FRAME_BYTES)).toMatchObject({ ok: false, code: 'bad_message', reason: expect.stringMatching(/^not JSON: /) });
    expect(decodeFrame({ id: 1 }, MAX_FRAME_BYTES)).toEqual({ ok: false, code: 'bad_message', reason: 'expected a JSON text frame, got object' });
    expect(decodeFrame(null)).toMatchObject({ ok: false, code: 'bad_message' });
    const big = JSON.stringify('é'.repeat(MAX_FRAME_BYTES / 2));
    expect(decodeFrame(big, MAX_FRAME_BYTES)).toMatchObject({ ok: false, code: 'too_large' });
    // The UI reads replies of any size.
    expect(decodeFrame(big)).toMatchObject({ ok: true });
  });
});
