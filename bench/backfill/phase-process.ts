/**
 * Runs one benchmark phase in this process and writes its result as JSON, so each phase's
 * memory and CPU are measured alone.
 *
 *   node bench/backfill/phase-process.ts '<PhaseConfig as JSON>' <result file>
 */
import fs from 'node:fs';
import { createLogger } from '../../logging/logger.ts';
import { installTemporalLogging } from '../../logging/temporal-runtime.ts';
import { runPhase, type PhaseConfig } from './phases.ts';

const [configJson, resultFile] = process.argv.slice(2);
if (!configJson || !resultFile) throw new Error('usage: phase-process.ts <PhaseConfig JSON> <result file>');

// Only warnings and errors of the SDK are printed, so its logs do not bury the benchmark's progress.
installTemporalLogging(createLogger('warn'));

const result = await runPhase(JSON.parse(configJson) as PhaseConfig);
fs.writeFileSync(resultFile, JSON.stringify(result));
