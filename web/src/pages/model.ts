// Model: the production model card (GET /api/v1/model) — metrics next to the Bayes ceiling and the
// baseline, reliability diagram, confusion matrix, feature importance, gates — and the registry's version
// history (GET /api/v1/models/{name}) when the server has it.
import { ApiError, request } from '../api';
import { barChart, reliabilityChart } from '../charts';
import { clear, h } from '../dom';
import { errorBox, withLoading } from '../errors';
import { num, percent, t } from '../i18n';
import type { PageContext } from '../main';
import { pageTitle, table } from '../ui';
import type { ModelCard } from './home';

type Any = Record<string, any>;

export async function render(ctx: PageContext): Promise<void> {
  const body = h('div');
  ctx.root.append(pageTitle(t('model.title')), body);
  await withLoading(body, (onSlow) => request<ModelCard>('/api/v1/model', { onSlow }), (card) => show(body, card));
}

// Feature importance wherever the card carries it: [{name, share|gain}] or {name: value}.
export function importanceOf(card: Any): { name: string; value: number }[] {
  const raw = card.feature_importance ?? card.metrics?.feature_importance ?? card.importance ?? null;
  if (!raw) return [];
  const rows = Array.isArray(raw)
    ? raw.map((r: Any) => ({ name: String(r.name ?? r.feature), value: Number(r.share ?? r.gain ?? r.total_gain ?? r.importance ?? r.value) }))
    : Object.entries(raw).map(([name, v]) => ({ name, value: Number(v) }));
  return rows.filter((r) => Number.isFinite(r.value)).sort((a, b) => b.value - a.value);
}

