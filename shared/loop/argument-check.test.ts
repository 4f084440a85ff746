import { describe, expect, it } from 'vitest';
import { checkArguments } from './argument-check.js';

const readFile = { type: 'object', properties: { path: { type: 'string' }, mode: { type: 'string', enum: ['r', 'rb'] }, limit: { type: 'integer' } }, required: ['path'] };

describe('checkArguments', () => {
  it('passes arguments that match the tool schema', () => {
    expect(checkArguments({ path: 'a.txt', limit: 3 }, readFile)).toEqual([]);
  });

  it('names a missing required argument, a wrong type and a value outside the enum', () => {
    expect(checkArguments({ file: 'a.txt' }, readFile)).toEqual(["missing required argument 'path'"]);
    expect(checkArguments({ path: 3, limit: 1.5, mode: 'w' }, readFile)).toEqual(["argument 'path' should be string, got integer", "argument 'limit' should be integer, got number", `argument 'mode' is not one of "r", "rb"`]);
  });

  it('says when the arguments are no object, and checks nothing without a schema', () => {
    expect(checkArguments('a.txt', readFile)).toEqual(['arguments are not an object']);
    expect(checkArguments({ anything: 1 }, undefined)).toEqual([]);
  });
});
