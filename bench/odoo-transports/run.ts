/**
 * Compares the Odoo transports side by side on one demo Odoo:
 * the connector over XML-RPC (its own decoder, then the `xmlrpc` package's decoder), over JSON-RPC
 * and over JSON-2, the `xmlrpc` package's own client, and Python's standard `xmlrpc.client`
 * (/usr/bin/python3), each reading every `survey.user_input.line` by keyset pages.
 *
 * The demo Odoo runs in a child process, so the CPU time measured here is the client's alone.
 * A second table times the decoders alone on the same page bytes.
 *
 *   node bench/odoo-transports/run.ts [--scale small] [--page-sizes 1000,5000] [--repeat 2]
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createJson2OdooClient } from '../../odoo/json2-client.ts';
import { createJsonRpcOdooClient } from '../../odoo/jsonrpc-client.ts';
import type { OdooTransportClient } from '../../odoo/model-client.ts';
import { decodeMethodResponse, encodeMethodCall } from '../../odoo/xmlrpc-codec.ts';
import { decodeXmlRpcResponse } from '../../odoo/xmlrpc-decoder.ts';
import { createXmlRpcOdooClient } from '../../odoo/xmlrpc-client.ts';

const PYTHON = '/usr/bin/python3';
const MODEL = 'survey.user_input.line';
const FIELDS = [
  'id',
  'user_input_id',
  'survey_id',
  'question_id',
  'answer_type',
  'skipped',
  'value_char_box',
  'value_numerical_box',
  'value_scale',
  'value_date',
  'value_datetime',
  'value_text_box',
  'suggested_answer_id',
  'matrix_row_id',
  'create_date',
  'write_date',
];
const ALL_RECORDS = { active_test: false };

type Demo = { url: string; db: string; user: string; password: string; lines: number };
type Measure = { rows: number; wallSeconds: number; cpuSeconds: number };
type Row = Measure & { client: string; pageSize: number; bytes: number };

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: 'small' },
    'page-sizes': { type: 'string', default: '1000,5000' },
    repeat: { type: 'string', default: '2' },
  },
});
const pageSizes = args['page-sizes'].split(',').map(Number);
const repeat = Number(args.repeat);
if (pageSizes.some((size) => !Number.isInteger(size) || size <= 0)) throw new Error(`--page-sizes must list positive whole numbers, got "${args['page-sizes']}"`);
if (!Number.isInteger(repeat) || repeat <= 0) throw new Error(`--repeat must be a positive whole number, got "${args.repeat}"`);

/** Starts the demo Odoo in a child process; the generated store is kept under .data/ for later runs. */
async function startDemo(scale: string): Promise<{ demo: Demo; stop(): void }> {
  const storePath = path.resolve(import.meta.dirname, `../../.data/bench-demo-odoo-${scale}.duckdb`);
  fs.mkdirSync(path.dirname(storePath), { recursive: true });
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'serve-demo.ts'), scale, storePath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline !== -1) resolve(buffered.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`the demo Odoo exited with code ${code} before serving`)));
  });
  return { demo: JSON.parse(firstLine) as Demo, stop: () => child.stdin.end() };
}

