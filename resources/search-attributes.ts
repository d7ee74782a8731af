/**
 * Registers the workflows' custom search attributes on the namespace when they are missing. A
 * workflow that sets an unknown attribute fails its task, so workers check this before polling.
 */
import type { NativeConnection } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/search-attributes.ts';

// The proto package is CommonJS: its namespaces come from the default export under native ESM.
const { IndexedValueType } = proto.temporal.api.enums.v1;

const INDEXED_TYPES: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Returns the attributes it added (none when all were there). */
export async function ensureSearchAttributes(connection: NativeConnection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.entries(SEARCH_ATTRIBUTE_TYPES).filter(([name]) => !known.has(name));
  if (missing.length === 0) return [];

  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED_TYPES[type]])),
  });
  return missing.map(([name]) => name);
}
