import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOdooMapping } from './odoo-mapping.ts';
import { ConfigurationError, PROJECT_ROOT } from './settings.ts';

const DEFAULT_MAPPING = path.join(PROJECT_ROOT, 'config', 'odoo-mapping.yaml');

/** Writes the default mapping with one line replaced, and returns the file path. */
function mappingWith(search: string, replacement: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'placement-mapping-')), 'mapping.yaml');
  const text = fs.readFileSync(DEFAULT_MAPPING, 'utf8');
  expect(text).toContain(search);
  fs.writeFileSync(file, text.replace(search, replacement));
  return file;
}

describe('loadOdooMapping', () => {
  it('loads the mapping shipped in the repository', () => {
    const mapping = loadOdooMapping(DEFAULT_MAPPING);
    expect(mapping.leadFields.prenom).toBe('x_contact_firstname');
    expect(mapping.searchStage).toBe("En recherche d'entreprise");
  });

  it.each([
    ["rsa: '\\bRSA\\b'", "rsa: ''", /survey.questions.rsa: matches the empty string/],
    ["rsa: '\\bRSA\\b'", "rsa: '(?<=x)RSA'", /survey.questions.rsa: uses lookahead, lookbehind/],
    ["rsa: '\\bRSA\\b'", "rsa: '(RSA'", /survey.questions.rsa: must be a valid regular expression/],
    ['prenom: x_contact_firstname', 'prenom: X-Prénom', /crm_lead.fields.prenom: must be an Odoo field name/],
  ])('rejects %s replaced by %s', (search, replacement, message) => {
    const file = mappingWith(search, replacement);
    expect(() => loadOdooMapping(file)).toThrow(ConfigurationError);
    expect(() => loadOdooMapping(file)).toThrow(message);
  });

  it('names the file on a YAML syntax error', () => {
    const file = mappingWith('crm_lead:', 'crm_lead: [');
    expect(() => loadOdooMapping(file)).toThrow(new RegExp(`invalid YAML in the Odoo mapping ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});
