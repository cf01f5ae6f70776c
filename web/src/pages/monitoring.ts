// Monitoring: live charts from GET /metrics (parsed in the browser) and GET /api/v1/monitoring/drift,
// refreshed every few seconds while the page is open: request rate, latency percentiles, error rate,
// predictions per winner, confidence distribution, drift per feature with thresholds, current alerts.
import { ApiError, request } from '../api';
import { barChart, columnChart, lineChart } from '../charts';
import { clear, h } from '../dom';
import { errorBox, errorMessage } from '../errors';
import { num, percent, t, type Key } from '../i18n';
import type { PageContext } from '../main';
import { bucketDelta, buckets, parseMetrics, quantile, sum, sumBy, type Sample } from '../prom';
import { pageTitle, table } from '../ui';

type Any = Record<string, any>;

interface Point {
  at: number;
  rate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  err5: number | null;
  err4: number | null;
}

const KEEP = 60;
const ERROR_RATE_ALERT = 0.05;
const P99_ALERT_S = 0.5;

export interface Snapshot {
  at: number;
  samples: Sample[];
}

// The figures between two scrapes (null where there was no traffic).
export function pointBetween(prev: Snapshot, cur: Snapshot): Point {
  const dt = (cur.at - prev.at) / 1000;
  const total = (s: Sample[], f: (l: Record<string, string>) => boolean = () => true) => sum(s, 'pdex_http_requests_total', f);
  const dTotal = Math.max(0, total(cur.samples) - total(prev.samples));
  const d5 = Math.max(0, total(cur.samples, (l) => l.status?.startsWith('5')) - total(prev.samples, (l) => l.status?.startsWith('5')));
  const d4 = Math.max(0, total(cur.samples, (l) => l.status?.startsWith('4')) - total(prev.samples, (l) => l.status?.startsWith('4')));
  const lat = bucketDelta(buckets(cur.samples, 'pdex_http_request_duration_seconds'), buckets(prev.samples, 'pdex_http_request_duration_seconds'));
  return {
    at: cur.at,
    rate: dt > 0 ? dTotal / dt : null,
    p50: quantile(0.5, lat),
    p95: quantile(0.95, lat),
    p99: quantile(0.99, lat),
    err5: dTotal > 0 ? d5 / dTotal : null,
    err4: dTotal > 0 ? d4 / dTotal : null,
  };
}

// Per-bin counts from cumulative histogram buckets.
export function binCounts(cumulative: { le: number; count: number }[]): { label: string; count: number }[] {
  let prevLe = 0;
  let prevCount = 0;
  const out: { label: string; count: number }[] = [];
  for (const b of cumulative) {
    if (b.le === Infinity) {
      if (b.count - prevCount > 0) out.push({ label: `>${prevLe}`, count: b.count - prevCount });
      break;
    }
    out.push({ label: `${prevLe}–${b.le}`, count: b.count - prevCount });
    prevLe = b.le;
    prevCount = b.count;
  }
  return out;
}

