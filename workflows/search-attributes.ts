/**
 * Custom search attributes set by the workflows, so the Temporal Web UI can filter runs, for
 * example `PlacementStatus = "failed"` or `PlacementAssets = "fact_odoo_crm_opportunite"`.
 * They hold dates, statuses and asset names only, never personal data.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const RUN_DATE_ATTRIBUTE = defineSearchAttributeKey('PlacementRunDate', SearchAttributeType.KEYWORD);
export const STATUS_ATTRIBUTE = defineSearchAttributeKey('PlacementStatus', SearchAttributeType.KEYWORD);
/** Assets the run materialised successfully. */
export const ASSETS_ATTRIBUTE = defineSearchAttributeKey('PlacementAssets', SearchAttributeType.KEYWORD_LIST);

/** Name and server type of each attribute, for registering them on a Temporal namespace. */
export const SEARCH_ATTRIBUTE_TYPES: Record<string, 'Keyword' | 'KeywordList'> = {
  PlacementRunDate: 'Keyword',
  PlacementStatus: 'Keyword',
  PlacementAssets: 'KeywordList',
};