function show(body: HTMLElement, card: ModelCard & Any): void {
  const test: Any | undefined = card.metrics?.test;
  const baseline: Any | undefined = card.metrics?.baseline;
  const lineage: Any = card.lineage ?? {};
  const facts: [string, string][] = [
    [t('model.version'), card.version],
    [t('model.name'), card.name ?? '—'],
    [t('model.kind'), String(card.kind ?? '—')],
    [t('model.features'), String(card.features?.count ?? '—')],
    [t('model.trainedAt'), card.trained_at ? new Date(card.trained_at).toLocaleString() : '—'],
    [t('model.rows'), lineage.rows?.train !== undefined ? String(lineage.rows.train) : '—'],
    [t('model.dataset'), lineage.dataset_sha256 ? String(lineage.dataset_sha256).slice(0, 12) : '—'],
    [t('model.code'), lineage.code_version ?? '—'],
  ];
  body.append(
    h('section', { class: 'card', 'aria-labelledby': 'card-h' }, h('h2', { id: 'card-h' }, t('model.card')), h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', null, k), h('dd', { 'data-testid': k === t('model.version') ? 'card-version' : undefined }, v)]))),
  );
  if (!test) {
    body.append(h('p', { class: 'notice' }, t('model.noMetrics')));
  } else {
    const m = test.metrics ?? {};
    const rows: [string, string][] = [
      [t('model.accuracy'), percent(m.accuracy, 1)],
      [t('model.ceilingRealized'), percent(test.bayes_ceiling?.realized_accuracy ?? NaN, 1)],
      [t('model.ceilingExpected'), percent(test.bayes_ceiling?.expected_accuracy ?? NaN, 1)],
      [t('model.gap'), percent(test.gap_to_bayes_ceiling ?? NaN, 1)],
      [t('model.baseline'), baseline ? percent(baseline.metrics?.accuracy ?? NaN, 1) : '—'],
      [t('model.rocauc'), num(m.roc_auc ?? NaN, 3)],
      [t('model.logloss'), num(m.log_loss ?? NaN, 3)],
      [t('model.brier'), num(m.brier ?? NaN, 3)],
      [t('model.ece'), num(test.expected_calibration_error ?? m.ece ?? NaN, 3)],
      [t('model.meanAbs'), num(test.mean_abs_prob_error ?? NaN, 3)],
    ];
    const bars = [
      { label: t('model.baseline'), value: baseline?.metrics?.accuracy ?? 0, text: baseline ? percent(baseline.metrics.accuracy, 1) : '—', cls: 'warn' },
      { label: t('model.accuracy'), value: m.accuracy ?? 0, text: percent(m.accuracy, 1) },
      { label: t('model.ceilingRealized'), value: test.bayes_ceiling?.realized_accuracy ?? 0, text: percent(test.bayes_ceiling?.realized_accuracy ?? 0, 1), cls: 'bad' },
    ];
    const c = m.confusion ?? {};
    body.append(
      h('div', { class: 'grid2' },
        h('section', { class: 'card', 'aria-labelledby': 'met-h' }, h('h2', { id: 'met-h' }, t('model.metrics')), table(null, [t('model.metric'), t('model.value')], rows, 'metrics')),
        h('section', { class: 'card', 'aria-labelledby': 'ceil-h' }, h('h2', { id: 'ceil-h' }, t('model.vsCeiling')), h('p', { class: 'muted' }, t('model.vsCeilingDesc')), barChart(t('model.vsCeiling'), bars, 1)),
        h('section', { class: 'card', 'aria-labelledby': 'rel-h' }, h('h2', { id: 'rel-h' }, t('model.reliability')), h('p', { class: 'muted' }, t('model.reliabilityDesc')), reliabilityChart(t('model.reliability'), m.reliability ?? [], t('model.predicted'), t('model.observed'))),
        h('section', { class: 'card', 'aria-labelledby': 'conf-h' }, h('h2', { id: 'conf-h' }, t('model.confusion')),
          h('table', { class: 'confusion' },
            h('thead', null, h('tr', null, h('td'), h('th', { scope: 'col' }, `${t('model.predictedWinner')}: 1`), h('th', { scope: 'col' }, `${t('model.predictedWinner')}: 2`))),
            h('tbody', null,
              h('tr', null, h('th', { scope: 'row' }, `${t('model.actual')}: 1`), h('td', null, String(c.tp ?? '—')), h('td', null, String(c.fn ?? '—'))),
              h('tr', null, h('th', { scope: 'row' }, `${t('model.actual')}: 2`), h('td', null, String(c.fp ?? '—')), h('td', null, String(c.tn ?? '—'))),
            ),
          ),
        ),
      ),
    );
  }
  const importance = importanceOf(card).slice(0, 15);
  body.append(
    h('section', { class: 'card', 'aria-labelledby': 'imp-h' }, h('h2', { id: 'imp-h' }, t('model.importance')),
      importance.length ? barChart(t('model.importance'), importance.map((r) => ({ label: r.name, value: r.value, text: r.value <= 1 ? percent(r.value, 1) : num(r.value, 1) }))) : h('p', { class: 'notice' }, t('notYet'))),
  );
  const gates: Any[] = card.gates?.gates ?? [];
  if (gates.length) {
    body.append(h('section', { class: 'card', 'aria-labelledby': 'gates-h' }, h('h2', { id: 'gates-h' }, t('model.gates')),
      table(null, [t('model.metric'), t('model.value'), '≤', t('model.gates')], gates.map((g) => [g.name, num(g.value, 4), num(g.threshold, 4), h('span', { class: g.passed ? 'level-ok' : 'level-alert' }, g.passed ? `✓ ${t('model.passed')}` : `✗ ${t('model.failed')}`)]))));
  }
  const history = h('section', { class: 'card', 'aria-labelledby': 'hist-h' }, h('h2', { id: 'hist-h' }, t('model.history')), h('p', { class: 'loading', role: 'status' }, t('loading')));
  body.append(history);
  // The registry names models on its own ("battle_winner_model"); find the one holding the served bundle.
  const loadHistory = () =>
    request<Any>('/api/v1/models', { optionalRoute: true })
      .then(async (list) => {
        const models: Any[] = list.models ?? list.items ?? [];
        const holder = models.find((m) => (m.versions ?? []).some((v: Any) => v.bundle_version === card.version)) ?? models[0];
        if (!holder) {
          history.replaceChildren(h('h2', { id: 'hist-h' }, t('model.history')), h('p', { class: 'notice' }, t('model.notRegistered')));
          return;
        }
        const reg = await request<Any>(`/api/v1/models/${encodeURIComponent(holder.name)}`);
        const versions: Any[] = reg.versions ?? [];
        const events: Any[] = reg.history ?? reg.transitions ?? [];
        clear(
          history,
          h('h2', { id: 'hist-h' }, t('model.history')),
          h('p', null, `${t('model.name')}: ${reg.name ?? holder.name}`),
          versions.length ? table(null, [t('model.version'), t('model.stage'), t('model.when'), t('model.who')], versions.map((v) => [`${v.version ?? ''}${v.bundle_version === card.version ? ` (${v.bundle_version})` : ''}`, String(v.stage ?? ''), String(v.created_at ?? ''), String(v.created_by ?? '')]), 'versions') : null,
          events.length ? table(null, [t('model.when'), t('model.action'), t('model.version'), t('model.stage'), t('model.who')], events.map((e) => [String(e.at ?? ''), String(e.action ?? ''), String(e.version ?? ''), `${e.from_stage ?? ''} → ${e.to_stage ?? ''}`, `${e.actor ?? ''}${e.reason ? ` (${e.reason})` : ''}`]), 'history') : null,
        );
      })
      .catch((err) => history.replaceChildren(h('h2', { id: 'hist-h' }, t('model.history')), err instanceof ApiError && (err.kind === 'not_available' || err.kind === 'not_found') ? h('p', { class: 'notice' }, t('notYet')) : errorBox(err, loadHistory)));
  loadHistory();
}