export async function render(ctx: PageContext): Promise<void> {
  const seconds = Math.min(60, Math.max(1, Number(ctx.query.get('every')) || 5));
  const status = h('p', { class: 'muted', role: 'status' });
  const pauseB = h('button', { type: 'button', class: 'secondary' }, t('mon.pause'));
  const alerts = h('section', { class: 'card', 'aria-labelledby': 'al-h' });
  const live = h('div', { class: 'grid2' });
  const counts = h('div', { class: 'grid2' });
  const drift = h('section', { class: 'card', 'aria-labelledby': 'dr-h' });
  const problem = h('div');
  ctx.root.append(pageTitle(t('mon.title')), h('p', null, t('mon.intro', { s: seconds })), h('div', { class: 'actions' }, pauseB), status, problem, alerts, live, counts, drift);

  const history: Point[] = [];
  let last: Snapshot | null = null;
  let paused = false;
  let denied = false;
  let driftData: Any | null = null;
  let driftError: unknown = null;
  let driftMissing = false;
  pauseB.addEventListener('click', () => {
    paused = !paused;
    pauseB.textContent = paused ? t('mon.resume') : t('mon.pause');
    status.textContent = paused ? t('mon.paused') : status.textContent;
  });

  const tick = async () => {
    if (paused || ctx.signal.aborted) return;
    try {
      const [text, d] = await Promise.all([
        request<string>('/metrics', { text: true, timeoutMs: 8000 }),
        // A server without the drift route answers 404 once; asking again would only add 4xx to the charts.
        driftMissing
          ? Promise.resolve({ err: driftError })
          : request<Any>('/api/v1/monitoring/drift', { optionalRoute: true, timeoutMs: 8000 }).then(
              (x) => ({ ok: x }),
              (err) => {
                if (err instanceof ApiError && err.kind === 'not_available') driftMissing = true;
                return { err };
              },
            ),
      ]);
      if (ctx.signal.aborted) return;
      problem.replaceChildren();
      const snap = { at: Date.now(), samples: parseMetrics(text) };
      if (last) history.push(pointBetween(last, snap));
      while (history.length > KEEP) history.shift();
      last = snap;
      if ('ok' in d) {
        driftData = d.ok;
        driftError = null;
      } else {
        driftError = d.err;
      }
      draw(snap);
      status.textContent = t('mon.updated', { t: new Date().toLocaleTimeString() });
    } catch (err) {
      if (ctx.signal.aborted) return;
      if (err instanceof ApiError && err.kind === 'denied') {
        denied = true;
        problem.replaceChildren(h('p', { class: 'notice' }, t('mon.metricsDenied')));
        return;
      }
      problem.replaceChildren(errorBox(err, () => void tick()));
    }
  };

  const draw = (snap: Snapshot) => {
    const latest = history[history.length - 1];
    const ms = (v: number) => `${num(v * 1000, 1)} ms`;
    live.replaceChildren(
      h('section', { class: 'card', 'aria-labelledby': 'rq-h' }, h('h2', { id: 'rq-h' }, t('mon.requests')),
        h('p', { 'data-testid': 'req-rate' }, latest?.rate != null ? `${num(latest.rate, 2)} ${t('mon.reqUnit')}` : t('mon.noData')),
        lineChart(t('mon.requests'), [{ label: t('mon.reqUnit'), cls: 's1', points: history.map((p) => p.rate) }], (v) => num(v, 1))),
      h('section', { class: 'card', 'aria-labelledby': 'lat-h' }, h('h2', { id: 'lat-h' }, t('mon.latency')),
        h('p', { 'data-testid': 'latency' }, latest?.p50 != null ? `p50 ${ms(latest.p50)} · p95 ${ms(latest.p95 ?? 0)} · p99 ${ms(latest.p99 ?? 0)}` : t('mon.noData')),
        h('p', { class: 'legend' }, h('span', null, h('span', { class: 'key k1' }), 'p50'), h('span', null, h('span', { class: 'key k2' }), 'p95'), h('span', null, h('span', { class: 'key k3' }), 'p99')),
        lineChart(t('mon.latency'), [
          { label: 'p50', cls: 's1', points: history.map((p) => p.p50) },
          { label: 'p95', cls: 's2', points: history.map((p) => p.p95) },
          { label: 'p99', cls: 's3', points: history.map((p) => p.p99) },
        ], ms)),
      h('section', { class: 'card', 'aria-labelledby': 'er-h' }, h('h2', { id: 'er-h' }, t('mon.errors')),
        h('p', { 'data-testid': 'error-rate' }, latest?.err5 != null ? `5xx ${percent(latest.err5, 1)} · 4xx ${percent(latest.err4 ?? 0, 1)}` : t('mon.noData')),
        h('p', { class: 'legend' }, h('span', null, h('span', { class: 'key k2' }), '5xx'), h('span', null, h('span', { class: 'key k3' }), '4xx'), h('span', { class: 'muted' }, t('mon.errUnit'))),
        lineChart(t('mon.errors'), [
          { label: '5xx', cls: 's2', points: history.map((p) => (p.err5 === null ? null : 100 * p.err5)) },
          { label: '4xx', cls: 's3', points: history.map((p) => (p.err4 === null ? null : 100 * p.err4)) },
        ], (v) => `${num(v, 1)}%`)),
    );
    const winners = sumBy(snap.samples, 'pdex_predictions_total', 'winner');
    const totalPred = [...winners.values()].reduce((a, b) => a + b, 0);
    const conf = binCounts(buckets(snap.samples, 'pdex_prediction_confidence'));
    counts.replaceChildren(
      h('section', { class: 'card', 'aria-labelledby': 'pw-h' }, h('h2', { id: 'pw-h' }, t('mon.perWinner')),
        h('p', { 'data-testid': 'pred-total' }, t('mon.total', { n: totalPred })),
        winners.size ? barChart(t('mon.perWinner'), [...winners.entries()].sort().map(([w, n]) => ({ label: t('battle.side', { n: w }), value: n, text: String(n) }))) : h('p', null, t('mon.noData'))),
      h('section', { class: 'card', 'aria-labelledby': 'cf-h' }, h('h2', { id: 'cf-h' }, t('mon.confidence')),
        conf.some((b) => b.count > 0) ? columnChart(t('mon.confidence'), conf) : h('p', null, t('mon.noData'))),
    );
    drawDrift(snap);
    drawAlerts(latest);
  };

  const featureRows = (snap: Snapshot): Any[] => {
    if (driftData?.features) return driftData.features;
    const psi = sumBy(snap.samples, 'pdex_feature_drift_psi', 'feature');
    return [...psi.entries()].map(([name, v]) => ({ name, psi: v }));
  };

  const drawDrift = (snap: Snapshot) => {
    const rows = featureRows(snap).slice().sort((a, b) => (b.psi ?? 0) - (a.psi ?? 0));
    const th = driftData?.thresholds ?? { psi_warning: 0.1, psi_alert: 0.2 };
    const level = (psi: number) => (psi >= th.psi_alert ? 'alert' : psi >= th.psi_warning ? 'warning' : 'ok');
    let note: HTMLElement | null = null;
    if (driftError && !rows.length) note = h('p', { class: 'notice' }, errorMessage(driftError));
    else if (driftData && driftData.status && driftData.status !== 'ok') {
      const key = `mon.driftStatus.${driftData.status}` as Key;
      const text = t(key, { n: driftData.window?.predictions ?? 0, min: driftData.window?.min_samples ?? '?' });
      note = h('p', { class: 'notice', 'data-testid': 'drift-status' }, text === key ? driftData.reason ?? driftData.status : text);
    }
    clear(
      drift,
      h('h2', { id: 'dr-h' }, t('mon.drift')),
      h('p', { class: 'muted' }, t('mon.driftDesc'), ` PSI: ${t('mon.warning')} ≥ ${th.psi_warning}, ${t('mon.alert')} ≥ ${th.psi_alert}.`),
      note,
      rows.length
        ? barChart(t('mon.drift'), rows.slice(0, 12).map((r) => ({ label: r.name, value: r.psi ?? 0, text: `${num(r.psi ?? 0, 3)} (${t(`mon.${level(r.psi ?? 0)}` as Key)})`, cls: level(r.psi ?? 0) === 'alert' ? 'bad' : level(r.psi ?? 0) === 'warning' ? 'warn' : '' })), Math.max(th.psi_alert * 1.5, ...rows.map((r) => r.psi ?? 0)))
        : null,
      rows.length
        ? table(null, [t('mon.feature'), t('mon.psi'), t('mon.level'), t('mon.ks')], rows.map((r) => [r.name, num(r.psi ?? 0, 4), h('span', { class: `level-${level(r.psi ?? 0)}` }, t(`mon.${level(r.psi ?? 0)}` as Key)), r.ks_p_adjusted !== undefined ? num(r.ks_p_adjusted, 4) : '—']), 'drift')
        : null,
    );
  };

  const drawAlerts = (latest: Point | undefined) => {
    const list: string[] = [];
    if (latest?.err5 != null && latest.err5 > ERROR_RATE_ALERT) list.push(t('mon.alert.errors', { v: percent(latest.err5, 1), t: percent(ERROR_RATE_ALERT) }));
    if (latest?.p99 != null && latest.p99 > P99_ALERT_S) list.push(t('mon.alert.latency', { v: `${num(latest.p99 * 1000, 0)} ms`, t: `${P99_ALERT_S * 1000} ms` }));
    const th = driftData?.thresholds ?? { psi_alert: 0.2 };
    for (const f of driftData?.features ?? []) if (f.drifted || (f.psi ?? 0) >= th.psi_alert) list.push(t('mon.alert.psi', { f: f.name, v: num(f.psi ?? 0, 3) }));
    if (driftData?.dataset_drift) list.push(t('mon.alert.dataset', { n: driftData.drifted_features ?? '?' }));
    if (driftData?.prediction_drift) list.push(t('mon.alert.prediction', { v: num(driftData.prediction_psi ?? 0, 3) }));
    alerts.replaceChildren(
      h('h2', { id: 'al-h' }, t('mon.alerts')),
      list.length ? h('ul', { class: 'alerts', 'data-testid': 'alerts' }, ...list.map((x) => h('li', { class: 'level-alert' }, `⚠ ${x}`))) : h('p', { class: 'level-ok', 'data-testid': 'alerts' }, `✓ ${t('mon.noAlerts')}`),
    );
  };

  await tick();
  if (!denied) setTimeout(() => void tick(), 1000); // a first rate without waiting a whole period
  const timer = setInterval(() => {
    if (ctx.signal.aborted || denied) return clearInterval(timer);
    void tick();
  }, seconds * 1000);
}
