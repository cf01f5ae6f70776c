#!/usr/bin/env node
// Browser tests of the web app against the real `pdex serve` on 127.0.0.1 (a free port), driven by
// playwright-core with Debian's Chromium (headless, no network beyond loopback).
//   node tests/browser/run.mjs --pdex build/x/src/cli/pdex [--artifacts DIR]
// Steps: builds web/dist (scripts/build-web, skipped when unchanged), trains a tiny model in a temp data dir,
// starts the server, then one journey per page (screenshots in DIR), axe-core per page (no serious or
// critical violation), page weight and time to interactive per page, French toggle, and the API-down
// message after the server is stopped mid-journey. Exit 0 pass, 1 fail, 77 skip (no node_modules/chromium).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const pdex = path.resolve(opt('--pdex', process.env.PDEX_BIN ?? 'build/release/src/cli/pdex'));
const artifacts = path.resolve(opt('--artifacts', path.join(path.dirname(path.dirname(path.dirname(pdex))), 'browser-artifacts')));
const chromium = process.env.PDEX_CHROMIUM ?? '/usr/bin/chromium';
// Development only: --base-url URL runs the journeys against a server already running (no API-down step).
const externalBase = opt('--base-url', null);

if (!existsSync(path.join(repo, 'node_modules/playwright-core')) || !existsSync(chromium)) {
  console.log('SKIP: node_modules/playwright-core or chromium is missing (run scripts/setup)');
  process.exit(77);
}
const { chromium: playwright } = await import('playwright-core');
const axeSource = readFileSync(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');

const t0 = Date.now();
let failures = 0;
const results = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}  [${((Date.now() - t0) / 1000).toFixed(0)} s]`);
  if (!ok) failures += 1;
}
function run(cmd, cmdArgs, env, allowed = [0]) {
  const r = spawnSync(cmd, cmdArgs, { cwd: repo, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (!allowed.includes(r.status)) throw new Error(`${cmd} ${cmdArgs.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`.slice(0, 2000));
  return r.stdout;
}
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
async function waitReady(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready at ${url} within ${ms} ms`);
}

