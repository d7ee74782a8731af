/** Opens the lake the settings name, for commands that read checkpoints without a warehouse. */
import { ConfigurationError, type Settings } from '../config/settings.ts';
import type { Lake } from '../lake/lake.ts';
import { LocalLake } from '../lake/local-lake.ts';

export function openLake(settings: Settings): Lake {
  if (settings.lake.uri.startsWith('gs://')) {
    throw new ConfigurationError(
      `LAKE_URI=${settings.lake.uri}: the GCS lake is not available in this build. Use a local folder path.`,
    );
  }
  return new LocalLake(settings.lake.uri);
}
