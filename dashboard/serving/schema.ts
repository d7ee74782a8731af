/**
 * Tables of the serving snapshot: the DuckDB file the dashboard reads. The daily run publishes it
 * from the warehouse (see publish.ts); the dashboard never opens the warehouse itself, because
 * DuckDB lets one process write a file and the worker holds the warehouse open.
 */

/** Candidates looking for a company: one row per crm.lead, only the columns the dashboard shows. */
export const CANDIDATE_TABLE = 'candidat';
/** Copy of the warehouse's materialisation log. */
export const MATERIALIZATION_TABLE = 'materialisation';
/** Copy of the warehouse's data check results (empty when the warehouse has none yet). */
export const CHECK_RESULT_TABLE = 'controle';
/** Every daily run that published, succeeded or failed, newest last. */
export const RUN_TABLE = 'execution';
/** The asset graph at publish time: key, layer and upstream keys. */
export const ASSET_TABLE = 'asset';

/** Warehouse table recording each daily run's outcome; the snapshot copies it. */
export const WAREHOUSE_RUN_TABLE = 'placement_run';
/** Warehouse table of data check results, written by the checks (may not exist yet). */
export const WAREHOUSE_CHECK_TABLE = 'placement_check_result';
/** Warehouse table of materialisations, written by the materialisation activity. */
export const WAREHOUSE_MATERIALIZATION_TABLE = 'placement_materialization';
/** The fact table the candidate list comes from. */
export const FACT_TABLE = 'fact_odoo_crm_opportunite';

export type RunStatus = 'succeeded' | 'failed';
