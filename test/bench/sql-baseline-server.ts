/**
 * The data's floor for the GraphQL benchmark: the same three answers computed by direct SQL on a plain node:http
 * server, no GraphQL, no ORM. Usage: node sql-baseline-server.js <database> <port>; GET /?q=index|series|facts.
 */
import http from 'node:http';
import Database from 'better-sqlite3';

const [file, port] = process.argv.slice(2);
const db = new Database(file, { readonly: true, fileMustExist: true });
const RATIOS = ['netto_driftsresultat', 'frie_inntekter', 'netto_finansutgifter', 'avdrag', 'brutto_investeringsutgifter', 'netto_lanegjeld', 'disposisjonsfond'];
const members = db.prepare("SELECT municipality_key FROM peer_group_member WHERE group_id = 'asss-u-oslo'").pluck().all() as string[];

const amountsOf = (n: number) => db.prepare(`SELECT r.municipality_key AS k, f.year AS y, i.key AS ind, SUM(f.value) AS v FROM fact f
  JOIN indicator i ON i.id = f.indicator_id JOIN region r ON r.code = f.region_code
  WHERE f.service_area_code = 'ALL' AND f.year BETWEEN ? AND ? AND i.key IN (${Array.from({ length: n }, () => '?').join(',')})
    AND r.municipality_key IS NOT NULL AND f.value IS NOT NULL GROUP BY 1, 2, 3`);
const memberAmounts = db.prepare(`SELECT r.municipality_key AS k, i.key AS ind, SUM(f.value) AS v FROM fact f
  JOIN indicator i ON i.id = f.indicator_id JOIN region r ON r.code = f.region_code
  WHERE f.service_area_code = 'ALL' AND f.year = 2024 AND i.key IN (${[...RATIOS, 'bdi'].map(() => '?').join(',')})
    AND r.municipality_key IN (${members.map(() => '?').join(',')}) AND f.value IS NOT NULL GROUP BY 1, 2`);
const twoAmounts = amountsOf(2);

function index() {
  const rows = memberAmounts.all(...RATIOS, 'bdi', ...members) as { k: string; ind: string; v: number }[];
  const by = new Map<string, number>(rows.map((r) => [`${r.k}|${r.ind}`, r.v]));
  return Object.fromEntries(RATIOS.map((ind) => {
    const num = members.reduce((s, k) => s + (by.get(`${k}|${ind}`) ?? 0), 0);
    const den = members.reduce((s, k) => s + (by.get(`${k}|bdi`) ?? 0), 0);
    const avg = (num / den) * 100;
    const values = members.map((k) => ({ k, v: ((by.get(`${k}|${ind}`) ?? 0) / (by.get(`${k}|bdi`) ?? 1)) * 100 })).sort((a, b) => b.v - a.v);
    const idx = (v: number) => (v / avg) * 100;
    return [ind, { average: avg, highest: { k: values[0].k, index: idx(values[0].v) }, lowest: { k: values[values.length - 1].k, index: idx(values[values.length - 1].v) },
      baerum: idx(values.find((x) => x.k === '3201')!.v), asker: idx(values.find((x) => x.k === '3203')!.v) }];
  }));
}

function series() {
  const rows = twoAmounts.all(2015, 2024, 'netto_driftsresultat', 'bdi') as { k: string; y: number; ind: string; v: number }[];
  const by = new Map(rows.map((r) => [`${r.k}|${r.y}|${r.ind}`, r.v]));
  const keys = [...new Set(rows.map((r) => r.k))];
  return keys.map((k) => ({ k, points: Array.from({ length: 10 }, (_, i) => {
    const y = 2015 + i;
    const n = by.get(`${k}|${y}|netto_driftsresultat`);
    const d = by.get(`${k}|${y}|bdi`);
    return { y, v: n !== undefined && d ? (n / d) * 100 : null };
  }) }));
}

const page = db.prepare(`SELECT f.region_code AS region, f.year, i.key AS indicator, f.service_area_code AS area, f.value, f.status
  FROM fact f JOIN indicator i ON i.id = f.indicator_id ORDER BY f.indicator_id, f.year, f.region_code, f.service_area_code LIMIT 500`);

// The cold-cache comparison's two fact reads (test/bench/cold-warm.ts), as a hand-written server would do them. Bærum's
// region codes are looked up once, as the API holds them in its snapshot: with a subquery SQLite scans the key instead.
const baerumCodes = db.prepare("SELECT code FROM region WHERE municipality_key = '3201' ORDER BY code").pluck().all() as string[];
const municipalityPage = db.prepare(`SELECT f.region_code AS region, f.year, f.service_area_code AS area, f.value, f.status FROM fact f
  WHERE f.indicator_id = (SELECT id FROM indicator WHERE key = 'netto_driftsutgifter_tjeneste')
    AND f.region_code IN (${baerumCodes.map(() => '?').join(', ')}) AND f.year BETWEEN 2015 AND 2024
  ORDER BY f.indicator_id, f.year, f.region_code, f.service_area_code LIMIT 1001`);
const peerSlice = db.prepare(`SELECT r.code, r.name, f.year, i.key, i.label, f.value FROM fact f
  JOIN indicator i ON i.id = f.indicator_id JOIN region r ON r.code = f.region_code
  WHERE i.key IN ('bdi', 'netto_driftsresultat') AND f.year BETWEEN 2020 AND 2024 AND f.service_area_code = 'ALL'
    AND r.municipality_key IN (SELECT municipality_key FROM peer_group_member WHERE group_id = 'asss')
  ORDER BY f.indicator_id, f.year, f.region_code LIMIT 1001`);

const answers: Record<string, () => unknown> = {
  index, series, facts: () => page.all(), 'municipality-page': () => municipalityPage.all(...baerumCodes), 'peer-slice': () => peerSlice.all(),
};

http.createServer((req, res) => {
  const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
  const answer = answers[q];
  if (!answer) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer()));
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
