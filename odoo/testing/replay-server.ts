/**
 * Test HTTP server on 127.0.0.1 that responds to each POST with what the test's handler returns:
 * recorded Odoo response bytes, an error page, or nothing at all (to test timeouts).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type ReplayReply = { status?: number; contentType?: string; body: string | Buffer } | 'hang';
export type RecordedRequest = { path: string; body: string; headers: http.IncomingHttpHeaders };

export type ReplayServer = {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
};

export async function startReplayServer(
  handler: (request: RecordedRequest) => ReplayReply | Promise<ReplayReply>,
): Promise<ReplayServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = { path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
    requests.push(recorded);
    const reply = await handler(recorded);
    if (reply === 'hang') return;
    res.writeHead(reply.status ?? 200, { 'Content-Type': reply.contentType ?? 'text/xml; charset=utf-8', Connection: 'close' });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Folder of recorded Odoo 18 XML-RPC exchanges (one `NN_name/` folder per exchange). */
export const ODOO_CAPTURES_DIR = path.resolve(import.meta.dirname, '../../test-fixtures/odoo-real');

/** Reads the recorded response of one capture folder, with its original HTTP status. */
export function captureReply(folder: string): ReplayReply {
  const meta = JSON.parse(fs.readFileSync(path.join(ODOO_CAPTURES_DIR, folder, 'meta.json'), 'utf8')) as { status: number };
  return { status: meta.status, body: fs.readFileSync(path.join(ODOO_CAPTURES_DIR, folder, 'response.xml')) };
}
