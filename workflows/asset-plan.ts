/**
 * Pure helpers over the planned asset graph, safe to import from workflow code (no I/O).
 */

/** One asset as the workflow sees it: small data returned by the `planAssets` activity. */
export type PlannedAsset = {
  key: string;
  layer: string;
  upstream: string[];
  /** Source extracted from Odoo that a raw asset loads. */
  source?: string;
};

/** Data layers in materialisation order. */
export const LAYER_ORDER = ['raw', 'staging', 'ods', 'dim', 'fact'] as const;

/**
 * Splits the plan into steps run one after the other: data layers in LAYER_ORDER, and inside a
 * layer, assets that depend on another asset of the same layer go in a later step.
 */
export function executionSteps(plan: PlannedAsset[]): PlannedAsset[][] {
  const byKey = new Map(plan.map((asset) => [asset.key, asset]));
  const depth = new Map<string, number>();

  const depthOf = (asset: PlannedAsset, visiting: Set<string>): number => {
    const known = depth.get(asset.key);
    if (known !== undefined) return known;
    if (visiting.has(asset.key)) throw new Error(`asset graph has a cycle through ${asset.key}`);
    visiting.add(asset.key);
    let value = 0;
    for (const upstreamKey of asset.upstream) {
      const upstream = byKey.get(upstreamKey);
      if (upstream && upstream.layer === asset.layer) value = Math.max(value, depthOf(upstream, visiting) + 1);
    }
    visiting.delete(asset.key);
    depth.set(asset.key, value);
    return value;
  };

  const steps: PlannedAsset[][] = [];
  const layers = [...LAYER_ORDER, ...new Set(plan.map((asset) => asset.layer))].filter(
    (layer, index, all) => all.indexOf(layer) === index,
  );
  for (const layer of layers) {
    const inLayer = plan.filter((asset) => asset.layer === layer);
    const maxDepth = Math.max(-1, ...inLayer.map((asset) => depthOf(asset, new Set())));
    for (let level = 0; level <= maxDepth; level++) {
      steps.push(inLayer.filter((asset) => depth.get(asset.key) === level));
    }
  }
  return steps.filter((step) => step.length > 0);
}

/** Returns the first upstream of `asset` that did not succeed, or undefined when all did. */
export function blockedUpstream(
  asset: PlannedAsset,
  statuses: { asset: string; status: string }[],
): string | undefined {
  return asset.upstream.find((key) => statuses.find((entry) => entry.asset === key)?.status !== 'succeeded');
}
