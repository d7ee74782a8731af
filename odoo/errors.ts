/**
 * Typed errors of the Odoo connector.
 *
 * Odoo reports every failure of `/xmlrpc/2/*` as an XML-RPC fault sent with HTTP 200. The fault
 * code gives the family: 1 unexpected exception with a Python traceback, 2 user or missing-record
 * error, 3 bad credentials, 4 access rights. `faultToError` turns a fault into one of the classes
 * below so callers can branch on the class and on `retryable`.
 */

export type OdooCallContext = {
  /** Odoo model, e.g. `crm.lead`; absent for calls to the `common` service. */
  model?: string;
  /** Model method (`search_read`) or service method (`authenticate`). */
  method?: string;
  /** Endpoint URL, never carrying credentials. */
  url?: string;
  db?: string;
  user?: string;
};

export type OdooErrorOptions = OdooCallContext & {
  code: string;
  retryable: boolean;
  /** Next step for the operator, also appended to `message`. */
  suggestion?: string;
  faultCode?: number | string;
  httpStatus?: number;
  cause?: unknown;
};

export class OdooError extends Error {
  override name = 'OdooError';
  /** Stable machine-readable code, e.g. `ODOO_UNKNOWN_FIELD`. */
  readonly code: string;
  /** True when the same call may succeed later (network, timeouts, HTTP 5xx, database contention). */
  readonly retryable: boolean;
  readonly suggestion: string | undefined;
  readonly model: string | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly faultCode: number | string | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, options: OdooErrorOptions) {
    super(options.suggestion ? `${message.replace(/\.$/, '')}. ${options.suggestion}` : message, { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable;
    this.suggestion = options.suggestion;
    this.model = options.model;
    this.method = options.method;
    this.url = options.url;
    this.faultCode = options.faultCode;
    this.httpStatus = options.httpStatus;
  }
}

/** Bad login, password or API key: `authenticate` returned false, or fault 3 `Access Denied`. */
export class OdooAuthenticationError extends OdooError {
  override name = 'OdooAuthenticationError';
}

/** The model is not installed or misspelled: fault 2 `Object x doesn't exist`. */
export class OdooUnknownModelError extends OdooError {
  override name = 'OdooUnknownModelError';
}

/** A field in the domain, field list or order does not exist on the model. */
export class OdooUnknownFieldError extends OdooError {
  override name = 'OdooUnknownFieldError';
  /** The missing field as Odoo named it, when it could be read from the fault. */
  field: string | undefined;
}

/** The user may not read the model: fault 4 (AccessError). */
export class OdooAccessError extends OdooError {
  override name = 'OdooAccessError';
}

/** Any other fault. The message contains only the last line of Odoo's traceback. */
export class OdooFaultError extends OdooError {
  override name = 'OdooFaultError';
}

/** No XML-RPC response: timeout, connection error, HTTP error status or a body that is not XML-RPC. */
export class OdooTransportError extends OdooError {
  override name = 'OdooTransportError';
}

/** An XML-RPC fault as decoded from the response body. */
export type XmlRpcFault = { faultCode: number | string; faultString: string };

const CREDENTIALS_HINT = 'Check ODOO_USER / ODOO_API_KEY (an Odoo API key or the password of that user)';

/**
 * Reduces a fault string to one line. Code-1 faults carry a whole Python traceback, so only its
 * last line (`ExcType: message`) is kept. Other faults are a plain message in the user's language,
 * possibly on several lines, which are joined.
 */
export function faultSummary(faultString: string): string {
  const lines = faultString
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length === 0) return '(empty fault string)';
  const isTraceback = lines[0].startsWith('Traceback') || lines.some((line) => line.startsWith('File "'));
  if (!isTraceback) return lines.join(' ');
  // PostgreSQL errors end with `LINE 1: …` and a caret line under the faulty token; the message
  // is the line before them.
  const meaningful = lines.filter((line) => !/^\^+$/.test(line) && !/^LINE \d+:/.test(line));
  return meaningful[meaningful.length - 1] ?? lines[lines.length - 1];
}

