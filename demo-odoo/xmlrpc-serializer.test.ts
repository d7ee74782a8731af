import { describe, expect, it } from 'vitest';
import { OdooFault } from './faults.ts';
import { pythonFloatRepr, pythonRepr } from './python-repr.ts';
import { RpcFloat } from './rpc-values.ts';
import { serializeFault, serializeResponse } from './xmlrpc-serializer.ts';

describe('pythonFloatRepr', () => {
  it.each([
    [0, '0.0'],
    [5.92, '5.92'],
    [100, '100.0'],
    [-2.5, '-2.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e16, '1e+16'],
    [123456789012345.6, '123456789012345.6'],
    [1234567890123456.8, '1234567890123456.8'],
    [0.1 + 0.2, '0.30000000000000004'],
  ])('%d → %s', (value, expected) => {
    expect(pythonFloatRepr(value)).toBe(expected);
  });
});

describe('pythonRepr', () => {
  it('prints domain leaves like Python tuples and lists', () => {
    expect(pythonRepr(['a', "l'x", true, null, 1.5, [1, 2]])).toBe(`['a', "l'x", True, None, 1.5, [1, 2]]`);
  });
});

describe('serializeResponse', () => {
  it('writes Odoo response layout', () => {
    const xml = serializeResponse([{ a: 'x <&> "é"\n', b: new RpcFloat(1), c: false, d: [] }]);
    expect(xml).toBe(
      '<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><struct>\n' +
        '<member>\n<name>a</name>\n<value><string>x &lt;&amp;&gt; "é"\n</string></value>\n</member>\n' +
        '<member>\n<name>b</name>\n<value><double>1.0</double></value>\n</member>\n' +
        '<member>\n<name>c</name>\n<value><boolean>0</boolean></value>\n</member>\n' +
        '<member>\n<name>d</name>\n<value><array><data>\n</data></array></value>\n</member>\n' +
        '</struct></value>\n</data></array></value>\n</param>\n</params>\n\n</methodResponse>\n',
    );
  });

  it('refuses integers beyond XML-RPC limits and None, as Python does', () => {
    expect(() => serializeResponse(2 ** 31)).toThrow(OdooFault);
    expect(() => serializeResponse(null as never)).toThrow(/allow_none/);
  });

  it('writes faults as a struct of faultCode and faultString', () => {
    expect(serializeFault(3, 'Access Denied')).toContain(
      '<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>3</int></value>\n</member>\n',
    );
  });
});
