/**
 * Incremental decoder of XML-RPC `<methodResponse>` documents, written for speed.
 *
 * XML-RPC uses a dozen tags, no attributes and no namespaces, so a general XML tokenizer does
 * far more work than needed: this one finds tags with `indexOf('<')` / `indexOf('>')` on the
 * decoded text and switches on the tag name. It accepts the body in chunks as they arrive from
 * the socket, and the event loop runs between two chunks even while a large page decodes.
 *
 * Its values are those of `xmlrpc-codec.ts` (the `xmlrpc` package's deserializer with the
 * connector's adjustments), which the tests check on recorded Odoo responses and on generated
 * documents:
 * - `<int>`/`<i4>` go through `parseInt`, `<double>` through `parseFloat`, `<boolean>` must be `0` or `1`;
 * - `<i8>` is a number when it is a safe integer, else its decimal string;
 * - `<dateTime.iso8601>` becomes a naive UTC `YYYY-MM-DD HH:MM:SS` string, `<base64>` stays text;
 * - `<nil/>` is null, a `<value>` without a type tag is a string, kept with its whitespace;
 * - text is kept byte for byte, carriage returns included (no XML newline normalisation).
 * It decodes the five XML entities and numeric character references. NOTE: unlike the `xmlrpc`
 * package it rejects HTML named entities such as `&eacute;`; Odoo never sends them and Python's
 * expat rejects them too. Tags are matched case-sensitively in lower case, as Odoo writes them.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { isoDatetimeToOdoo, XmlRpcFaultResponse } from './xmlrpc-codec.ts';

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);?/g;

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`malformed XML entity '${whole}' in an XML-RPC response`);
    if (name.charCodeAt(0) === 35 /* # */) {
      const code = name.charCodeAt(1) === 120 /* x */ ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      if (!(code >= 0 && code <= 0x10ffff)) throw new Error(`invalid character reference '${whole}' in an XML-RPC response`);
      return String.fromCodePoint(code);
    }
    const decoded = XML_ENTITIES[name];
    if (decoded === undefined) throw new Error(`unknown XML entity '${whole}' in an XML-RPC response`);
    return decoded;
  });
}

/** Returns the element name of an opening tag `source[start, end)`, without attributes or whitespace. */
function tagName(source: string, start: number, end: number): string {
  for (let index = start; index < end; index++) {
    if (source.charCodeAt(index) <= 32) return source.slice(start, index);
  }
  return source.slice(start, end);
}

function decodeI8(text: string): number | string {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new Error(`invalid XML-RPC i8 value '${trimmed}': expected an integer`);
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : trimmed;
}

export type XmlRpcResponseDecoder = {
  /** Consumes the next piece of the document; pieces may split tags, entities and text anywhere. */
  write(text: string): void;
  /**
   * Finishes the document and returns its single result value.
   * @throws XmlRpcFaultResponse for a fault, Error when the text is not an XML-RPC response.
   */
  end(): unknown;
};

