import { describe, expect, it } from 'vitest';
import { OutputCapture, utf8BoundaryAfter, utf8BoundaryBefore } from './output-capture.js';

describe('OutputCapture', () => {
  it('keeps everything under the cap', () => {
    const capture = new OutputCapture(10);
    capture.push(Buffer.from('abc'));
    capture.push(Buffer.from('def'));
    expect(capture.text()).toBe('abcdef');
  });

  it('keeps the head and the tail and counts the omitted bytes', () => {
    const capture = new OutputCapture(6);
    for (const chunk of ['0123', '4567', '89']) capture.push(Buffer.from(chunk));
    expect(capture.text()).toBe('012\n[output truncated: 4 bytes omitted]\n789');
  });

  it('never splits a UTF-8 character at the cut', () => {
    const capture = new OutputCapture(4);
    capture.push(Buffer.from('ééééé'));
    expect(capture.text()).toBe('é\n[output truncated: 6 bytes omitted]\né');
  });
});

describe('utf8 boundaries', () => {
  const bytes = Buffer.from('aé日😀');
  it('backs off before an incomplete sequence', () => {
    expect(utf8BoundaryBefore(bytes, 2)).toBe(1);
    expect(utf8BoundaryBefore(bytes, 3)).toBe(3);
    expect(utf8BoundaryBefore(bytes, 5)).toBe(3);
    expect(utf8BoundaryBefore(bytes, 9)).toBe(6);
    expect(utf8BoundaryBefore(bytes, 10)).toBe(10);
  });
  it('skips orphan continuation bytes', () => {
    expect(utf8BoundaryAfter(bytes, 2)).toBe(3);
    expect(utf8BoundaryAfter(bytes, 7)).toBe(10);
  });
});
