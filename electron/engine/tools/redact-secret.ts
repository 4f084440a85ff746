import type { ToolProvider } from './tool-provider.js';
import type { ToolRegistry } from './tool-registry.js';

/** What a redacted secret reads as. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are not redacted (they would hide ordinary text). */
const MIN_SECRET_CHARS = 8;

/**
 * Replaces `secret` in `text` however a server or a command echoes it back: as is, in any case,
 * JSON-escaped, URL-encoded (either case of the hex digits) or base64.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < MIN_SECRET_CHARS) return text;
  const forms = new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''),
  ]);
  const pattern = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  return text.replace(new RegExp(pattern, 'gi'), REDACTED);
}

/** `registry` with `secret` redacted from every tool result and tool error message. */
export function redactingTools(registry: ToolRegistry, secret: string | undefined): ToolRegistry {
  if (secret === undefined || secret.length < MIN_SECRET_CHARS) return registry;
  const call: ToolProvider['call'] = async (name, args, context) => {
    try {
      return redactSecret(await registry.call(name, args, context), secret);
    } catch (error) {
      if (error instanceof Error) error.message = redactSecret(error.message, secret);
      throw error;
    }
  };
  return { ...registry, name: registry.name, schemas: registry.schemas, validNames: registry.validNames, call, close: registry.close?.bind(registry) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
