import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OdooFault } from './faults.ts';
import { DemoOdooStore } from './store.ts';

let store: DemoOdooStore;
let leadIds: number[];

beforeAll(async () => {
  store = await DemoOdooStore.open();
  await store.createRecords('crm.stage', [
    { name: 'Nouveau', sequence: 1 },
    { name: "En recherche d'entreprise", sequence: 2 },
  ]);
  leadIds = await store.createRecords('crm.lead', [
    { name: 'Camille Moreau - Data Analyst', contact_name: 'Moreau', email_from: 'camille@exemple.fr', stage_id: 1, x_region: 'idf', probability: 10, x_nb_enfants: 2 },
    { name: 'Léa Fontaine - DevOps', contact_name: 'Fontaine', email_from: 'LEA@EXEMPLE.FR', stage_id: 2, x_region: 'ara', probability: 50 },
    { name: 'CAMPUSDIST_TAI_P4_ALT', contact_name: 'SY', email_from: false, stage_id: 2, x_region: false, probability: 0 },
    { name: 'TEST TEST', contact_name: '', stage_id: false, active: false, x_date_entree: '2025-01-15' },
  ]);
});

afterAll(async () => {
  await store?.close();
});

const names = async (domain: unknown[], context: Record<string, unknown> = {}) =>
  (await store.searchRead('crm.lead', domain, { fields: ['name'], order: 'id', context })).map((row) => row.name);

describe('domain operators', () => {
  it.each([
    [[['x_region', '=', 'idf']], ['Camille Moreau - Data Analyst']],
    [[['x_region', '!=', 'idf']], ['Léa Fontaine - DevOps', 'CAMPUSDIST_TAI_P4_ALT']],
    [[['probability', '<', 10]], ['CAMPUSDIST_TAI_P4_ALT']],
    [[['probability', '<=', 10]], ['Camille Moreau - Data Analyst', 'CAMPUSDIST_TAI_P4_ALT']],
    [[['probability', '>', 10]], ['Léa Fontaine - DevOps']],
    [[['probability', '>=', 10]], ['Camille Moreau - Data Analyst', 'Léa Fontaine - DevOps']],
    [[['x_region', 'in', ['idf', 'ara']]], ['Camille Moreau - Data Analyst', 'Léa Fontaine - DevOps']],
    [[['x_region', 'in', ['ara', false]]], ['Léa Fontaine - DevOps', 'CAMPUSDIST_TAI_P4_ALT']],
    [[['x_region', 'not in', ['idf']]], ['Léa Fontaine - DevOps', 'CAMPUSDIST_TAI_P4_ALT']],
    [[['email_from', 'like', 'exemple']], ['Camille Moreau - Data Analyst']],
    [[['email_from', 'ilike', 'exemple']], ['Camille Moreau - Data Analyst', 'Léa Fontaine - DevOps']],
    [[['name', '=like', 'CAMPUS%']], ['CAMPUSDIST_TAI_P4_ALT']],
    [[['name', '=ilike', 'campus%']], ['CAMPUSDIST_TAI_P4_ALT']],
    [[['email_from', 'not like', 'EXEMPLE']], ['Camille Moreau - Data Analyst', 'CAMPUSDIST_TAI_P4_ALT']],
    [[['email_from', 'not ilike', 'exemple']], ['CAMPUSDIST_TAI_P4_ALT']],
    [[['email_from', '=', false]], ['CAMPUSDIST_TAI_P4_ALT']],
    [[['email_from', '!=', false]], ['Camille Moreau - Data Analyst', 'Léa Fontaine - DevOps']],
    [[['x_nb_enfants', '=', 2]], ['Camille Moreau - Data Analyst']],
    [[['stage_id', '=', 2]], ['Léa Fontaine - DevOps', 'CAMPUSDIST_TAI_P4_ALT']],
    [[['stage_id', 'ilike', 'recherche']], ['Léa Fontaine - DevOps', 'CAMPUSDIST_TAI_P4_ALT']],
    [[['stage_id.name', '=', 'Nouveau']], ['Camille Moreau - Data Analyst']],
    [['|', ['x_region', '=', 'idf'], ['probability', '=', 0]], ['Camille Moreau - Data Analyst', 'CAMPUSDIST_TAI_P4_ALT']],
    [['&', ['stage_id', '=', 2], ['probability', '>', 0]], ['Léa Fontaine - DevOps']],
    [['!', ['stage_id', '=', 2]], ['Camille Moreau - Data Analyst']],
    [[['stage_id', '=', 2], ['probability', '>', 0]], ['Léa Fontaine - DevOps']],
    [['|', '!', ['stage_id', '=', 2], ['x_region', '=', 'ara'], ['probability', '>', 5]], ['Camille Moreau - Data Analyst', 'Léa Fontaine - DevOps']],
    [[['name', '=', "x' OR 1=1 --"]], []],
  ])('%j', async (domain, expected) => {
    expect(await names(domain)).toEqual(expected);
  });

  it('includes archived rows when the domain names active or active_test is false', async () => {
    expect(await names([['stage_id', '=', false]])).toEqual([]);
    expect(await names([['stage_id', '=', false]], { active_test: false })).toEqual(['TEST TEST']);
    expect(await names([['active', '=', false]])).toEqual(['TEST TEST']);
    expect(await store.count('crm.lead')).toBe(3);
    expect(await store.count('crm.lead', false)).toBe(4);
  });

  it('accepts dates as date, datetime and T-separated datetime strings', async () => {
    for (const value of ['2025-01-15', '2025-01-15 00:00:00', '2025-01-15T08:30:00']) {
      expect(await names([['x_date_entree', '=', value]], { active_test: false })).toEqual(['TEST TEST']);
    }
    const created = await store.searchRead('crm.lead', [], { fields: ['create_date'], limit: 1 });
    const day = String(created[0].create_date).slice(0, 10);
    expect(await store.searchCount('crm.lead', [['create_date', '>=', day]])).toBe(3);
    expect(await store.searchCount('crm.lead', [['create_date', '>=', `${day}T00:00:00`]])).toBe(3);
  });

  it('refuses an impossible date with fault 1', async () => {
    const error = await store.searchCount('crm.lead', [['create_date', '>=', '2025-02-31']]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OdooFault);
    expect((error as OdooFault).faultCode).toBe(1);
  });

  it('refuses unknown fields with the ValueError Odoo raises', async () => {
    const error = (await store.search('crm.lead', [['foo', '=', 1]]).catch((caught: unknown) => caught)) as OdooFault;
    expect(error.faultString.trimEnd().split('\n').at(-1)).toBe("ValueError: Invalid field crm.lead.foo in leaf ('foo', '=', 1)");
  });
});

