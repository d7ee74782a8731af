/**
 * Faults as Odoo 18 raises them over its external API.
 *
 * The dispatcher throws these; each protocol layer (XML-RPC today, JSON-RPC or JSON-2 later) turns
 * them into its own error shape. Codes follow Odoo's XML-RPC mapping:
 * 1 = unexpected exception (faultString is a Python traceback ending in `ExcType: message`),
 * 2 = UserError / ValidationError / MissingError (message only),
 * 3 = AccessDenied (bad credentials), 4 = AccessError.
 */

export type FaultKind = 'server_error' | 'user_error' | 'access_denied' | 'access_error';

const faultCodes: Record<FaultKind, number> = { server_error: 1, user_error: 2, access_denied: 3, access_error: 4 };

export class OdooFault extends Error {
  readonly kind: FaultKind;
  /** Python exception class name, e.g. `ValueError` or `odoo.exceptions.UserError`. */
  readonly exceptionType: string;

  constructor(kind: FaultKind, exceptionType: string, message: string) {
    super(message);
    this.name = 'OdooFault';
    this.kind = kind;
    this.exceptionType = exceptionType;
  }

  get faultCode(): number {
    return faultCodes[this.kind];
  }

  /** The faultString Odoo sends: a full traceback for code 1, the bare message otherwise. */
  get faultString(): string {
    if (this.kind !== 'server_error') return this.message;
    return `${pythonTraceback}${this.exceptionType}: ${this.message}\n`;
  }
}

/** Creates fault 1, an unexpected server exception, with a traceback ending in `exceptionType: message`. */
export function serverError(exceptionType: string, message: string): OdooFault {
  return new OdooFault('server_error', exceptionType, message);
}

export function userError(message: string): OdooFault {
  return new OdooFault('user_error', 'odoo.exceptions.UserError', message);
}

export function missingError(message: string): OdooFault {
  return new OdooFault('user_error', 'odoo.exceptions.MissingError', message);
}

export function accessDenied(): OdooFault {
  return new OdooFault('access_denied', 'odoo.exceptions.AccessDenied', 'Access Denied');
}

export function accessError(message: string): OdooFault {
  return new OdooFault('access_error', 'odoo.exceptions.AccessError', message);
}

/** `ValueError: Invalid field crm.lead.foo in leaf ('foo', '=', 1)`, and the other ValueErrors. */
export function valueError(message: string): OdooFault {
  return serverError('ValueError', message);
}

// The frames Odoo's RPC entry point always goes through; callers only ever parse the last line.
const pythonTraceback = [
  'Traceback (most recent call last):',
  '  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 165, in xmlrpc_2',
  '    response = self._xmlrpc(service)',
  '               ^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 139, in _xmlrpc',
  '    result = dispatch_rpc(service, method, params)',
  '             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/odoo/odoo/http.py", line 411, in dispatch_rpc',
  '    return dispatch(method, params)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^',
  '',
].join('\n');
