/** « Pipeline »: the asset graph drawn left to right, each asset with its last build and check status. */
import { assetColumns, type PipelineAsset } from '../data/pipeline.ts';
import { formatCount, formatInstant } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { statusKind } from './quality-page.ts';

const NODE_WIDTH = 250;
const NODE_HEIGHT = 58;
const COLUMN_GAP = 70;
const ROW_GAP = 14;

export type PipelinePageOptions = { timezone: string; temporalUiUrl: string; temporalNamespace: string };

export function pipelineContent(assets: PipelineAsset[], options: PipelinePageOptions): SafeHtml {
  if (assets.length === 0) {
    return html`<h1>Pipeline</h1><p class="empty">Le graphe des tables n'a pas encore été publié.</p>`;
  }
  return html`<h1>Pipeline</h1>
<p>Chaque table du pipeline quotidien, des données brutes d'Odoo (à gauche) à la table des candidats (à droite). Un clic ouvre l'exécution dans Temporal.</p>
<div class="graph">${graph(assets, options)}</div>
<h2>Détail</h2>
<div class="table-wrap"><table id="assets"><thead><tr><th scope="col">Table</th><th scope="col">Couche</th><th scope="col">Dernière construction</th>
<th scope="col">Lignes</th><th scope="col">Contrôles</th><th scope="col">Exécution</th></tr></thead>
<tbody>${[...assets]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map(
      (asset) => html`<tr><td><code>${asset.key}</code></td><td>${asset.layer}</td>
<td>${asset.materializedAt ? formatInstant(asset.materializedAt, options.timezone) : 'jamais'}</td>
<td>${asset.rows === undefined ? '—' : formatCount(asset.rows)}</td><td>${checkLabel(asset)}</td>
<td>${runUrl(asset, options) ? html`<a href="${runUrl(asset, options)}" target="_blank" rel="noopener noreferrer">${asset.workflowId}</a>` : '—'}</td></tr>`,
    )}</tbody></table></div>`;
}

function graph(assets: PipelineAsset[], options: PipelinePageOptions): SafeHtml {
  const columns = assetColumns(assets);
  const position = new Map<string, { x: number; y: number }>();
  const tallest = Math.max(...columns.map((column) => column.length));
  columns.forEach((column, columnIndex) => {
    // Short columns are centred vertically against the tallest one.
    const offset = ((tallest - column.length) * (NODE_HEIGHT + ROW_GAP)) / 2;
    column.forEach((asset, rowIndex) => {
      position.set(asset.key, { x: columnIndex * (NODE_WIDTH + COLUMN_GAP), y: offset + rowIndex * (NODE_HEIGHT + ROW_GAP) });
    });
  });
  const width = columns.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP + 2;
  const height = tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP + 2;

  const edges = assets.flatMap((asset) =>
    asset.upstream
      .filter((key) => position.has(key))
      .map((key) => {
        const from = position.get(key)!;
        const to = position.get(asset.key)!;
        const x1 = from.x + NODE_WIDTH;
        const y1 = from.y + NODE_HEIGHT / 2;
        const x2 = to.x;
        const y2 = to.y + NODE_HEIGHT / 2;
        const bend = (x2 - x1) / 2;
        return html`<path class="edge" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}"></path>`;
      }),
  );

  const nodes = assets.map((asset) => {
    const { x, y } = position.get(asset.key)!;
    const kind = asset.checkStatus ? statusKind(asset.checkStatus) : 'none';
    const built = asset.materializedAt ? formatInstant(asset.materializedAt, options.timezone) : 'jamais construite';
    const rows = asset.rows === undefined ? '' : ` · ${formatCount(asset.rows)} lignes`;
    const body = html`<rect x="${x}" y="${y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6" class="node ${asset.layer}"></rect>
<circle cx="${x + NODE_WIDTH - 14}" cy="${y + 14}" r="6" class="check ${kind}"><title>Contrôles : ${checkLabel(asset)}</title></circle>
<text x="${x + 10}" y="${y + 20}" class="node-name">${asset.key.length > 32 ? `${asset.key.slice(0, 31)}…` : asset.key}</text>
<text x="${x + 10}" y="${y + 38}" class="node-meta">${built}</text>
<text x="${x + 10}" y="${y + 52}" class="node-meta">${asset.layer}${rows}</text>`;
    const url = runUrl(asset, options);
    return html`<g class="asset" data-asset="${asset.key}"><title>${asset.key}</title>${
      url ? html`<a href="${url}" target="_blank" rel="noopener noreferrer">${body}</a>` : body
    }</g>`;
  });

  return html`<svg id="asset-graph" viewBox="-1 -1 ${width} ${height}" width="100%" role="img" aria-label="Graphe des tables du pipeline">${edges}${nodes}</svg>`;
}

function checkLabel(asset: PipelineAsset): string {
  if (!asset.checkStatus) return 'aucun contrôle';
  return { passed: 'réussis', warn: 'avertissement', failed: 'en échec' }[statusKind(asset.checkStatus)];
}

/** The run's page in the Temporal Web UI, or undefined when the asset was never built. */
export function runUrl(asset: PipelineAsset, options: PipelinePageOptions): string | undefined {
  if (!asset.workflowId) return undefined;
  const base = `${options.temporalUiUrl}/namespaces/${encodeURIComponent(options.temporalNamespace)}/workflows/${encodeURIComponent(asset.workflowId)}`;
  return asset.runId ? `${base}/${encodeURIComponent(asset.runId)}/history` : base;
}
