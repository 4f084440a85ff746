import { describe, expect, it } from 'vitest';
import { openArgument } from './open-argument.js';

describe('--open=FILE[#N]', () => {
  const none = () => false;
  it('reads the file and the trajectory index', () => {
    expect(openArgument(['/app', '--open=/data/runs.jsonl#7'], none)).toEqual({ path: '/data/runs.jsonl', index: 7 });
    expect(openArgument(['/app', '--open=/data/runs.jsonl'], none)).toEqual({ path: '/data/runs.jsonl' });
  });
  it('keeps a # that belongs to an existing file name, and ignores an empty or missing argument', () => {
    expect(openArgument(['--open=/data/odd#3'], (p) => p === '/data/odd#3')).toEqual({ path: '/data/odd#3' });
    expect(openArgument(['--open='], none)).toBeNull();
    expect(openArgument(['/app'], none)).toBeNull();
  });
});