export function createXmlRpcResponseDecoder(): XmlRpcResponseDecoder {
  /** Finished values of the open arrays and structs (struct members as name, value pairs). */
  const stack: unknown[] = [];
  /** Stack length at each open `<array>` or `<struct>`. */
  const marks: number[] = [];
  /** Unconsumed text: an incomplete tag and the character data before it. */
  let pending = '';
  /** Character data read since the last opening tag but interrupted by a comment or a CDATA section. */
  let heldText = '';
  /** True between `<value>` and the next tag: a `<value>` closed right away contains an untyped string. */
  let inBareValue = false;
  let isMethodResponse = false;
  let responseType: 'params' | 'fault' | undefined;

  function fail(message: string): never {
    throw new Error(`not a valid XML-RPC response: ${message}`);
  }

  function openTag(name: string): void {
    heldText = '';
    inBareValue = name === 'value';
    if (name === 'array' || name === 'struct') marks.push(stack.length);
  }

  /** Handles `</name>`; the element's character data is `source[textStart, textEnd)`, sliced only when used. */
  function closeTag(name: string, source: string, textStart: number, textEnd: number): void {
    const rawText = () => source.slice(textStart, textEnd);
    switch (name) {
      case 'value':
        if (inBareValue) stack.push(text(rawText()));
        break;
      case 'string':
      case 'name':
        stack.push(text(rawText()));
        break;
      case 'int':
      case 'i4': {
        const value = Number.parseInt(text(rawText()), 10);
        if (Number.isNaN(value)) fail(`expected an integer but got '${text(rawText())}'`);
        stack.push(value);
        break;
      }
      case 'boolean': {
        const value = text(rawText());
        if (value === '1') stack.push(true);
        else if (value === '0') stack.push(false);
        else fail(`illegal boolean value '${value}'`);
        break;
      }
      case 'double': {
        const value = Number.parseFloat(text(rawText()));
        if (Number.isNaN(value)) fail(`expected a double but got '${text(rawText())}'`);
        stack.push(value);
        break;
      }
      case 'nil':
        stack.push(null);
        break;
      case 'array': {
        const mark = marks.pop() ?? fail('</array> without <array>');
        stack.push(stack.splice(mark));
        break;
      }
      case 'struct': {
        const mark = marks.pop() ?? fail('</struct> without <struct>');
        const items = stack.splice(mark);
        const struct: Record<string, unknown> = {};
        for (let index = 0; index < items.length; index += 2) struct[items[index] as string] = items[index + 1];
        stack.push(struct);
        break;
      }
      case 'i8':
        stack.push(decodeI8(text(rawText())));
        break;
      case 'dateTime.iso8601':
        stack.push(isoDatetimeToOdoo(text(rawText())));
        break;
      case 'base64':
        stack.push(text(rawText()).replace(/\s+/g, ''));
        break;
      case 'data':
      case 'member':
      case 'param':
        break;
      case 'params':
        responseType = 'params';
        break;
      case 'fault':
        responseType = 'fault';
        break;
      case 'methodResponse':
        isMethodResponse = true;
        break;
      default:
        fail(`unknown XML-RPC tag '${name}'`);
    }
    // Any closing tag ends a bare value, as in the `xmlrpc` package.
    inBareValue = false;
  }

  function text(rawText: string): string {
    const joined = heldText === '' ? rawText : heldText + rawText;
    return joined.indexOf('&') === -1 ? joined : decodeEntities(joined);
  }

  /** Consumes complete tags from `input`; returns where the unconsumed remainder starts. */
  function scan(input: string, final: boolean): number {
    let position = 0;
    const length = input.length;
    while (position < length) {
      const open = input.indexOf('<', position);
      if (open === -1) return final ? fail('text after the last tag') : position;
      const next = input.charCodeAt(open + 1);

      if (next === 47 /* / */) {
        const close = input.indexOf('>', open + 2);
        if (close === -1) break;
        closeTag(input.slice(open + 2, close).trimEnd(), input, position, open);
        heldText = '';
        position = close + 1;
        continue;
      }

      if (next === 33 /* ! */ || next === 63 /* ? */) {
        const skipped = skipMarkup(input, open);
        if (skipped === -1) break;
        position = skipped;
        continue;
      }

      if (Number.isNaN(next)) break;
      const close = input.indexOf('>', open + 1);
      if (close === -1) break;
      // Character data before an opening tag is whitespace between elements: XML-RPC has no mixed content.
      const selfClosing = input.charCodeAt(close - 1) === 47; /* / */
      const name = tagName(input, open + 1, selfClosing ? close - 1 : close);
      openTag(name);
      if (selfClosing) closeTag(name, input, close, close);
      position = close + 1;
    }
    if (final && position < length) fail('the document ends inside a tag');
    return position;

    /** Skips a comment, declaration or processing instruction; keeps CDATA text. Returns -1 when incomplete. */
    function skipMarkup(source: string, open: number): number {
      const before = source.slice(position, open);
      if (source.startsWith('<![CDATA[', open)) {
        const end = source.indexOf(']]>', open + 9);
        if (end === -1) return -1;
        heldText += before + source.slice(open + 9, end).replaceAll('&', '&amp;');
        return end + 3;
      }
      const terminator = source.startsWith('<!--', open) ? '-->' : source.charCodeAt(open + 1) === 63 ? '?>' : '>';
      if (source.length < open + 4) return -1;
      const end = source.indexOf(terminator, open + 2);
      if (end === -1) return -1;
      heldText += before;
      return end + terminator.length;
    }
  }

  return {
    write(chunk) {
      const input = pending === '' ? chunk : pending + chunk;
      pending = input.slice(scan(input, false));
    },

    end() {
      if (pending !== '' && pending.trim() !== '') scan(pending, true);
      pending = '';
      if (!isMethodResponse || marks.length > 0) fail('the document is not a complete <methodResponse>');
      if (responseType === undefined) fail('<methodResponse> holds neither <params> nor <fault>');
      if (responseType === 'fault') {
        const fault = stack[0] as { faultCode?: unknown; faultString?: unknown } | undefined;
        const faultCode = typeof fault?.faultCode === 'number' ? fault.faultCode : String(fault?.faultCode);
        throw new XmlRpcFaultResponse({ faultCode, faultString: String(fault?.faultString ?? '') });
      }
      if (stack.length > 1) fail('the response has more than one param');
      return stack[0];
    },
  };
}

/** Decodes a whole response held in memory. */
export function decodeXmlRpcResponse(body: string | Buffer): unknown {
  const decoder = createXmlRpcResponseDecoder();
  decoder.write(typeof body === 'string' ? body : body.toString('utf8'));
  return decoder.end();
}

/**
 * Decodes a response as its bytes stream in; each chunk is decoded when it arrives, so the event
 * loop runs between chunks. Rejects with `XmlRpcFaultResponse` for a fault.
 */
export function decodeXmlRpcResponseStream(stream: Readable): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const utf8 = new StringDecoder('utf8');
    const decoder = createXmlRpcResponseDecoder();
    let settled = false;
    const settle = (error: unknown, value?: unknown) => {
      if (settled) return;
      settled = true;
      if (error) {
        stream.destroy();
        reject(error);
      } else resolve(value);
    };

    stream.on('data', (chunk: Buffer | string) => {
      if (settled) return;
      try {
        decoder.write(typeof chunk === 'string' ? chunk : utf8.write(chunk));
      } catch (error) {
        settle(error);
      }
    });
    stream.on('end', () => {
      try {
        decoder.write(utf8.end());
        settle(undefined, decoder.end());
      } catch (error) {
        settle(error);
      }
    });
    stream.on('error', (error) => settle(error));
  });
}
