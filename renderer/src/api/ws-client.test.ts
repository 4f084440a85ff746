import { describe, expect, it, vi } from 'vitest';
import { MAX_FRAME_BYTES } from '#shared/rpc/frames.js';
import { createWsClient, DISCONNECTED, wireUrlFor } from './ws-client.js';

/** A WebSocket double: records sent frames, lets the test open, answer and close it. */
class FakeSocket extends EventTarget {
  static last: FakeSocket;
  readonly sent: Array<{ id: number; method: string; params: unknown }> = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.last = this;
  }
  send(frame: string): void {
    this.sent.push(JSON.parse(frame));
  }
  open(): void {
    this.dispatchEvent(new Event('open'));
  }
  receive(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(data) }));
  }
  /** Closes as the server does; 1009 is how a server refuses a frame over its size limit. */
  close(code = 1006): void {
    this.dispatchEvent(new CloseEvent('close', { code }));
  }
}

const Socket = FakeSocket as unknown as typeof WebSocket;

describe('WebSocket client', () => {
  it('connects to /api on the page’s own origin', () => {
    expect(wireUrlFor({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/api');
    expect(wireUrlFor({ protocol: 'https:', host: 'example.test' })).toBe('wss://example.test/api');
  });

  it('sends requests with ids once open and resolves each with its validated reply', async () => {
    const client = createWsClient('ws://h/api', Socket);
    const socket = FakeSocket.last;
    expect(client.connection).toBe('connecting');
    const list = client.call('run.list', {});
    const info = client.call('app.info', {});
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(client.connection).toBe('open');
    expect(socket.sent).toEqual([
      { id: 1, method: 'run.list', params: {} },
      { id: 2, method: 'app.info', params: {} },
    ]);
    socket.receive({ id: 2, result: { mode: 'serve', version: '1', keyStorage: 'memory' } });
    socket.receive({ id: 1, result: { runs: [] } });
    expect(await info).toEqual({ mode: 'serve', version: '1', keyStorage: 'memory', retryPolicy: '', notices: [] });
    expect(await list).toEqual({ runs: [] });
  });

  it('rejects with the engine’s error code and message, and on a malformed reply', async () => {
    const client = createWsClient('ws://h/api', Socket);
    const socket = FakeSocket.last;
    socket.open();
    const start = client.call('run.demo', {});
    socket.receive({ id: 1, error: { code: 'not_found', method: 'run.demo', message: 'no demo here' } });
    await expect(start).rejects.toThrow('no demo here');
    await expect(start).rejects.toMatchObject({ code: 'not_found', method: 'run.demo' });
    const list = client.call('run.list', {});
    socket.receive({ id: 2, result: { runs: 'nope' } });
    await expect(list).rejects.toThrow(/run.list: the engine's reply is malformed at runs/);
  });

  it('fails a request too large for the engine with too_large, without sending it or dropping the socket', async () => {
    const client = createWsClient('ws://h/api', Socket);
    const socket = FakeSocket.last;
    socket.open();
    const huge = client.call('run.branch', { runId: 'r', change: { kind: 'resample', turn: 1 }, note: 'x'.repeat(MAX_FRAME_BYTES) } as never);
    await expect(huge).rejects.toMatchObject({ code: 'too_large', method: 'run.branch' });
    expect(socket.sent).toEqual([]);
    const list = client.call('run.list', {});
    socket.receive({ id: socket.sent[0]!.id, result: { runs: [] } });
    expect(await list).toEqual({ runs: [] });
    expect(client.connection).toBe('open');
  });

  it('passes valid pushed events on and drops malformed ones', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const client = createWsClient('ws://h/api', Socket);
    const socket = FakeSocket.last;
    const seen: string[] = [];
    client.onEvent((event) => seen.push(event.type));
    socket.open();
    socket.receive({ seq: 1, events: [{ type: 'turn_started', turn: 1, runId: 'r', seq: 1, time: 0 }, { type: 'turn_started', turn: 0, runId: 'r', seq: 2, time: 0 }] });
    socket.receive({ seq: 2, events: [{ type: 'turn_finished', turn: 1, runId: 'r', seq: 3, time: 0 }] });
    expect(seen).toEqual(['turn_started', 'turn_finished']);
    expect(consoleError).toHaveBeenCalledWith('dropped a malformed run event', expect.anything());
    consoleError.mockRestore();
  });

  it('reports the disconnection and fails pending and later calls once it gives up', async () => {
    const client = createWsClient('ws://h/api', Socket, []);
    const socket = FakeSocket.last;
    const states: string[] = [];
    client.onConnectionChange((state) => states.push(state));
    socket.open();
    const pending = client.call('run.list', {});
    socket.close();
    expect(states).toEqual(['open', 'closed']);
    await expect(pending).rejects.toThrow(DISCONNECTED);
    await expect(client.call('run.list', {})).rejects.toThrow(DISCONNECTED);
  });

  it('reconnects after a lost connection, failing only the calls that were pending', async () => {
    vi.useFakeTimers();
    try {
      const client = createWsClient('ws://h/api', Socket, [100, 200]);
      const states: string[] = [];
      client.onConnectionChange((state) => states.push(state));
      const first = FakeSocket.last;
      first.open();
      const pending = client.call('run.list', {});
      first.close();
      await expect(pending).rejects.toThrow(DISCONNECTED);
      const queued = client.call('app.info', {});
      vi.advanceTimersByTime(100);
      const second = FakeSocket.last;
      expect(second).not.toBe(first);
      second.open();
      expect(second.sent.map((f) => f.method)).toEqual(['app.info']);
      second.receive({ id: second.sent[0]!.id, result: { mode: 'serve', version: 't', keyStorage: 'memory' } });
      await expect(queued).resolves.toMatchObject({ version: 't' });
      expect(states).toEqual(['open', 'connecting', 'open']);
      // Attempts that keep failing end in 'closed'.
      second.close();
      vi.advanceTimersByTime(100);
      FakeSocket.last.close();
      vi.advanceTimersByTime(200);
      FakeSocket.last.close();
      expect(states.at(-1)).toBe('closed');
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails the call whose request the engine closed the socket for (1009), naming its size, and sends nothing again', async () => {
    vi.useFakeTimers();
    try {
      const client = createWsClient('ws://h/api', Socket, [100]);
      const first = FakeSocket.last;
      first.open();
      const list = client.call('run.list', {});
      // Under this page's limit, but over the one of the engine it talks to (another version).
      const replay = client.call('run.replay', { messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }] });
      expect(first.sent.map((f) => f.method)).toEqual(['run.list', 'run.replay']);
      first.close(1009);
      await expect(replay).rejects.toMatchObject({ code: 'too_large', method: 'run.replay', message: expect.stringMatching(/^run\.replay: the engine closed the connection on this 5\.1 MiB request, as larger than it accepts/) });
      await expect(list).rejects.toMatchObject({ code: 'disconnected' });
      vi.advanceTimersByTime(100);
      const second = FakeSocket.last;
      expect(second).not.toBe(first);
      second.open();
      expect(second.sent).toEqual([]);
      const info = client.call('app.info', {});
      second.receive({ id: second.sent[0]!.id, result: { mode: 'serve', version: 't', keyStorage: 'memory' } });
      await expect(info).resolves.toMatchObject({ version: 't' });
      expect(second.sent.map((f) => f.method)).toEqual(['app.info']);
    } finally {
      vi.useRealTimers();
    }
  });
  describe('calls with large replies', () => {
    /** A fetch double answering each POST with `reply(body)`: a reply message, a Response, or a thrown error. */
    function stubFetch(reply: (body: { id: number; method: string; params: unknown }) => unknown) {
      const posted: Array<{ url: string; init: RequestInit }> = [];
      vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
        posted.push({ url: String(url), init });
        if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
        const answer = reply(JSON.parse(String(init.body)));
        return answer instanceof Response ? answer : new Response(JSON.stringify(answer), { status: 200 });
      });
      return posted;
    }

    it('fetches run.events over HTTP from /api/call on the page’s origin, not over the socket', async () => {
      const posted = stubFetch((request) => ({ id: request.id, result: { events: [], complete: true } }));
      try {
        const client = createWsClient('wss://h.test/api', Socket);
        const socket = FakeSocket.last;
        socket.open();
        await expect(client.call('run.events', { runId: 'r1', fromSeq: 5, limit: 10 })).resolves.toEqual({ events: [], complete: true });
        expect(socket.sent).toEqual([]);
        expect(posted).toHaveLength(1);
        expect(posted[0]!.url).toBe('https://h.test/api/call');
        expect(posted[0]!.init.method).toBe('POST');
        expect(JSON.parse(String(posted[0]!.init.body))).toEqual({ id: 0, method: 'run.events', params: { runId: 'r1', fromSeq: 5, limit: 10 } });
      } finally {
        vi.unstubAllGlobals();
      }
    });

    it('fails with the engine’s error, an HTTP refusal, a malformed reply, a lost server, or a cancel, each as its code', async () => {
      let answer: (request: { id: number }) => unknown = () => null;
      stubFetch((request) => answer(request));
      try {
        const client = createWsClient('ws://h/api', Socket);
        FakeSocket.last.open();
        const call = () => client.call('run.events', { runId: 'r1' } as never);
        answer = (request) => ({ id: request.id, error: { code: 'not_found', method: 'run.events', message: 'no run r1' } });
        await expect(call()).rejects.toMatchObject({ code: 'not_found', message: 'no run r1' });
        answer = () => new Response('Forbidden: the Origin must be this server.\n', { status: 403 });
        await expect(call()).rejects.toMatchObject({ code: 'internal', message: 'run.events: the engine answered HTTP 403: Forbidden: the Origin must be this server.' });
        answer = (request) => ({ id: request.id, result: { events: 'nope' } });
        await expect(call()).rejects.toThrow(/run.events: the engine's reply is malformed at events/);
        answer = () => new Response('<html>', { status: 200 });
        await expect(call()).rejects.toMatchObject({ code: 'internal', message: "run.events: the engine's reply is not a reply message" });
        answer = () => {
          throw new TypeError('Failed to fetch');
        };
        await expect(call()).rejects.toMatchObject({ code: 'disconnected', message: DISCONNECTED });
        const abort = new AbortController();
        abort.abort();
        await expect(client.call('run.events', { runId: 'r1' } as never, abort.signal)).rejects.toMatchObject({ code: 'cancelled' });
      } finally {
        vi.unstubAllGlobals();
      }
    });
  });
});
