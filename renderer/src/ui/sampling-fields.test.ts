import { describe, expect, it } from 'vitest';
import { runSettingsSchema } from '#shared/api/contract.js';
import { typedMaxTokens, typedTemperature } from './sampling-fields.js';

describe('sampling fields', () => {
  it('take max tokens as digits above 0, or empty for the server default', () => {
    expect(typedMaxTokens('')).toEqual({ value: null });
    expect(typedMaxTokens(' 12 ')).toEqual({ value: 12 });
    // 0 was refused by the model-call editor but sent by the re-sample form, which the engine then refused.
    for (const text of ['0', '-1', '1.5', '1e3', 'ten']) expect(typedMaxTokens(text)).toEqual({ problem: expect.stringMatching(/whole number above 0/) });
  });

  it('take a temperature from 0 to 2', () => {
    expect(typedTemperature('0')).toEqual({ value: 0 });
    expect(typedTemperature('2')).toEqual({ value: 2 });
    for (const text of ['', '2.01', '-0.1', 'hot']) expect(typedTemperature(text)).toEqual({ problem: expect.stringMatching(/from 0 to 2/) });
  });

  it('accept what the run settings accept, and nothing else', () => {
    const sampling = runSettingsSchema.shape.sampling;
    for (const text of ['', '0', '1', '4096', '-3', '0.5']) {
      const typed = typedMaxTokens(text);
      expect('value' in typed).toBe(sampling.safeParse({ temperature: 1, maxTokens: text === '' ? null : Number(text) }).success);
    }
  });
});
