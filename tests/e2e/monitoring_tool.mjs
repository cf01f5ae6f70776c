// Helpers for the monitoring tests (Node, no dependencies):
//   node monitoring_tool.mjs traffic --port P --n N --kind normal|mega [--key K] [--seed S]
//       POSTs N predictions to 127.0.0.1:P over keep-alive connections (8 in flight). normal: random species
//       pairs at the dataset's levels (60 % level 50, else 10..100); mega: only Mega Pokémon at level 100.
//       Prints "sent N ok M"; exits 1 unless at least 90 % are 200 and the rest 422.
//   node monitoring_tool.mjs receiver --port-file F --out FILE
//       A webhook receiver on 127.0.0.1 (free port written to F): appends each POSTed body as one JSON line
//       to FILE and answers 200.
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import http from 'node:http';

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

// Deterministic PRNG (mulberry32) so a run's traffic is reproducible.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function traffic(o) {
  const source = process.env.PDEX_SOURCE_DIR || '.';
  const pokemon = JSON.parse(readFileSync(`${source}/data/lgpe-dex.json`, 'utf8')).content.pokemon;
  const megas = pokemon.filter((p) => p.is_mega).map((p) => p.id);
  const all = pokemon.map((p) => p.id);
  const random = rng(Number(o.seed || 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const otherLevels = [10, 20, 30, 40, 60, 70, 80, 90, 100];
  const body = () => {
    if (o.kind === 'mega') return { pokemon_1_id: pick(megas), pokemon_2_id: pick(megas), level_1: 100, level_2: 100 };
    // As `pdex dataset build` draws them: both 50, or each side from the other levels.
    const both50 = random() < 0.6;
    const level_1 = both50 ? 50 : pick(otherLevels);
    const level_2 = both50 ? 50 : pick(otherLevels);
    return { pokemon_1_id: pick(all), pokemon_2_id: pick(all), level_1, level_2 };
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const n = Number(o.n);
  let ok = 0;
  let sent = 0;
  const statuses = {};
  const one = () =>
    new Promise((resolve) => {
      const data = JSON.stringify(body());
      const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) };
      if (o.key) headers['X-API-Key'] = o.key;
      const req = http.request(
        { host: '127.0.0.1', port: Number(o.port), path: '/api/v1/predict/battle', method: 'POST', headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
            if (res.statusCode === 200) ok++;
            resolve();
          });
        },
      );
      req.on('error', (e) => {
        statuses[e.code] = (statuses[e.code] || 0) + 1;
        resolve();
      });
      req.end(data);
    });
  const workers = Array.from({ length: 8 }, async () => {
    while (sent < n) {
      sent++;
      await one();
    }
  });
  await Promise.all(workers);
  agent.destroy();
  console.log(`sent ${n} ok ${ok} statuses ${JSON.stringify(statuses)}`);
  // A few random pairs have no engine-supported move (422); anything else, or many failures, is an error.
  const bad = Object.keys(statuses).filter((k) => k !== '200' && k !== '422');
  process.exit(bad.length === 0 && ok >= 0.9 * n ? 0 : 1);
}

function receiver(o) {
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      try {
        appendFileSync(o.out, JSON.stringify({ received_at: new Date().toISOString(), path: req.url, body: JSON.parse(data) }) + '\n');
      } catch (e) {
        appendFileSync(o.out, JSON.stringify({ received_at: new Date().toISOString(), error: String(e) }) + '\n');
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok\n');
    });
  });
  server.listen(0, '127.0.0.1', () => writeFileSync(o['port-file'], String(server.address().port)));
  for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => server.close(() => process.exit(0)));
}

const [command, ...rest] = process.argv.slice(2);
const o = args(rest);
if (command === 'traffic') await traffic(o);
else if (command === 'receiver') receiver(o);
else {
  console.error('usage: monitoring_tool.mjs traffic|receiver ...');
  process.exit(2);
}
