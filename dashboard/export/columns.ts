/** Columns of the exported list, in the order and with the headings of the page's table. */
import type { CandidateRow } from '../data/candidates.ts';

export type ExportColumn = { heading: string; value: (row: CandidateRow) => string | null | undefined; sensitive?: boolean };

export const EXPORT_COLUMNS: ExportColumn[] = [
  { heading: 'Fiche candidat', value: (row) => row.lien_fiche_crm },
  { heading: 'CV', value: (row) => row.lien_cv ?? 'pas de CV' },
  { heading: 'Prénom', value: (row) => row.prenom },
  { heading: 'Nom', value: (row) => row.nom },
  { heading: 'Formation', value: (row) => row.formation },
  { heading: 'Email', value: (row) => row.email },
  { heading: 'Téléphone', value: (row) => row.telephone },
  { heading: 'Région', value: (row) => row.region_candidat },
  { heading: 'Ville', value: (row) => row.ville_candidat },
  { heading: 'Région de la session', value: (row) => row.region_formation },
  { heading: 'QPV', value: (row) => row.qpv, sensitive: true },
  { heading: 'RSA', value: (row) => row.rsa, sensitive: true },
  { heading: 'RQTH', value: (row) => row.rqth, sensitive: true },
  { heading: 'Contrat alternance', value: (row) => row.contrat_alternance },
  { heading: 'Mobilité', value: (row) => row.mobilite },
  { heading: 'Remarque', value: (row) => row.remarque },
];

export function exportColumns(sensitive: boolean): ExportColumn[] {
  return EXPORT_COLUMNS.filter((column) => sensitive || !column.sensitive);
}
