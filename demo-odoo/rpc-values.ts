/**
 * Values the dispatcher returns, before a protocol layer encodes them.
 *
 * JavaScript numbers do not say whether they are integers or floats, while Odoo's wire formats do
 * (`<int>0</int>` against `<double>0.0</double>`), so float fields come back wrapped in `RpcFloat`.
 */
export class RpcFloat {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }

  /** JSON protocols carry a plain number. */
  toJSON(): number {
    return this.value;
  }
}

/** Value a dispatcher may return. There is no None, because Odoo marshals with allow_none off. */
export type RpcValue = boolean | number | string | RpcFloat | RpcValue[] | { [key: string]: RpcValue };