async function measure(read: () => Promise<number>): Promise<Measure> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const rows = await read();
  const cpu = process.cpuUsage(cpuBefore);
  return { rows, wallSeconds: (performance.now() - startedAt) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function readWithConnector(client: OdooTransportClient, pageSize: number): Promise<number> {
  let rows = 0;
  for (let afterId = 0; ; ) {
    const page = await client.keysetPage({ model: MODEL, domain: [], fields: FIELDS, pageSize, afterId, context: ALL_RECORDS });
    if (page.length === 0) return rows;
    rows += page.length;
    afterId = page[page.length - 1].id;
  }
}

type PackageClient = { methodCall(method: string, params: unknown[], callback: (error: unknown, value: unknown) => void): void };
const require = createRequire(import.meta.url);
const xmlrpcPackage = require('xmlrpc') as { createClient(options: { url: string }): PackageClient };

async function readWithPackageClient(demo: Demo, pageSize: number): Promise<number> {
  const call = (client: PackageClient, method: string, params: unknown[]) =>
    new Promise<unknown>((resolve, reject) => client.methodCall(method, params, (error, value) => (error ? reject(error) : resolve(value))));
  const uid = await call(xmlrpcPackage.createClient({ url: `${demo.url}/xmlrpc/2/common` }), 'authenticate', [demo.db, demo.user, demo.password, {}]);
  const objects = xmlrpcPackage.createClient({ url: `${demo.url}/xmlrpc/2/object` });
  let rows = 0;
  for (let afterId = 0; ; ) {
    const kwargs = { fields: FIELDS, order: 'id asc', limit: pageSize, context: ALL_RECORDS };
    const page = (await call(objects, 'execute_kw', [demo.db, uid, demo.password, MODEL, 'search_read', [[['id', '>', afterId]]], kwargs])) as { id: number }[];
    if (page.length === 0) return rows;
    rows += page.length;
    afterId = page[page.length - 1].id;
  }
}

function readWithPython(demo: Demo, pageSize: number): Measure {
  const script = path.join(import.meta.dirname, 'python_client.py');
  const output = execFileSync(PYTHON, [script, demo.url, demo.db, demo.user, demo.password, MODEL, String(pageSize), FIELDS.join(',')]);
  const result = JSON.parse(output.toString('utf8')) as { rows: number; wall: number; cpu: number };
  return { rows: result.rows, wallSeconds: result.wall, cpuSeconds: result.cpu };
}

/** Raw response bodies of every page in one wire format, to count bytes and to feed the decoder table. */
async function rawPages(demo: Demo, format: 'xml' | 'json-rpc' | 'json-2', pageSize: number): Promise<Buffer[]> {
  const pages: Buffer[] = [];
  for (let afterId = 0; ; ) {
    const domain = [['id', '>', afterId]];
    const kwargs = { fields: FIELDS, order: 'id asc', limit: pageSize, context: ALL_RECORDS };
    let response: Response;
    if (format === 'xml') {
      const body = encodeMethodCall('execute_kw', [demo.db, 2, demo.password, MODEL, 'search_read', [domain], kwargs]);
      response = await fetch(`${demo.url}/xmlrpc/2/object`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
    } else if (format === 'json-rpc') {
      const params = { service: 'object', method: 'execute_kw', args: [demo.db, 2, demo.password, MODEL, 'search_read', [domain], kwargs] };
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id: 1 });
      response = await fetch(`${demo.url}/jsonrpc`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    } else {
      const body = JSON.stringify({ domain, ...kwargs });
      const headers = { 'Content-Type': 'application/json', Authorization: `bearer ${demo.password}`, 'X-Odoo-Database': demo.db };
      response = await fetch(`${demo.url}/json/2/${MODEL}/search_read`, { method: 'POST', headers, body });
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const decoded = format === 'xml' ? (decodeXmlRpcResponse(bytes) as { id: number }[]) : jsonRows(bytes, format);
    if (decoded.length === 0) return pages;
    pages.push(bytes);
    afterId = decoded[decoded.length - 1].id;
  }
}

function jsonRows(bytes: Buffer, format: 'json-rpc' | 'json-2'): { id: number }[] {
  const parsed = JSON.parse(bytes.toString('utf8'));
  return format === 'json-rpc' ? parsed.result : parsed;
}

function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join(' | ')} |`;
  return [line(headers), `| ${widths.map((width, index) => (index === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

function cpuSecondsOf(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

async function main(): Promise<void> {
  if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} not found: the benchmark compares against Debian's python3 standard library`);
  const pythonVersion = execFileSync(PYTHON, ['--version']).toString().trim();
  const started = Date.now();
  process.stderr.write(`Starting the demo Odoo (scale ${args.scale}; the first run generates its data)…\n`);
  const { demo, stop } = await startDemo(args.scale);
  try {
    const connection = { url: demo.url, db: demo.db, user: demo.user, apiKey: demo.password, timeoutMs: 600_000 };
    const clients: [string, () => OdooTransportClient][] = [
      ['connector XML-RPC', () => createXmlRpcOdooClient(connection)],
      ['connector XML-RPC, xmlrpc package decoder', () => createXmlRpcOdooClient({ ...connection, decoder: 'xmlrpc-package' })],
      ['connector JSON-RPC', () => createJsonRpcOdooClient(connection)],
      ['connector JSON-2', () => createJson2OdooClient(connection)],
    ];

    const results: Row[] = [];
    const decoderRows: string[][] = [];
    for (const pageSize of pageSizes) {
      const xmlPages = await rawPages(demo, 'xml', pageSize);
      const jsonRpcPages = await rawPages(demo, 'json-rpc', pageSize);
      const json2Pages = await rawPages(demo, 'json-2', pageSize);
      const size = (pages: Buffer[]) => pages.reduce((total, page) => total + page.length, 0);
      const bytesOf: Record<string, number> = {
        'connector JSON-RPC': size(jsonRpcPages),
        'connector JSON-2': size(json2Pages),
      };

      const best = new Map<string, Measure>();
      const keep = (client: string, result: Measure) => {
        const previous = best.get(client);
        if (!previous || result.wallSeconds < previous.wallSeconds) best.set(client, result);
      };
      // Runs interleave, so that a slow moment of a shared machine does not fall on one client only.
      for (let round = 0; round < repeat; round++) {
        for (const [name, create] of clients) {
          const client = create();
          await client.authenticate();
          keep(name, await measure(() => readWithConnector(client, pageSize)));
          client.close();
        }
        keep('xmlrpc package client', await measure(() => readWithPackageClient(demo, pageSize)));
        keep('Python xmlrpc.client', readWithPython(demo, pageSize));
        process.stderr.write(`  page size ${pageSize}: round ${round + 1} of ${repeat} done\n`);
      }
      for (const [client, result] of best) results.push({ client, pageSize, bytes: bytesOf[client] ?? size(xmlPages), ...result });

      // Decoders alone, on the largest page of this page size.
      const page = xmlPages.reduce((largest, candidate) => (candidate.length > largest.length ? candidate : largest));
      const jsonPage = jsonRpcPages[xmlPages.indexOf(page)];
      const pageFile = path.join(os.tmpdir(), `odoo-transports-page-${process.pid}.xml`);
      fs.writeFileSync(pageFile, page);
      const runs = 5;
      const timings: [string, number, number][] = [];
      const bestOf = (run: () => unknown) => Math.min(...Array.from({ length: runs }, () => cpuSecondsOf(run)));
      timings.push(['connector XML-RPC decoder', page.length, bestOf(() => decodeXmlRpcResponse(page))]);
      let packageSeconds = Number.POSITIVE_INFINITY;
      for (let run = 0; run < runs; run++) {
        const before = process.cpuUsage();
        await decodeMethodResponse(Readable.from([page]));
        const used = process.cpuUsage(before);
        packageSeconds = Math.min(packageSeconds, (used.user + used.system) / 1e6);
      }
      timings.push(['xmlrpc package decoder', page.length, packageSeconds]);
      const python = JSON.parse(execFileSync(PYTHON, [path.join(import.meta.dirname, 'python_decode.py'), pageFile, String(runs)]).toString());
      timings.push(['Python xmlrpc.client.loads', page.length, python.cpu as number]);
      const jsonText = jsonPage.toString('utf8');
      timings.push(['JSON.parse of the JSON-RPC body', jsonPage.length, bestOf(() => JSON.parse(jsonText))]);
      fs.rmSync(pageFile);
      const pythonRate = page.length / python.cpu;
      for (const [decoder, bytes, seconds] of timings) {
        decoderRows.push([
          decoder,
          String(pageSize),
          (bytes / 1e6).toFixed(2),
          (seconds * 1000).toFixed(1),
          (bytes / 1e6 / seconds).toFixed(1),
          decoder.startsWith('JSON') ? '' : `${(bytes / seconds / pythonRate).toFixed(2)}×`,
        ]);
      }
    }

    const tableRows = results.map((result) => {
      const python = results.find((candidate) => candidate.client === 'Python xmlrpc.client' && candidate.pageSize === result.pageSize)!;
      const rowsPerSecond = result.rows / result.wallSeconds;
      const cpuPerThousand = (result.cpuSeconds * 1000) / (result.rows / 1000);
      const pythonCpuPerThousand = (python.cpuSeconds * 1000) / (python.rows / 1000);
      return [
        result.client,
        String(result.pageSize),
        String(result.rows),
        Math.round(rowsPerSecond).toLocaleString('en'),
        (result.bytes / 1e6 / result.wallSeconds).toFixed(1),
        cpuPerThousand.toFixed(1),
        `${(rowsPerSecond / (python.rows / python.wallSeconds)).toFixed(2)}×`,
        `${(cpuPerThousand / pythonCpuPerThousand).toFixed(2)}×`,
      ];
    });

    const cpus = os.cpus();
    console.log(`\nOdoo transports, ${new Date(started).toISOString()}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${pythonVersion}`);
    console.log(`demo Odoo scale ${args.scale} (${demo.lines} survey answer lines), model ${MODEL}, ${FIELDS.length} fields, best of ${repeat} runs\n`);
    console.log(
      formatTable(
        ['client', 'page size', 'rows', 'rows/s', 'MB/s', 'CPU ms / 1,000 rows', 'rows/s vs Python', 'CPU vs Python'],
        tableRows,
      ),
    );
    console.log('\nDecoders alone, on the largest page (CPU time, best of 5):\n');
    console.log(formatTable(['decoder', 'page size', 'MB', 'CPU ms', 'MB/s', 'speed vs Python'], decoderRows));
  } finally {
    stop();
  }
}

await main();
