/**
 * Task queue names. Odoo-facing activities get a queue of their own so that one rate limit,
 * enforced by the Temporal server, caps the requests to Odoo across every worker.
 */
export function odooTaskQueue(mainTaskQueue: string): string {
  return `${mainTaskQueue}-odoo`;
}
