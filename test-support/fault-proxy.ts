/**
 * An HTTP proxy on 127.0.0.1 that forwards to an Odoo server and injects faults at fixed request
 * numbers: HTTP 502 pages, responses held past the client's timeout, and XML-RPC faults of a
 * transient database error. Deterministic, so a failing test can be replayed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultRule = {
  /** The rule applies to every request whose 1-based number is a multiple of this. */
  every: number;
  fault: 'http502' | 'hang' | 'serializationFault';
};

export type FaultProxy = { url: string; requests: () => number; injected: () => number; close(): Promise<void> };

const SERIALIZATION_FAULT = `<?xml version="1.0"?>
<methodResponse>
<fault>
<value><struct>
<member>
<name>faultCode</name>
<value><int>1</int></value>
</member>
<member>
<name>faultString</name>
<value><string>Traceback (most recent call last):
psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update</string></value>
</member>
</struct></value>
</fault>
</methodResponse>
`;

/** Starts the proxy; `hangMs` is how long a `hang` fault holds the request before dropping it. */
export async function startFaultProxy(targetUrl: string, rules: FaultRule[], hangMs = 3_000): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let count = 0;
  let injected = 0;
  const held = new Set<http.ServerResponse>();

  const server = http.createServer((request, response) => {
    count += 1;
    const rule = rules.find((candidate) => count % candidate.every === 0);
    if (rule) injected += 1;

    if (rule?.fault === 'http502') {
      request.resume();
      response.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    if (rule?.fault === 'serializationFault') {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(SERIALIZATION_FAULT);
      return;
    }
    if (rule?.fault === 'hang') {
      request.resume();
      held.add(response);
      setTimeout(() => {
        held.delete(response);
        response.destroy();
      }, hangMs);
      return;
    }

    const upstream = http.request(
      { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    injected: () => injected,
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
