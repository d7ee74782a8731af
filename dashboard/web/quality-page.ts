/** « Qualité des données »: the latest check results with severity, trend and masked failing examples. */
import type { CheckResult } from '../data/quality.ts';
import { maskValue } from '../data/quality.ts';
import { formatCount, formatInstant } from './format.ts';
import { html, type SafeHtml } from './html.ts';

const STATUS_LABELS: Record<string, string> = {
  passed: 'réussi',
  pass: 'réussi',
  warn: 'avertissement',
  warning: 'avertissement',
  failed: 'échoué',
  fail: 'échoué',
  error: 'erreur',
};

export function qualityContent(data: { runDate?: string; results: CheckResult[] }, timezone: string): SafeHtml {
  if (data.results.length === 0) {
    return html`<h1>Qualité des données</h1>
<p class="empty">Aucun résultat de contrôle publié pour l'instant : les contrôles s'exécutent à la fin du pipeline quotidien.</p>`;
  }
  const failed = data.results.filter((result) => statusKind(result.status) === 'failed').length;
  const warned = data.results.filter((result) => statusKind(result.status) === 'warn').length;
  return html`<h1>Qualité des données</h1>
<p>Contrôles de l'exécution du ${data.runDate} : <strong>${formatCount(data.results.length)}</strong> contrôles,
<span class="flag no">${formatCount(failed)} échoué(s)</span>, <span class="flag other">${formatCount(warned)} avertissement(s)</span>.</p>
<div class="table-wrap"><table id="checks">
<thead><tr><th scope="col">Statut</th><th scope="col">Sévérité</th><th scope="col">Contrôle</th><th scope="col">Table</th>
<th scope="col">Lignes en échec</th><th scope="col">Seuil</th><th scope="col">Tendance (${formatCount(14)} dernières exécutions)</th><th scope="col">Exemples (masqués)</th><th scope="col">Vérifié le</th></tr></thead>
<tbody>
${data.results.map((result) => row(result, timezone))}
</tbody></table></div>`;
}

function row(result: CheckResult, timezone: string): SafeHtml {
  const kind = statusKind(result.status);
  const share =
    result.failingRows !== null && result.totalRows
      ? ` (${((100 * result.failingRows) / result.totalRows).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %)`
      : '';
  return html`<tr class="check ${kind}">
<td><span class="status ${kind}">${STATUS_LABELS[result.status.toLowerCase()] ?? result.status}</span></td>
<td>${result.severity}</td>
<td>${result.checkName}</td>
<td><code>${result.asset}</code></td>
<td>${result.failingRows === null ? '—' : formatCount(result.failingRows)}${result.totalRows !== null ? html` / ${formatCount(result.totalRows)}` : ''}${share}</td>
<td>${result.threshold === null ? '—' : result.threshold.toLocaleString('fr-FR')}</td>
<td>${trend(result)}</td>
<td class="samples">${result.sampleKeys.slice(0, 5).map((key) => html`<code>${maskValue(key)}</code> `)}</td>
<td>${result.checkedAt ? formatInstant(result.checkedAt, timezone) : ''}</td>
</tr>`;
}

/** One square per run, oldest first, coloured by status; the title gives the date and the count. */
function trend(result: CheckResult): SafeHtml {
  const size = 12;
  const squares = result.history.map(
    (entry, index) =>
      html`<rect x="${index * (size + 3)}" y="0" width="${size}" height="${size}" rx="2" class="trend ${statusKind(entry.status)}"><title>${entry.runDate} : ${STATUS_LABELS[entry.status.toLowerCase()] ?? entry.status}${entry.failingRows !== null ? `, ${entry.failingRows} ligne(s)` : ''}</title></rect>`,
  );
  const width = Math.max(1, result.history.length * (size + 3));
  return html`<svg width="${width}" height="${size}" viewBox="0 0 ${width} ${size}" role="img" aria-label="Tendance de ${result.checkName}">${squares}</svg>`;
}

export function statusKind(status: string): 'passed' | 'warn' | 'failed' {
  const value = status.toLowerCase();
  if (['failed', 'fail', 'error'].includes(value)) return 'failed';
  if (['warn', 'warning'].includes(value)) return 'warn';
  return 'passed';
}
