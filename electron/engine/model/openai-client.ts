/**
 * The OpenAI-compatible model client, as the rest of the app imports it. Its parts live beside
 * it: the call (openai-call.ts), the retry policy, the idle watchdog, the stream accumulator, the
 * error classification (model-errors.ts) and key redaction (redact-key.ts).
 */
export { createOpenAIModelClient, type OpenAIClientOptions } from './openai-call.js';
export { ModelCallError, type ModelCallErrorCode } from './model-errors.js';
export { DEFAULT_TIMEOUT_MS, describeRetryPolicy, MAX_RETRY_AFTER_SECONDS } from './retry-policy.js';
