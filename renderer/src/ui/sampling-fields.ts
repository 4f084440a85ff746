import { maxTokensSchema, temperatureSchema } from '#shared/loop/chat-request.js';

/** What a form says about a temperature the contract would refuse. */
export const TEMPERATURE_PROBLEM = 'Temperature must be a number from 0 to 2';
/** What a form says about max tokens the contract would refuse. */
export const MAX_TOKENS_PROBLEM = 'Max tokens must be a whole number above 0, or empty for the server default';

/** A temperature typed in a field, checked with the contract's rule. */
export function typedTemperature(text: string): { value: number } | { problem: string } {
  const parsed = temperatureSchema.safeParse(text.trim() === '' ? Number.NaN : Number(text));
  return parsed.success ? { value: parsed.data } : { problem: TEMPERATURE_PROBLEM };
}

/** Max tokens typed in a field (digits; empty for the server's default), checked with the contract's rule. */
export function typedMaxTokens(text: string): { value: number | null } | { problem: string } {
  const digits = text.trim();
  const parsed = maxTokensSchema.safeParse(digits === '' ? null : /^\d+$/.test(digits) ? Number(digits) : Number.NaN);
  return parsed.success ? { value: parsed.data } : { problem: MAX_TOKENS_PROBLEM };
}
