/**
 * Odoo exceptions as the JSON APIs serialise them: `{name, message, arguments, context, debug}`,
 * the body of a JSON-2 error and the `data` of a JSON-RPC error.
 */
import type { OdooFault } from './faults.ts';

export type JsonException = { name: string; message: string; arguments: unknown[]; context: Record<string, never>; debug: string };

/** Fully qualified Python class name: built-in exceptions live in `builtins`. */
export function pythonExceptionName(exceptionType: string): string {
  return exceptionType.includes('.') ? exceptionType : `builtins.${exceptionType}`;
}

/** Builds `debug`: Odoo always fills it with a traceback, even outside dev mode, so clients must not show it. */
function traceback(entryPoint: string, name: string, text: string): string {
  const shortName = name.startsWith('builtins.') ? name.slice('builtins.'.length) : name;
  return [
    'Traceback (most recent call last):',
    '  File "/opt/odoo/odoo/http.py", line 2219, in _serve_db',
    '    return service_model.retrying(serve_func, env=self.env)',
    `  File "/opt/odoo/odoo/addons/rpc/controllers/${entryPoint}", line 70, in dispatch`,
    '    result = method(**params)',
    `${shortName}: ${text}`,
    '',
  ].join('\n');
}

/** Converts a fault raised by the dispatcher to its JSON form. */
export function faultException(fault: OdooFault, entryPoint: string): JsonException {
  const name = pythonExceptionName(fault.exceptionType);
  return { name, message: fault.message, arguments: [fault.message], context: {}, debug: traceback(entryPoint, name, fault.message) };
}

/** Builds a werkzeug HTTP exception (`NotFound`, `Unauthorized`…), whose arguments also carry the status code. */
export function werkzeugException(className: string, status: number, reason: string, message: string, entryPoint: string): JsonException {
  const name = `werkzeug.exceptions.${className}`;
  return { name, message, arguments: [message, status], context: {}, debug: traceback(entryPoint, name, `${status} ${reason}: ${message}`) };
}
