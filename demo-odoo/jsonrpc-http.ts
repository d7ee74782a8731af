/**
 * Odoo's JSON-RPC endpoint on node:http: `POST /jsonrpc` with
 * `{"jsonrpc": "2.0", "method": "call", "params": {"service", "method", "args"}, "id"}`, served by
 * the same dispatcher as XML-RPC. Results come as `{"jsonrpc", "id", "result"}`; faults with
 * status 200 as `{"error": {"code": 200, "message": "Odoo Server Error", "data": <exception>}}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatch } from './dispatcher.ts';
import { OdooFault, serverError } from './faults.ts';
import { faultException, werkzeugException, type JsonException } from './json-exceptions.ts';
import { readBody, send, sendHtml } from './xmlrpc-http.ts';

const ENTRY_POINT = 'jsonrpc.py';

export async function handleJsonRpc(dispatch: Dispatch, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') {
    request.resume();
    sendHtml(response, 405, 'Method Not Allowed', 'The method is not allowed for the requested URL.', { Allow: 'POST' });
    return;
  }

  const body = (await readBody(request)).toString('utf8');
  let envelope: { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
  try {
    envelope = JSON.parse(body);
  } catch (error) {
    const message = `Invalid JSON data: ${(error as Error).message}`;
    sendEnvelope(response, { jsonrpc: '2.0', id: null, error: errorObject(werkzeugException('BadRequest', 400, 'Bad Request', message, ENTRY_POINT)) });
    return;
  }

  const id = envelope?.id ?? null;
  const params = envelope?.params ?? {};
  try {
    const args = Array.isArray(params.args) ? params.args : [];
    const result = await dispatch(String(params.service), String(params.method), args);
    sendEnvelope(response, { jsonrpc: '2.0', id, result });
  } catch (error) {
    if (!(error instanceof OdooFault)) console.error(`demo-odoo: unexpected error in a JSON-RPC call: ${String(error)}`);
    const fault = error instanceof OdooFault ? error : serverError('Exception', String(error));
    sendEnvelope(response, { jsonrpc: '2.0', id, error: errorObject(faultException(fault, ENTRY_POINT)) });
  }
}

function errorObject(exception: JsonException) {
  return { code: 200, message: 'Odoo Server Error', data: exception };
}

function sendEnvelope(response: ServerResponse, envelope: object): void {
  send(response, 200, 'application/json; charset=utf-8', JSON.stringify(envelope));
}
