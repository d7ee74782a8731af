/** `placement graph`: prints the asset graph (Mermaid or JSON). */
import { Command } from 'commander';
import { loadOdooMapping } from '../../config/odoo-mapping.ts';
import { loadSettings } from '../../config/settings.ts';
import { assetGraphMermaid } from '../../assets/diagram.ts';
import { loadAssetGraph } from '../../assets/graph.ts';

export const graphCommand = new Command('graph')
  .description('print the asset graph as a Mermaid flowchart (layers left to right)')
  .option('--json', 'print the assets with their layer and upstream assets as JSON')
  .action((options: { json?: boolean }) => {
    const settings = loadSettings();
    const graph = loadAssetGraph(loadOdooMapping(settings.odoo.mappingFile));
    if (options.json) {
      const assets = graph.assets.map(({ key, layer, upstream, source }) => ({ key, layer, upstream, source }));
      process.stdout.write(`${JSON.stringify(assets, null, 2)}\n`);
      return;
    }
    process.stdout.write(`${assetGraphMermaid(graph.assets)}\n`);
  });