describe('writes', () => {
  const rawStamps = async (ids: number[]) =>
    store.query(
      `SELECT "id", strftime("create_date", '%Y-%m-%d %H:%M:%S.%f'), strftime("write_date", '%Y-%m-%d %H:%M:%S.%f')
       FROM "crm_lead" WHERE "id" IN (${ids.map(() => '?').join(', ')}) ORDER BY "id"`,
      ids,
    );

  it('stamps every row of one create with one timestamp carrying microseconds', async () => {
    const stamps = await rawStamps(leadIds);
    expect(new Set(stamps.map((row) => row[1])).size).toBe(1);
    expect(stamps.every((row) => row[1] === row[2])).toBe(true);
    expect(String(stamps[0][1])).toMatch(/\.\d{6}$/);
  });

  it('stamps one write_date per write, keeps ids and create_date, and returns whole seconds', async () => {
    const before = await rawStamps(leadIds);
    await store.writeRecords('crm.lead', leadIds.slice(0, 2), { priority: '3' });
    const after = await rawStamps(leadIds);
    expect(after.map((row) => row[0])).toEqual(leadIds);
    expect(after[0][2]).toBe(after[1][2]);
    expect(after[0][2]).not.toBe(before[0][2]);
    expect(after[2][2]).toBe(before[2][2]);
    expect(after.map((row) => row[1])).toEqual(before.map((row) => row[1]));

    const [read] = await store.read('crm.lead', [leadIds[0]], { fields: ['write_date', 'priority'] });
    expect(read.write_date).toBe(String(after[0][2]).slice(0, 19));
    expect(read.priority).toBe('3');
    expect(await store.searchCount('crm.lead', [['write_date', '=', read.write_date]])).toBe(0);
    expect(await store.searchCount('crm.lead', [['write_date', '=', String(after[0][2])]])).toBe(2);
  });

  it('refuses to write a missing id with fault 2', async () => {
    const error = (await store.writeRecords('crm.lead', [424242], { name: 'x' }).catch((caught: unknown) => caught)) as OdooFault;
    expect(error.faultCode).toBe(2);
  });

  it('deletes rows and never hands their ids out again', async () => {
    const [id] = await store.createRecords('crm.lead', [{ name: 'Temporaire' }]);
    await store.deleteRecords('crm.lead', [id]);
    expect(await store.read('crm.lead', [id], { fields: ['name'] })).toEqual([]);
    const [next] = await store.createRecords('crm.lead', [{ name: 'Suivant' }]);
    expect(next).toBe(id + 1);
    await store.deleteRecords('crm.lead', [next]);
  });
});
