// Keeps test output readable: the Temporal SDK logs only warnings and errors during tests.
import { createLogger } from '../logging/logger.ts';
import { installTemporalLogging } from '../logging/temporal-runtime.ts';

installTemporalLogging(createLogger(process.env.PLACEMENT_LOG_LEVEL ?? 'warn'));
