/** What the watchdog learned about a response body while passing it on. */
export interface BodyWatch {
  /** The body held `data: [DONE]`. */
  sawDone: boolean;
  /** The body fell silent for longer than allowed. */
  bodyTimedOut: boolean;
}

/** Fails a body read that waited longer than the idle limit. */
export class BodyIdleTimeoutError extends Error {
  override name = 'BodyIdleTimeoutError';
}

/**
 * Wraps a response body: notes `data: [DONE]` in `watch` and fails the read (setting
 * `watch.bodyTimedOut`) after `idleMs` without data.
 */
export function watchBody(source: ReadableStream<Uint8Array>, watch: BodyWatch, idleMs: number | undefined): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let tail = '';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const read = reader.read();
        const result =
          idleMs === undefined
            ? await read
            : await Promise.race([
                read,
                new Promise<never>((_, reject) => {
                  timer = setTimeout(() => reject(new BodyIdleTimeoutError(`no data for ${idleMs} ms`)), idleMs);
                }),
              ]);
        if (result.done) {
          controller.close();
          return;
        }
        const text = tail + decoder.decode(result.value, { stream: true });
        if (/(^|\n)data: ?\[DONE\]/.test(text)) watch.sawDone = true;
        tail = text.slice(-16);
        controller.enqueue(result.value);
      } catch (err) {
        if (err instanceof BodyIdleTimeoutError) {
          watch.bodyTimedOut = true;
          reader.cancel(err).catch(() => undefined);
        }
        controller.error(err);
      } finally {
        if (timer) clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
