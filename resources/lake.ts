/**
 * Opens the lake the settings name: a GCS bucket for a `gs://` LAKE_URI, else a local folder.
 * Workers and the commands that only read checkpoints share it, so both reach the same lake.
 */
import { ConfigurationError, type Settings } from '../config/settings.ts';
import { createStorageClient, GcsLake } from '../lake/gcs-lake.ts';
import type { Lake } from '../lake/lake.ts';
import { LocalLake } from '../lake/local-lake.ts';

export function openLake(settings: Settings): Lake {
  const { uri } = settings.lake;
  if (!uri.startsWith('gs://')) return new LocalLake(uri);

  const storage = createStorageClient({
    projectId: settings.warehouse.bigquery.project,
    apiEndpoint: settings.warehouse.gcsApiEndpoint,
    keyFilename: settings.warehouse.bigquery.credentialsFile,
  });
  try {
    return GcsLake.fromUri(uri, storage);
  } catch (error) {
    throw new ConfigurationError(`LAKE_URI=${uri}: ${(error as Error).message}`);
  }
}
