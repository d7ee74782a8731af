/**
 * Test helpers: XML-RPC calls over real HTTP, and a parser that keeps XML-RPC types (`<int>` and
 * `<double>` both become JavaScript numbers in ordinary parsers) so tests can compare shapes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type TypedValue =
  | { type: 'int' | 'double'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; value: TypedValue[] }
  | { type: 'struct'; value: Map<string, TypedValue> };

export type TypedResponse = { fault?: { faultCode: number | string; faultString: string }; value?: TypedValue };

export function parseTypedResponse(xml: string): TypedResponse {
  const parser = new TypedParser(xml);
  if (xml.includes('<fault>')) {
    const struct = parser.valueAfter('<fault>');
    const members = struct.value as Map<string, TypedValue>;
    return {
      fault: {
        faultCode: members.get('faultCode')?.value as number | string,
        faultString: members.get('faultString')?.value as string,
      },
    };
  }
  return { value: parser.valueAfter('<param>') };
}

/** Plain JavaScript view of a typed value (structs become objects). */
export function plain(value: TypedValue): unknown {
  if (value.type === 'array') return value.value.map(plain);
  if (value.type === 'struct') return Object.fromEntries([...value.value].map(([key, member]) => [key, plain(member)]));
  return value.value;
}

class TypedParser {
  private readonly xml: string;
  private position = 0;

  constructor(xml: string) {
    this.xml = xml;
  }

  valueAfter(marker: string): TypedValue {
    this.position = this.xml.indexOf(marker) + marker.length;
    return this.value();
  }

  private value(): TypedValue {
    this.skipTo('<value>');
    const tag = /^<(\w+)>/.exec(this.xml.slice(this.position));
    if (!tag) throw new Error(`untyped value at ${this.position}`);
    this.position += tag[0].length;
    const name = tag[1];
    let result: TypedValue;
    if (name === 'array') {
      this.expect('<data>');
      const items: TypedValue[] = [];
      while (this.peekIs('<value>')) items.push(this.value());
      this.expect('</data></array>');
      result = { type: 'array', value: items };
    } else if (name === 'struct') {
      const members = new Map<string, TypedValue>();
      while (this.peekIs('<member>')) {
        this.expect('<member>');
        this.expect('<name>');
        const end = this.xml.indexOf('</name>', this.position);
        const key = unescape(this.xml.slice(this.position, end));
        this.position = end + '</name>'.length;
        members.set(key, this.value());
        this.expect('</member>');
      }
      this.expect('</struct>');
      result = { type: 'struct', value: members };
    } else {
      const end = this.xml.indexOf(`</${name}>`, this.position);
      const text = unescape(this.xml.slice(this.position, end));
      this.position = end + name.length + 3;
      if (name === 'int' || name === 'i4') result = { type: 'int', value: Number(text) };
      else if (name === 'double') result = { type: 'double', value: Number(text) };
      else if (name === 'boolean') result = { type: 'boolean', value: text === '1' };
      else result = { type: 'string', value: text };
    }
    this.expect('</value>');
    return result;
  }

  private skipWhitespace(): void {
    while (/\s/.test(this.xml[this.position] ?? '')) this.position++;
  }

  private peekIs(text: string): boolean {
    this.skipWhitespace();
    return this.xml.startsWith(text, this.position);
  }

  private expect(text: string): void {
    this.skipWhitespace();
    if (!this.xml.startsWith(text, this.position)) {
      throw new Error(`expected ${text} at ${this.position}: ${this.xml.slice(this.position, this.position + 40)}`);
    }
    this.position += text.length;
  }

  private skipTo(text: string): void {
    this.expect(text);
  }
}

function unescape(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Posts an XML-RPC body, returning status, headers and body text. */
export async function postXml(url: string, body: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'text/xml' } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

// ---- Building calls the way Python's xmlrpc.client writes them ---------------------------------

export type CallValue = string | number | boolean | CallValue[] | { [key: string]: CallValue } | { double: number };

export function methodCall(methodName: string, params: CallValue[]): string {
  const body = params.map((param) => `<param>\n${encode(param)}</param>\n`).join('');
  return `<?xml version='1.0'?>\n<methodCall>\n<methodName>${methodName}</methodName>\n<params>\n${body}</params>\n</methodCall>\n`;
}

function encode(value: CallValue): string {
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>\n`;
  if (typeof value === 'number') return `<value><int>${value}</int></value>\n`;
  if (typeof value === 'string') {
    const escaped = value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    return `<value><string>${escaped}</string></value>\n`;
  }
  if (Array.isArray(value)) return `<value><array><data>\n${value.map(encode).join('')}</data></array></value>\n`;
  if ('double' in value && typeof value.double === 'number') return `<value><double>${value.double}</double></value>\n`;
  const members = Object.entries(value)
    .map(([key, member]) => `<member>\n<name>${key}</name>\n${encode(member as CallValue)}</member>\n`)
    .join('');
  return `<value><struct>\n${members}</struct></value>\n`;
}

// ---- Captured exchanges with a real Odoo 18 -----------------------------------------------------

/** Folder of XML-RPC exchanges captured from a real Odoo 18 (request.xml / response.xml pairs). */
export const odooCapturesDir = path.resolve(import.meta.dirname, '../test-fixtures/odoo-real');

export function capture(folder: string): { request: string; response: string } {
  const dir = path.join(odooCapturesDir, folder);
  return {
    request: readFileSync(path.join(dir, 'request.xml'), 'utf8'),
    response: readFileSync(path.join(dir, 'response.xml'), 'utf8'),
  };
}

/** Aims a captured request at the demo by swapping its database name (the admin password is the same). */
export function retarget(request: string, db: string): string {
  return request.replace('<value><string>odoo_crm</string></value>', `<value><string>${db}</string></value>`);
}
