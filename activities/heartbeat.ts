/**
 * Periodic heartbeats for activities whose single steps (one Odoo request, one SQL statement) can
 * outlast the heartbeat timeout: they prove the worker is alive, so only a dead worker trips the
 * timeout and gets the activity retried elsewhere.
 */
import { Context } from '@temporalio/activity';

/** Longest interval between two heartbeats, in milliseconds; Temporal throttles them anyway. */
const MAX_INTERVAL_MS = 5_000;

/**
 * Heartbeats `details()` every few seconds until the returned function is called. Outside an
 * activity (plain tests, scripts) it does nothing.
 */
export function startHeartbeat(details: () => unknown = () => undefined): () => void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return () => undefined;
  }
  const timeoutMs = context.info.heartbeatTimeoutMs;
  if (!timeoutMs) return () => undefined;

  // Three beats per timeout, so one late beat does not fail the attempt.
  const timer = setInterval(() => context.heartbeat(details()), Math.min(MAX_INTERVAL_MS, timeoutMs / 3));
  return () => clearInterval(timer);
}
