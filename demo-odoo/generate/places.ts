/**
 * French communes with postal code and region, from @etalab/decoupage-administratif (loaded on
 * first use: the file is about 9 MB). Bigger communes are drawn more often.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Random } from './prng.ts';

export type Commune = { name: string; postalCode: string; regionCode: string; regionName: string };

type EtalabCommune = { nom: string; type: string; region?: string; codesPostaux?: string[]; population?: number };
type EtalabRegion = { code: string; nom: string };

/** INSEE region code → x_region key of this company's CRM. */
export const regionKeys: Record<string, string> = {
  '11': 'idf',
  '84': 'ara',
  '32': 'hdf',
  '93': 'paca',
  '76': 'occ',
  '75': 'naq',
  '27': 'bfc',
  '53': 'bre',
  '24': 'cvl',
  '44': 'ges',
  '28': 'nor',
  '52': 'pdl',
  '94': 'cor',
};

type CommuneTable = { communes: Commune[]; cumulativeWeights: number[] };

let table: CommuneTable | undefined;

function loadTable(): CommuneTable {
  if (table) return table;
  const require = createRequire(import.meta.url);
  const dataDir = require.resolve('@etalab/decoupage-administratif/data/regions.json').replace(/regions\.json$/, '');
  const regions = JSON.parse(readFileSync(`${dataDir}regions.json`, 'utf8')) as EtalabRegion[];
  const regionNames = new Map(regions.map((region) => [region.code, region.nom]));
  const raw = JSON.parse(readFileSync(`${dataDir}communes.json`, 'utf8')) as EtalabCommune[];

  const communes: Commune[] = [];
  const cumulativeWeights: number[] = [];
  let total = 0;
  for (const commune of raw) {
    if (commune.type !== 'commune-actuelle' || !commune.region || !commune.codesPostaux?.length) continue;
    communes.push({
      name: commune.nom,
      postalCode: commune.codesPostaux[0],
      regionCode: commune.region,
      regionName: regionNames.get(commune.region) ?? commune.region,
    });
    // Population to the power 0.8: cities dominate, as in the CRM, while villages still appear.
    total += (commune.population ?? 0) ** 0.8 + 1;
    cumulativeWeights.push(total);
  }
  table = { communes, cumulativeWeights };
  return table;
}

export function drawCommune(random: Random): Commune {
  const { communes, cumulativeWeights } = loadTable();
  const target = random.next() * cumulativeWeights[cumulativeWeights.length - 1];
  let low = 0;
  let high = cumulativeWeights.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulativeWeights[middle] <= target) low = middle + 1;
    else high = middle;
  }
  return communes[low];
}
