import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeClientFrame, formatBytes, MAX_FRAME_BYTES, utf8Length } from './frames.js';

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
    expect(() => encodeClientFrame(requestOfSize(2, 'é'))).toThrow('run.start: the request is 16.1 MiB, over the 16 MiB the engine accepts in one request');
    expect(() => encodeClientFrame(requestOfSize(4, '😀'))).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(utf8Length(encodeClientFrame(requestOfSize(-4, '😀')))).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('decodes JSON text and refuses anything else with a typed reason', () => {
    expect(decodeFrame('{"id":1}', MAX_FRAME_BYTES)).toEqual({ ok: true, message: { id: 1 } });
    expect(decodeFrame('{nope', MAX_FRAME_BYTES)).toMatchObject({ ok: false, code: 'bad_message', reason: expect.stringMatching(/^not JSON: /) });
    expect(decodeFrame({ id: 1 }, MAX_FRAME_BYTES)).toEqual({ ok: false, code: 'bad_message', reason: 'expected a JSON text frame, got object' });
    expect(decodeFrame(null)).toMatchObject({ ok: false, code: 'bad_message' });
    const big = JSON.stringify('é'.repeat(MAX_FRAME_BYTES / 2));
    expect(decodeFrame(big, MAX_FRAME_BYTES)).toEqual({ ok: false, code: 'too_large', reason: 'request: the request is 16.1 MiB, over the 16 MiB the engine accepts in one request' });
    // The UI reads replies of any size.
    expect(decodeFrame(big)).toMatchObject({ ok: true });
  });

  it('refuses an oversized request naming its call, its size and the limit, read from the frame’s head alone', () => {
    const frame = JSON.stringify({ id: 41, method: 'run.replay', params: { messages: [{ role: 'user', content: 'x'.repeat(70 * 1024 * 1024) }] } });
    expect(decodeFrame(frame, MAX_FRAME_BYTES)).toEqual({ ok: false, code: 'too_large', id: 41, method: 'run.replay', reason: 'run.replay: the request is 70.1 MiB, over the 16 MiB the engine accepts in one request' });
    expect(decodeFrame(frame, 1024)).toMatchObject({ id: 41, reason: expect.stringMatching(/over the 1 KiB the engine accepts/) });
  });

  it('writes sizes rounded up, so one just over a limit never reads as the limit', () => {
    expect([formatBytes(1), formatBytes(1024), formatBytes(1025), formatBytes(MAX_FRAME_BYTES), formatBytes(MAX_FRAME_BYTES + 1), formatBytes(25.14 * 1024 * 1024)]).toEqual(['1 KiB', '1 KiB', '2 KiB', '16 MiB', '16.1 MiB', '25.2 MiB']);
  });

  it('counts UTF-8 bytes as the encoder writes them, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }), (a, b, c) => {
      const text = a + b + c;
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }));
  });
});
