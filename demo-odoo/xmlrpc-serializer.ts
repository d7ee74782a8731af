/**
 * XML-RPC response bodies byte for byte as Odoo 18 writes them: Python's xmlrpc.client marshaller
 * (one value per line, `<int>`, `<double>` with Python's float repr, only `& < >` escaped), wrapped
 * by Odoo in `<?xml version="1.0"?>` and a blank line before `</methodResponse>`.
 */
import { serverError } from './faults.ts';
import { pythonFloatRepr } from './python-repr.ts';
import { RpcFloat, type RpcValue } from './rpc-values.ts';

const maxXmlRpcInt = 2 ** 31 - 1;
const minXmlRpcInt = -(2 ** 31);

export function serializeResponse(value: RpcValue): string {
  const parts: string[] = ['<params>\n<param>\n'];
  writeValue(value, parts);
  parts.push('</param>\n</params>\n');
  return wrap(parts.join(''));
}

/** `faultCode` is an int on /xmlrpc/2 and a string on the legacy endpoints. */
export function serializeFault(faultCode: number | string, faultString: string): string {
  const parts: string[] = ['<fault>\n'];
  writeValue({ faultCode, faultString }, parts);
  parts.push('</fault>\n');
  return wrap(parts.join(''));
}

function wrap(body: string): string {
  return `<?xml version="1.0"?>\n<methodResponse>\n${body}\n</methodResponse>\n`;
}

function writeValue(value: RpcValue, parts: string[]): void {
  if (typeof value === 'boolean') {
    parts.push(`<value><boolean>${value ? 1 : 0}</boolean></value>\n`);
  } else if (typeof value === 'number') {
    writeNumber(value, parts);
  } else if (typeof value === 'string') {
    parts.push(`<value><string>${escapeXml(value)}</string></value>\n`);
  } else if (value instanceof RpcFloat) {
    parts.push(`<value><double>${pythonFloatRepr(value.value)}</double></value>\n`);
  } else if (Array.isArray(value)) {
    parts.push('<value><array><data>\n');
    for (const item of value) writeValue(item, parts);
    parts.push('</data></array></value>\n');
  } else if (value !== null && typeof value === 'object') {
    parts.push('<value><struct>\n');
    for (const [key, member] of Object.entries(value)) {
      parts.push(`<member>\n<name>${escapeXml(key)}</name>\n`);
      writeValue(member, parts);
      parts.push('</member>\n');
    }
    parts.push('</struct></value>\n');
  } else {
    // Odoo marshals with allow_none=False; a None result is a fault, not `<nil/>`.
    throw serverError('TypeError', 'cannot marshal None unless allow_none is enabled');
  }
}

function writeNumber(value: number, parts: string[]): void {
  if (!Number.isInteger(value)) {
    parts.push(`<value><double>${pythonFloatRepr(value)}</double></value>\n`);
    return;
  }
  if (value > maxXmlRpcInt || value < minXmlRpcInt) throw serverError('OverflowError', 'int exceeds XML-RPC limits');
  parts.push(`<value><int>${value}</int></value>\n`);
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
