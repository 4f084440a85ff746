import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The read_file tool the tool-endpoint specs offer the model. */
export const TOOL_SCHEMAS = [
  {
    type: 'function',
    function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  },
];

/** What the app sends a tool endpoint for one call. */
export interface ToolRequest {
  tool_name: string;
  arguments: Record<string, unknown>;
}

/** A tool endpoint on 127.0.0.1 that answers every call and keeps what each call was sent. */
export async function toolEndpoint(): Promise<{ url: string; requests: ToolRequest[]; server: Server }> {
  const requests: ToolRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = JSON.parse(body) as ToolRequest;
      requests.push(request);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ content: `contents of ${String(request.arguments.path)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tool`, requests, server };
}
