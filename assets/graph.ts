/**
 * The asset graph: every table the pipeline builds, as data that code can sort, run and draw.
 *
 * Raw assets come from the source list and the seed list (reference files shipped with the
 * project); model assets come from one `.sql` file per table under
 * `staging/`, `ods/`, `dim/` and `fact/` (file name = table name). A model's upstream assets are read
 * from its `{{ ref('…') }}` and `{{ source('…') }}` calls, so the graph cannot drift from the SQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { OdooMapping } from '../config/odoo-mapping.ts';
import { seedDefinitions, type SeedName } from './seeds.ts';
import { sourceDefinitions, type SourceName } from './sources.ts';

export const MODEL_LAYERS = ['staging', 'ods', 'dim', 'fact'] as const;
export type AssetLayer = 'raw' | (typeof MODEL_LAYERS)[number];

export type Asset = {
  key: string;
  layer: AssetLayer;
  upstream: string[];
  description: string;
  /** Odoo source loaded by a raw asset. */
  source?: SourceName;
  /** Reference file loaded by a raw asset (assets/seeds.ts). */
  seed?: SeedName;
  /** SQL template of a model asset. */
  sqlFile?: string;
};

export type AssetGraph = {
  assets: Asset[];
  /** Asset keys in dependency layers: every asset comes after all its upstreams; raw first. */
  layers(): string[][];
  /** The asset with `key`; throws naming the key when it is unknown. */
  get(key: string): Asset;
};

/** Raw table of the selection labels of every extracted model, from the extraction manifests. */
export const SELECTION_LABEL_TABLE = 'raw_odoo_selection_label';

/** Folder holding the layer folders of the SQL models. */
export const MODELS_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * Builds the graph from the source list and the SQL files under `modelsDir`.
 * @throws Error naming the asset and the reference when a model refers to an unknown asset or
 *   source, or when references form a cycle.
 */
export function loadAssetGraph(mapping: OdooMapping, options: { modelsDir?: string } = {}): AssetGraph {
  const sources = sourceDefinitions(mapping);
  const rawTableOfSource = new Map<string, string>(sources.map((source) => [source.name, source.rawTable]));

  const rawAssets: Asset[] = [
    ...sources.map((source) => ({
      key: source.rawTable,
      layer: 'raw' as const,
      upstream: [],
      description: `Odoo ${source.model} records as extracted, one row per record and lake file.`,
      source: source.name,
    })),
    {
      key: SELECTION_LABEL_TABLE,
      layer: 'raw',
      upstream: [],
      description: 'Labels of selection fields: one row per (model, field, key, label), from the extraction manifests.',
    },
    ...seedDefinitions().map((seed) => ({
      key: seed.name,
      layer: 'raw' as const,
      upstream: [],
      description: seed.description,
      seed: seed.name,
    })),
  ];

  const modelAssets = readModelFiles(options.modelsDir ?? MODELS_DIR).map(({ key, layer, sqlFile, description }) => {
    const upstream = templateReferences(fs.readFileSync(sqlFile, 'utf8')).map((reference) => {
      if (reference.kind === 'ref') return reference.name;
      const rawTable = rawTableOfSource.get(reference.name);
      if (!rawTable) {
        throw new Error(
          `asset ${key} (${sqlFile}) calls source('${reference.name}'), which is not a source; ` +
            `known sources: ${[...rawTableOfSource.keys()].join(', ')}`,
        );
      }
      return rawTable;
    });
    return { key, layer, upstream: [...new Set(upstream)], description, sqlFile };
  });

  return buildAssetGraph([...rawAssets, ...modelAssets]);
}

/**
 * Checks `assets` (unique keys, known upstreams, no cycle) and returns the graph over them.
 * @throws Error naming the offending asset and reference.
 */
export function buildAssetGraph(assets: Asset[]): AssetGraph {
  const byKey = new Map<string, Asset>();
  for (const asset of assets) {
    const previous = byKey.get(asset.key);
    if (previous) {
      throw new Error(`two assets are named ${asset.key}: ${describe(previous)} and ${describe(asset)}; rename one`);
    }
    byKey.set(asset.key, asset);
  }

  for (const asset of assets) {
    for (const upstream of asset.upstream) {
      if (!byKey.has(upstream)) {
        throw new Error(`asset ${describe(asset)} refers to unknown asset "${upstream}"; check the ref() name`);
      }
    }
  }

  const layers = dependencyLayers(assets, byKey);

  return {
    assets,
    layers: () => layers.map((layer) => [...layer]),
    get(key) {
      const asset = byKey.get(key);
      if (!asset) throw new Error(`unknown asset "${key}"; known assets: ${[...byKey.keys()].join(', ')}`);
      return asset;
    },
  };
}

export type TemplateReference = { kind: 'ref' | 'source'; name: string };

/** Returns the `ref('…')` and `source('…')` calls of a SQL template, in order of appearance. */
export function templateReferences(sql: string): TemplateReference[] {
  const calls = sql.matchAll(/\b(ref|source)\(\s*(['"])([^'"]+)\2\s*\)/g);
  return [...calls].map((call) => ({ kind: call[1] as 'ref' | 'source', name: call[3] }));
}

function readModelFiles(modelsDir: string) {
  return MODEL_LAYERS.flatMap((layer) => {
    const folder = path.join(modelsDir, layer);
    if (!fs.existsSync(folder)) return [];
    return fs
      .readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .sort()
      .map((name) => {
        const key = name.slice(0, -'.sql'.length);
        const sqlFile = path.join(folder, name);
        return { key, layer, sqlFile, description: modelDescription(path.join(folder, `${key}.yml`)) };
      });
  });
}

/** Reads the `description` of a model's documentation file, or '' when it has none. */
function modelDescription(ymlFile: string): string {
  if (!fs.existsSync(ymlFile)) return '';
  const documentation = parseYaml(fs.readFileSync(ymlFile, 'utf8')) as { description?: unknown } | null;
  return typeof documentation?.description === 'string' ? documentation.description.trim() : '';
}

/** Groups assets by depth: 0 without upstream, otherwise one more than the deepest upstream. */
function dependencyLayers(assets: Asset[], byKey: Map<string, Asset>): string[][] {
  const depth = new Map<string, number>();
  const visiting: string[] = [];

  const depthOf = (asset: Asset): number => {
    const known = depth.get(asset.key);
    if (known !== undefined) return known;
    const cycleStart = visiting.indexOf(asset.key);
    if (cycleStart >= 0) {
      const cycle = [...visiting.slice(cycleStart), asset.key].join(' -> ');
      throw new Error(`asset ${describe(asset)} depends on itself through ref(): ${cycle}`);
    }
    visiting.push(asset.key);
    const value = Math.max(-1, ...asset.upstream.map((key) => depthOf(byKey.get(key)!))) + 1;
    visiting.pop();
    depth.set(asset.key, value);
    return value;
  };

  const layers: string[][] = [];
  for (const asset of assets) {
    const level = depthOf(asset);
    (layers[level] ??= []).push(asset.key);
  }
  return layers.map((keys) => keys.sort());
}

function describe(asset: Asset): string {
  return asset.sqlFile ? `${asset.key} (${asset.sqlFile})` : asset.key;
}