mkdirSync(artifacts, { recursive: true });
run(path.join(repo, 'scripts/build-web'), []);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pdex-browser-'));
const env = { PDEX_DATA_DIR: dataDir, PDEX_DATABASE_URL: '' };
let server;
let browser;
try {
  let base = externalBase;
  const serverLog = [];
  if (!externalBase) {
  // A tiny model: enough for real predictions, quick to train.
  run(pdex, ['db', 'init'], env);
  run(pdex, ['db', 'import'], env);
  run(pdex, ['dataset', 'build', '--scale', '0.01'], env);
  const config = JSON.parse(readFileSync(path.join(repo, 'configs/model.json'), 'utf8'));
  Object.assign(config.xgboost, { num_boost_round: 25, max_depth: 4, nthread: 1, early_stopping_rounds: 10 });
  writeFileSync(path.join(dataDir, 'model.json'), JSON.stringify(config));
  run(pdex, ['model', 'train', '--config', path.join(dataDir, 'model.json')], env);
  run(pdex, ['model', 'evaluate'], env, [0, 3]); // 3: a quality gate failed (tiny model): the card still has metrics
  run(pdex, ['model', 'register', 'default', '--reason', 'browser test'], env); // version history on the model page
  console.log(`setup (web build, db, tiny model) ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(pdex, ['serve', '--host', '127.0.0.1', '--port', String(port), '--model', path.join(dataDir, 'models/default')], {
    cwd: repo,
    env: { ...process.env, ...env, PDEX_WEB_ROOT: path.join(repo, 'web/dist') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => serverLog.push(String(d)));
  server.stderr.on('data', (d) => serverLog.push(String(d)));
  await waitReady(`${base}/ready`, 20000);
  }
  const index = await fetch(`${base}/`);
  if (!(index.headers.get('content-type') ?? '').includes('text/html')) {
    throw new Error(`GET / is not the web app (status ${index.status}): does this pdex serve static files (PDEX_WEB_ROOT)?`);
  }

  browser = await playwright.launch({
    executablePath: chromium,
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage', '--disable-extensions', '--no-proxy-server'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  let bytes = 0;
  let status429 = 0;
  let injecting = false; // responses injected with page.route are not the server's
  let inFlight = 0;
  let lastActivity = Date.now();
  page.on('request', () => {
    inFlight += 1;
    lastActivity = Date.now();
  });
  const settled = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastActivity = Date.now();
  };
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  // Quiet: nothing in flight for 500 ms (at most `ms`). Playwright's networkidle never comes on pages that
  // keep a connection busy (the monitoring page polls), so this is our own.
  const quiet = async (ms = 8000) => {
    const end = Date.now() + ms;
    while (Date.now() < end && (inFlight > 0 || Date.now() - lastActivity < 500)) await page.waitForTimeout(100);
  };
  page.on('response', async (r) => {
    if (r.status() === 429 && !injecting) status429 += 1;
    try {
      const sizes = await r.request().sizes();
      bytes += sizes.responseBodySize + sizes.responseHeadersSize;
    } catch {}
  });

  // Loads `route` from a cold cache and records weight and time to interactive (the page's main content
  // rendered and no request in flight: networkidle), then runs axe-core.
  async function visit(name, route, ready) {
    await context.clearCookies();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    bytes = 0;
    const start = Date.now();
    await page.goto(base + route, { waitUntil: 'domcontentloaded' });
    await page.locator(ready).first().waitFor();
    const interactive = Date.now() - start;
    await quiet();
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return n ? { dcl: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) } : {};
    });
    const weight = bytes;
    await page.evaluate(axeSource); // not addScriptTag: the CSP (rightly) refuses inline scripts
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0]?.target?.join(' ') }));
    });
    const serious = axe.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    results.push({ page: name, route, bytes: weight, tti_ms: interactive, dcl_ms: nav.dcl, axe_total: axe.length, axe_serious: serious.length });
    check(serious.length === 0, `${name}: axe-core serious/critical violations: ${serious.length}${serious.length ? ' ' + JSON.stringify(serious) : ''}`);
    if (axe.length) console.log(`     (${name}: minor/moderate axe findings: ${axe.map((v) => `${v.id}:${v.impact}`).join(', ')})`);
  }
  async function shot(name) {
    const file = path.join(artifacts, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`     screenshot ${path.relative(repo, file)}`);
    return file;
  }

  // Home
  await visit('home', '/', '[data-testid=model-version]');
  check((await page.textContent('[data-testid=model-version]')).startsWith('default-'), 'home: shows the production model version');
  await shot('home');

  // Pokédex: grid, search, filters, detail with stats at a chosen level.
  await visit('pokedex', '/pokedex', '.dexgrid li a');
  check((await page.locator('.dexgrid li a').count()) === 188, 'pokedex: 188 Pokémon in the grid');
  await shot('pokedex');
  // Scroll the whole grid as a player would: every sprite loads (none refused by the rate limiter).
  for (let y = 0; y < 12000; y += 500) {
    await page.mouse.wheel(0, 500);
    await page.waitForTimeout(60);
  }
  await quiet();
  const broken = await page.locator('.dexgrid img').evaluateAll((imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.dataset.src));
  check(broken.length === 0, `pokedex: all ${await page.locator('.dexgrid img').count()} sprites load after scrolling the grid (broken: ${broken.length})`);
  await page.mouse.wheel(0, -20000);
  await page.fill('#dex-q', 'pika');
  check((await page.locator('.dexgrid li a').count()) === 2, 'pokedex: search "pika" finds Pikachu and Pikachu-Starter');
  await page.fill('#dex-q', '');
  await page.selectOption('#dex-form', 'mega');
  check((await page.locator('.dexgrid li a').count()) === 15, 'pokedex: Mega filter shows 15');
  await page.selectOption('#dex-form', 'alola');
  await page.selectOption('#dex-type', 'Ice');
  check((await page.locator('.dexgrid li a').count()) === 4, 'pokedex: Alolan Ice forms: 4 (Sandshrew, Sandslash, Vulpix, Ninetales)');
  await shot('pokedex-filtered');
  await page.goto(`${base}/pokedex/6`);
  await page.locator('table.stats').waitFor();
  const hpAt50 = await page.locator('table.stats tr').first().locator('td.num').textContent();
  await page.fill('#dex-level', '100');
  await page.press('#dex-level', 'Enter');
  await page.waitForFunction((prev) => document.querySelector('table.stats tr td.num')?.textContent !== prev, hpAt50);
  const hpAt100 = await page.locator('table.stats tr').first().locator('td.num').textContent();
  check(hpAt50 === '153' && hpAt100 === '297', `pokedex detail: Charizard HP 153 at level 50, 297 at 100 (got ${hpAt50}, ${hpAt100})`);
  check((await page.locator('.matchups dd').first().textContent()).includes('Rock ×4'), 'pokedex detail: Charizard weak to Rock ×4');
  check((await page.locator('table.learnset tbody tr').count()) > 10, 'pokedex detail: learnset listed');
  await shot('pokedex-detail');

  // Battle (main journey): search Pikachu, pick Charizard, choose moves, predict, ranking, play it out.
  await visit('battle', '/battle', '[role=combobox]');
  const combos = page.locator('[role=combobox]');
  await combos.nth(0).fill('Pikach');
  await page.locator('[role=option]', { hasText: 'Pikachu' }).first().waitFor();
  await combos.nth(0).press('Enter'); // keyboard choice of the first match
  await page.locator('.side.p1 [data-move=thunderbolt] input').waitFor();
  await combos.nth(1).fill('chariz');
  await page.locator('[role=option]', { has: page.locator('span', { hasText: /^Charizard$/ }) }).first().click();
  await page.locator('.side.p2 [data-move=flamethrower] input').waitFor();
  await page.fill('.side.p1 input[type=number]', '60');
  await page.press('.side.p1 input[type=number]', 'Tab');
  await page.locator('table.compare th', { hasText: 'Level 60' }).waitFor();
  await page.locator('.side.p1 [data-move=thunderbolt] input').waitFor();
  await page.check('.side.p1 [data-move=thunderbolt] input');
  await page.check('.side.p1 [data-move=quickattack] input');
  await page.check('.side.p2 [data-move=flamethrower] input');
  await page.click('#predict');
  await page.locator('[data-testid=winner]').waitFor();
  const winner = await page.textContent('[data-testid=winner]');
  check(/^(Pikachu|Charizard) wins$/.test(winner), `battle: winner shown ("${winner}")`);
  check(/Confidence \d/.test(await page.textContent('[data-testid=confidence]')), 'battle: confidence shown');
  check((await page.textContent('[data-testid=prediction]')).includes('Thunderbolt, Quick Attack'), 'battle: the chosen moves are the moves used');
  await page.locator('[data-testid=engine-odds]').waitFor();
  check(/Engine: \d/.test(await page.textContent('[data-testid=engine-odds]')), 'battle: engine odds next to the model');
  await page.locator('#rank-h ~ *').first().waitFor();
  const ranking = await page.locator('table.ranking tbody tr').count();
  const rankingNote = await page.locator('#rank-h ~ p').first().textContent().catch(() => '');
  check(ranking >= 2 || /not available yet/i.test(rankingNote ?? ''), `battle: move ranking (${ranking ? `${ranking} moves` : rankingNote})`);
  await page.click('#play');
  await page.locator('#replay-end').waitFor();
  await page.waitForTimeout(1000); // let a turn or two animate
  if (await page.isEnabled('#replay-end')) await page.click('#replay-end');
  await page.waitForFunction(() => document.querySelector('[data-testid=replay-outcome]')?.textContent);
  const outcome = await page.textContent('[data-testid=replay-outcome]');
  check(/won in \d+ turns|Draw/.test(outcome), `battle: replay played out ("${outcome}")`);
  check((await page.locator('.hp [role=meter]').count()) === 2, 'battle: HP bars for both sides');
  await shot('battle');

  // Failures the server can answer, as the player sees them (responses injected in the browser; the
  // API-down case below uses the real server): 429 with Retry-After, 422 problem+json, a slow answer.
  injecting = true;
  const problemJson = (status, body, headers = {}) => ({ status, headers: { 'Content-Type': 'application/problem+json', ...headers }, body: JSON.stringify(body) });
  await page.route('**/api/v1/predict/battle', (r) => r.fulfill(problemJson(429, { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'rate limit exceeded (20 requests/s, burst 40 per session); retry after 2 s', instance: '/api/v1/predict/battle' }, { 'Retry-After': '2' })));
  await page.click('#predict');
  let box = page.locator('.error[role=alert]');
  await box.waitFor();
  check(/Too many requests.*wait 2 seconds/.test(await box.textContent()) && (await box.locator('button').isDisabled()), '429: plain message, retry button waits Retry-After');
  check(!/burst|session\)/.test(await box.textContent()), '429: the server\'s technical detail is not shown');
  await page.unroute('**/api/v1/predict/battle');
  await page.waitForFunction(() => !document.querySelector('.error[role=alert] button')?.disabled, null, { timeout: 5000 });
  await box.locator('button').click();
  await page.locator('[data-testid=winner]').waitFor();
  check(true, '429: retry after the wait gives the prediction');
  await page.route('**/api/v1/predict/battle', (r) => r.fulfill(problemJson(422, { type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'invalid request', instance: '/api/v1/predict/battle', errors: [{ field: 'level_1', message: 'must be an integer 1..100' }] })));
  await page.click('#predict');
  box = page.locator('.error[role=alert]');
  await box.waitFor();
  check((await box.textContent()).includes('Some choices were not accepted: level of Pokémon 1.'), '422 problem+json: names the field in plain words');
  await page.unroute('**/api/v1/predict/battle');
  await page.route('**/api/v1/predict/battle', async (r) => {
    await new Promise((w) => setTimeout(w, 3500));
    await r.continue();
  });
  await page.click('#predict');
  await page.locator('#main [role=status]', { hasText: 'Still working' }).waitFor({ timeout: 5000 });
  await page.locator('[data-testid=winner]').waitFor();
  check(true, 'slow answer: "still working" note, then the result');
  await page.unroute('**/api/v1/predict/battle');
  injecting = false;

  // Types
  await visit('types', '/types', '#typechart');
  check((await page.locator('#typechart tbody tr').count()) === 18 && (await page.locator('#typechart tbody tr').first().locator('td').count()) === 18, 'types: 18×18 chart');
  await page.selectOption('#calc-1', 'Water');
  await page.selectOption('#calc-2', 'Ground');
  check((await page.textContent('#calc-result')).includes('×4Grass'), 'types: Water/Ground takes ×4 from Grass');
  await shot('types');

  // Quiz: answer by keyboard; feedback and score follow, the right answer is always on a button.
  await visit('quiz', '/quiz?seed=7', '.choices button');
  let answered = 0;
  for (let i = 0; i < 5; i++) {
    const atk = await page.getAttribute('.question', 'data-attacking');
    const def = (await page.getAttribute('.question', 'data-defending')).split(',');
    const expected = await page.evaluate(
      async ([a, d]) => {
        const r = await fetch(`/api/v1/types/effectiveness?attacking=${a}&defending=${d.join(',')}`);
        return (await r.json()).multiplier;
      },
      [atk, def],
    );
    const values = await page.locator('.choices button').evaluateAll((bs) => bs.map((b) => Number(b.dataset.value)));
    check(values.includes(expected), `quiz: question ${i + 1} (${atk} vs ${def.join('/')}) offers the right answer ×${expected}`);
    await page.locator(`.choices button[data-value="${expected}"]`).focus();
    await page.keyboard.press('Enter');
    answered += 1;
    check((await page.textContent('.feedback')).startsWith('Correct'), `quiz: answer ${i + 1} accepted`);
    if (i === 0) await shot('quiz');
    await page.keyboard.press('Enter'); // focus moved to "Next question"
  }
  check((await page.textContent('[data-testid=score]')) === `Score: ${answered} / ${answered}`, 'quiz: score counts every right answer');

  // Model
  await visit('model', '/model', '#card-h');
  check((await page.locator('table.metrics tbody tr').count()) >= 5, 'model: metrics table next to the Bayes ceiling');
  check((await page.locator('svg.square circle').count()) >= 1, 'model: reliability diagram drawn');
  check((await page.locator('table.confusion td').count()) >= 4, 'model: confusion matrix');
  await page.locator('#hist-h ~ *:not([role=status])').first().waitFor();
  check((await page.locator('table.versions tbody tr').count()) >= 1 && (await page.locator('table.history tbody tr').count()) >= 1, 'model: version history from the registry');
  await shot('model');

  // Monitoring: make some traffic, then the live page.
  await visit('monitoring', '/monitoring?every=2', '[data-testid=pred-total]');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=req-rate]')?.textContent ?? ''), null, { timeout: 10000 });
  check(/requests\/s/.test(await page.textContent('[data-testid=req-rate]')), 'monitoring: request rate computed from /metrics');
  if ((await (await fetch(`${base}/metrics`)).text()).includes('pdex_predictions_total{')) {
    check(/Total predictions: [1-9]/.test(await page.textContent('[data-testid=pred-total]')), 'monitoring: predictions counted');
  } else {
    console.log('     (this server exports no pdex_predictions_total yet: predictions-per-winner check skipped)');
  }
  await shot('monitoring');

  // French: the toggle switches the whole page, and names.
  await page.goto(`${base}/pokedex/6`);
  await page.locator('table.stats').waitFor();
  await page.click('#lang');
  await page.locator('h1', { hasText: 'Dracaufeu' }).waitFor();
  check((await page.getAttribute('html', 'lang')) === 'fr', 'i18n: French toggle sets lang=fr and French names (Dracaufeu)');
  check((await page.textContent('.matchups')).includes('Roche ×4'), 'i18n: French type names');
  await shot('pokedex-detail-fr');
  await page.click('#lang');

  // A French browser gets French by default.
  const frContext = await browser.newContext({ locale: 'fr-FR' });
  const frPage = await frContext.newPage();
  await frPage.goto(`${base}/battle`);
  await frPage.locator('h1', { hasText: 'Prédiction de combat' }).waitFor();
  check((await frPage.getAttribute('html', 'lang')) === 'fr', 'i18n: French by default for a French browser (navigator.language)');
  await frContext.close();

  // Keyboard only: the skip link is the first stop and has a visible focus ring.
  await page.goto(`${base}/types`);
  await page.locator('#typechart').waitFor();
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(() => ({ cls: document.activeElement?.className, outline: getComputedStyle(document.activeElement).outlineStyle }));
  check(focus.cls === 'skip' && focus.outline !== 'none', 'keyboard: first Tab reaches the skip link, with a visible focus outline');

  // Swagger UI and ReDoc are served locally.
  for (const [name, route, sel] of [['docs', '/docs', '.swagger-ui .info'], ['redoc', '/redoc', '.api-info, h1']]) {
    await page.goto(base + route);
    const ok = await page.locator(sel).first().waitFor({ timeout: 20000 }).then(() => true, () => false);
    check(ok, `${name}: rendered from local files`);
    if (ok) await shot(name);
  }

  check(status429 === 0, `no request was rate-limited during the journeys (429 seen: ${status429})`);
  const csp = problems.filter((p) => /Content Security Policy|Refused to/i.test(p));
  check(csp.length === 0, `no Content-Security-Policy violation (${csp.slice(0, 3).join(' | ')})`);

  // API down: stop the server mid-journey; the page says so in plain words and offers a retry.
  if (server) {
  await page.goto(`${base}/battle`);
  await page.locator('[role=combobox]').first().waitFor();
  await combos.nth(0).fill('Pikachu');
  await combos.nth(0).press('Enter');
  await combos.nth(1).fill('Charizard');
  await page.locator('[role=option]', { has: page.locator('span', { hasText: /^Charizard$/ }) }).first().click();
  await page.locator('#predict:not([disabled])').waitFor();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  server = null;
  await page.click('#predict');
  const alert = page.locator('.error[role=alert]');
  await alert.waitFor();
  const message = await alert.textContent();
  check(/cannot be reached/.test(message) && (await alert.locator('button', { hasText: 'Try again' }).count()) === 1, `API down: plain message with a retry button ("${message.trim()}")`);
  check(!/fetch|TypeError|ECONN|500|stack/i.test(message), 'API down: nothing technical shown');
  await shot('api-down');
  }

  console.log('\npage weight and time to interactive (cold cache, headless Chromium, loopback):');
  console.log('page        bytes      TTI ms  DOMContentLoaded ms  axe total/serious');
  for (const r of results) console.log(`${r.page.padEnd(11)} ${String(r.bytes).padStart(9)}  ${String(r.tti_ms).padStart(6)}  ${String(r.dcl_ms).padStart(19)}  ${r.axe_total}/${r.axe_serious}`);
  writeFileSync(path.join(artifacts, 'results.json'), JSON.stringify(results, null, 2));
} catch (err) {
  console.log(`FAIL ${err.stack ?? err}`);
  failures += 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(failures ? `\n${failures} check(s) failed` : '\nall browser checks passed');
process.exit(failures ? 1 : 0);
