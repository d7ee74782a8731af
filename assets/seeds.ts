/**
 * Seeds: reference tables that come from files shipped with the project instead of Odoo.
 *
 * - `ref_region`, `ref_commune`: the official French regions and communes (INSEE codes, postal
 *   codes) from the npm package @etalab/decoupage-administratif.
 * - `ref_region_alias`: the abbreviations and former region names the CRM holds, from
 *   `config/region-aliases.csv`, which the data team edits.
 *
 * A seed is a raw asset: the materialisation writes its rows to the lake under `seed/<table>/`
 * and loads them like an Odoo extraction, so the warehouse engine needs nothing more.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/settings.ts';
import type { ColumnSpec } from '../warehouse/warehouse.ts';

export type SeedName = 'ref_region' | 'ref_commune' | 'ref_region_alias';

export type SeedDefinition = {
  name: SeedName;
  description: string;
  columns: ColumnSpec[];
  /** Reads the rows from the seed's files; each row has exactly the `columns`. */
  rows(): Record<string, string | number | null>[];
};

export type SeedOptions = {
  /** Alias file; defaults to `config/region-aliases.csv`. */
  regionAliasFile?: string;
};

export const DEFAULT_REGION_ALIAS_FILE = path.join(PROJECT_ROOT, 'config/region-aliases.csv');

type EtalabRegion = { code: string; nom: string };
type EtalabCommune = {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  region?: string;
  codesPostaux?: string[];
  population?: number;
};

const require = createRequire(import.meta.url);

function etalabData<T>(file: string): T {
  return require(`@etalab/decoupage-administratif/data/${file}`) as T;
}

/** Lake key of a seed's rows; rewritten by every materialisation, so it never piles up. */
export function seedKey(name: SeedName): string {
  return `seed/${name}/part-00000.ndjson`;
}

export function seedDefinitions(options: SeedOptions = {}): SeedDefinition[] {
  const aliasFile = options.regionAliasFile ?? DEFAULT_REGION_ALIAS_FILE;
  return [
    {
      name: 'ref_region',
      description: 'Official French regions (INSEE code and name), overseas regions included.',
      columns: [
        { name: 'code_region', type: 'string' },
        { name: 'nom_region', type: 'string' },
      ],
      rows: () => officialRegions().map((region) => ({ code_region: region.code, nom_region: region.nom })),
    },
    {
      name: 'ref_commune',
      description:
        'Official French communes in force, one row per (commune, postal code): INSEE code, name, ' +
        'department, region and population.',
      columns: [
        { name: 'code_commune', type: 'string' },
        { name: 'nom_commune', type: 'string' },
        { name: 'code_postal', type: 'string' },
        { name: 'code_departement', type: 'string' },
        { name: 'code_region', type: 'string' },
        { name: 'population', type: 'int64' },
      ],
      rows: communeRows,
    },
    {
      name: 'ref_region_alias',
      description: `Region abbreviations and former names typed in the CRM, one row per (alias, region), from ${path.relative(PROJECT_ROOT, aliasFile)}.`,
      columns: [
        { name: 'alias', type: 'string' },
        { name: 'code_region', type: 'string' },
        { name: 'note', type: 'string' },
      ],
      rows: () => readRegionAliases(aliasFile),
    },
  ];
}

function officialRegions(): EtalabRegion[] {
  return etalabData<EtalabRegion[]>('regions.json');
}

function communeRows(): Record<string, string | number | null>[] {
  // Delegated and associated communes and Paris/Lyon/Marseille districts are left out: their
  // names would compete with the commune in force, which is the one a dashboard should show.
  // NOTE: a candidate who types the name of a former commune merged into a new one is not resolved.
  return etalabData<EtalabCommune[]>('communes.json')
    .filter((commune) => commune.type === 'commune-actuelle' && commune.region)
    .flatMap((commune) =>
      (commune.codesPostaux?.length ? commune.codesPostaux : [null]).map((postalCode) => ({
        code_commune: commune.code,
        nom_commune: commune.nom,
        code_postal: postalCode,
        code_departement: commune.departement ?? null,
        code_region: commune.region ?? null,
        population: commune.population ?? null,
      })),
    );
}

/**
 * Parses the alias file: `#` comment lines, a header `alias,regions,note`, then one alias per line
 * with its region codes separated by `|`.
 * @throws Error naming the file, the line and the fix when a line is malformed or names an
 *   unknown region code.
 */
export function readRegionAliases(file: string): Record<string, string | null>[] {
  if (!fs.existsSync(file)) {
    throw new Error(`region alias file not found: ${file}; restore config/region-aliases.csv from the repository`);
  }
  const regionCodes = new Set(officialRegions().map((region) => region.code));
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((text, index) => ({ text: text.trim(), number: index + 1 }))
    .filter((line) => line.text !== '' && !line.text.startsWith('#'));

  const [header, ...entries] = lines;
  if (header?.text !== 'alias,regions,note') {
    throw new Error(`invalid region alias file ${file}: the first line that is not a comment must be "alias,regions,note"`);
  }

  return entries.flatMap(({ text, number }) => {
    const [alias, regions, ...noteParts] = text.split(',').map((cell) => cell.trim());
    if (!alias || !regions) {
      throw new Error(`invalid region alias at ${file}:${number}: "${text}"; write alias,regions,note such as "GSO,75|76,why"`);
    }
    return regions.split('|').map((code) => {
      const regionCode = code.trim();
      if (!regionCodes.has(regionCode)) {
        throw new Error(
          `invalid region alias at ${file}:${number}: "${regionCode}" is not an INSEE region code; ` +
            `use one of ${[...regionCodes].join(', ')}`,
        );
      }
      return { alias, code_region: regionCode, note: noteParts.join(',') || null };
    });
  });
}
