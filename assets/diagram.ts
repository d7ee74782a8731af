/**
 * Draws the asset graph as a Mermaid flowchart, layers left to right, for the READMEs and
 * `placement graph`.
 */
import type { Asset } from './graph.ts';

const LAYER_TITLES: Record<string, string> = {
  raw: 'raw (lake → warehouse)',
  staging: 'staging',
  ods: 'ODS',
  dim: 'dimension',
  fact: 'fact',
};

export function assetGraphMermaid(assets: Asset[]): string {
  const lines = ['flowchart LR'];
  const layers = [...new Set(assets.map((asset) => asset.layer))];

  for (const layer of layers) {
    lines.push(`  subgraph ${layer}["${LAYER_TITLES[layer] ?? layer}"]`);
    for (const asset of assets.filter((candidate) => candidate.layer === layer)) lines.push(`    ${asset.key}`);
    lines.push('  end');
  }

  for (const asset of assets) {
    for (const upstream of asset.upstream) lines.push(`  ${upstream} --> ${asset.key}`);
  }
  return lines.join('\n');
}