/** Unknown-field wording differs by place: `Invalid field crm.lead.x in leaf …` or `Invalid field 'x' on model 'crm.lead'`. */
function unknownFieldName(line: string, model: string | undefined): string | undefined {
  const match = /Invalid field\s+['"]?([\w.]+)['"]?/.exec(line);
  if (!match) return undefined;
  const named = match[1];
  return model && named.startsWith(`${model}.`) ? named.slice(model.length + 1) : named;
}

/** PostgreSQL contention that a later attempt usually gets past. */
const TRANSIENT_DATABASE_FAULT = /SerializationFailure|could not serialize access|deadlock detected|LockNotAvailable/;

export function authenticationFailed(context: OdooCallContext, detail: string): OdooAuthenticationError {
  return new OdooAuthenticationError(
    `Odoo rejected the login of user "${context.user}" on database "${context.db}" at ${context.url} (${detail})`,
    { ...context, code: 'ODOO_AUTHENTICATION', retryable: false, suggestion: CREDENTIALS_HINT },
  );
}

/** Maps a decoded fault to the matching error class, keeping the message short. */
export function faultToError(fault: XmlRpcFault, context: OdooCallContext): OdooError {
  const { faultCode, faultString } = fault;
  const where = context.model ? `${context.model}.${context.method}` : `${context.method}`;
  const line = faultSummary(faultString);
  const base = { ...context, faultCode };

  // The legacy `/xmlrpc/object` endpoint sends string codes such as "AccessDenied".
  if (faultCode === 3 || faultCode === 'AccessDenied' || line === 'Access Denied') {
    return authenticationFailed(context, `fault ${faultCode}: ${line}`);
  }

  const missingModel = /^Object (\S+) doesn't exist/.exec(line);
  if (faultCode === 2 && missingModel) {
    return new OdooUnknownModelError(`Odoo model "${missingModel[1]}" not found (${where})`, {
      ...base,
      code: 'ODOO_UNKNOWN_MODEL',
      retryable: false,
      suggestion: 'Check the model name and that the Odoo module providing it is installed',
    });
  }

  if (faultCode === 4) {
    return new OdooAccessError(`Odoo denied ${where} to user "${context.user}": ${line}`, {
      ...base,
      code: 'ODOO_ACCESS',
      retryable: false,
      suggestion: `Give user "${context.user}" read access to ${context.model ?? 'that model'} in Odoo, or use another ODOO_USER`,
    });
  }

  const field = unknownFieldName(line, context.model);
  if (field !== undefined) {
    const error = new OdooUnknownFieldError(`Odoo model ${context.model ?? '?'} has no field "${field}" (${where}: ${line})`, {
      ...base,
      code: 'ODOO_UNKNOWN_FIELD',
      retryable: false,
      suggestion: 'Fix the field name in config/odoo-mapping.yaml or in the source definition',
    });
    error.field = field;
    return error;
  }

  const missingDatabase = /database "([^"]+)" does not exist/.exec(line);
  if (missingDatabase) {
    return new OdooFaultError(`Odoo database "${missingDatabase[1]}" not found (${where})`, {
      ...base,
      code: 'ODOO_UNKNOWN_DATABASE',
      retryable: false,
      suggestion: 'Check ODOO_DB',
    });
  }

  // NOTE: other code-1 faults (bad operator, PostgreSQL errors, marshalling) repeat on every attempt,
  // so only known database contention is marked retryable.
  return new OdooFaultError(`Odoo fault ${faultCode} in ${where}: ${line}`, {
    ...base,
    code: 'ODOO_FAULT',
    retryable: TRANSIENT_DATABASE_FAULT.test(line),
  });
}

/** An Odoo exception as the JSON APIs report it (`error.data` of JSON-RPC, the body of a JSON-2 error). */
export type OdooJsonException = { name: string; message: string; debug?: string };

/** Exception classes Odoo's XML-RPC layer reports as fault 2. */
const USER_ERROR_CLASSES = new Set(['UserError', 'ValidationError', 'MissingError', 'RedirectWarning', 'CacheMiss']);

/**
 * Returns the XML-RPC fault Odoo would have sent for the same exception, so that the JSON transports
 * share `faultToError`'s classification: the exception's class picks the code, and a code-1
 * fault carries the traceback, whose last line names the exception.
 */
export function exceptionToFault(exception: OdooJsonException): XmlRpcFault {
  const shortName = exception.name.slice(exception.name.lastIndexOf('.') + 1);
  if (shortName === 'AccessDenied') return { faultCode: 3, faultString: exception.message };
  if (shortName === 'AccessError') return { faultCode: 4, faultString: exception.message };
  if (USER_ERROR_CLASSES.has(shortName)) return { faultCode: 2, faultString: exception.message };
  const traceback = exception.debug?.startsWith('Traceback') ? exception.debug : undefined;
  return { faultCode: 1, faultString: traceback ?? `Traceback (most recent call last):\n${shortName}: ${exception.message}` };
}

/** Reads `{name, message, debug}` from a decoded JSON error, or undefined when it has another shape. */
export function readJsonException(value: unknown): OdooJsonException | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { name, message, debug } = value as Record<string, unknown>;
  if (typeof name !== 'string' || typeof message !== 'string') return undefined;
  return { name, message, debug: typeof debug === 'string' ? debug : undefined };
}
