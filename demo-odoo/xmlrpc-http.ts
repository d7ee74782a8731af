/**
 * The HTTP side of Odoo's XML-RPC endpoints on node:http: POST /xmlrpc/2/<service>, faults with
 * status 200, `Connection: close` on every response, 404/405 HTML pages like Werkzeug's.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Dispatch } from './dispatcher.ts';
import { OdooFault, serverError } from './faults.ts';
import { parseMethodCall } from './xmlrpc-parser.ts';
import { serializeFault, serializeResponse } from './xmlrpc-serializer.ts';

const servicePath = /^\/xmlrpc\/2\/([^/]+)\/?$/;

/** Largest request body accepted, in bytes (Odoo has no such limit; this guards the demo process). */
const maxBodyBytes = 64 * 1024 * 1024;

export function xmlRpcHandler(dispatch: Dispatch): RequestListener {
  return (request, response) => {
    handle(dispatch, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendHtml(response, 500, 'Internal Server Error', String(error));
      else response.destroy();
    });
  };
}

async function handle(dispatch: Dispatch, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const match = servicePath.exec(url.pathname);
  if (!match) {
    request.resume();
    sendHtml(
      response,
      404,
      'Not Found',
      'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
    );
    return;
  }
  if (request.method !== 'POST') {
    request.resume();
    sendHtml(response, 405, 'Method Not Allowed', 'The method is not allowed for the requested URL.', { Allow: 'POST' });
    return;
  }

  const body = await readBody(request);
  let xml: string;
  try {
    const call = await parseMethodCall(body);
    xml = serializeResponse(await dispatch(decodeURIComponent(match[1]), call.methodName, call.params));
  } catch (error) {
    if (!(error instanceof OdooFault)) console.error(`demo-odoo: unexpected error in ${match[1]} call: ${errorMessage(error)}`);
    const fault = error instanceof OdooFault ? error : serverError('Exception', errorMessage(error));
    xml = serializeFault(fault.faultCode, fault.faultString);
  }
  send(response, 200, 'text/xml; charset=utf-8', xml);
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error(`request body larger than ${maxBodyBytes} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function send(response: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}) {
  const body = Buffer.from(text, 'utf8');
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(body.length),
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
    ...headers,
  });
  response.end(body);
}

export function sendHtml(response: ServerResponse, status: number, title: string, text: string, headers: Record<string, string> = {}) {
  const html = `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`;
  send(response, status, 'text/html; charset=utf-8', html, headers);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
