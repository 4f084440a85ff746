import { z } from 'zod';

/**
 * Why a call failed, as a code the UI can act on (it never matches an error's text):
 * - `invalid_params`: the request's parameters break the method's schema;
 * - `unknown_method`: no such API method;
 * - `not_found`: the run, file or trajectory named does not exist;
 * - `needs_endpoint`: the call needs a model endpoint the run does not have (the UI asks for one);
 * - `bad_message`: a frame that is not a valid request (not JSON, no id, ...);
 * - `too_large`: a request over the engine's frame size limit (shared/rpc/frames.ts), refused unread;
 * - `cancelled`: the caller cancelled the call;
 * - `disconnected`: the connection to the engine dropped before the reply came;
 * - `internal`: anything else.
 */
export const rpcErrorCodeSchema = z.enum(['invalid_params', 'unknown_method', 'not_found', 'needs_endpoint', 'bad_message', 'too_large', 'cancelled', 'disconnected', 'internal']);
export type RpcErrorCode = z.infer<typeof rpcErrorCodeSchema>;

/** An error as it crosses the process boundary: plain data, no stack or cause. */
export const rpcErrorDataSchema = z.object({ code: rpcErrorCodeSchema, message: z.string(), method: z.string() });
export type RpcErrorData = z.infer<typeof rpcErrorDataSchema>;

/** An error with a code: thrown by the engine's service, rebuilt from the reply on the UI side. */
export class ApiError extends Error {
  readonly code: RpcErrorCode;
  /** The API method the error came from ('' when the request had none). */
  readonly method: string;

  constructor(code: RpcErrorCode, message: string, method = '') {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.method = method;
  }
}

/** True when `error` is an {@link ApiError} with `code`. */
export function hasErrorCode(error: unknown, code: RpcErrorCode): boolean {
  return error instanceof ApiError && error.code === code;
}

/** The data sent for an error thrown while serving `method`: an {@link ApiError}'s code, otherwise `internal`. */
export function toErrorData(error: unknown, method: string): RpcErrorData {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : 'internal';
  return { code, message, method: error instanceof ApiError && error.method ? error.method : method };
}

/** The error a caller gets from an error reply. */
export function fromErrorData(data: RpcErrorData): ApiError {
  return new ApiError(data.code, data.message, data.method);
}

/** What an error says, for a message to the user: its message, or the thrown value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
