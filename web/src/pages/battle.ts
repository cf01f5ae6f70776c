// Battle prediction (the main page): two searchable pickers, levels, up to 4 moves each (or let the server
// choose), stats side by side; Predict -> the model's winner, confidence and probability bar, the engine's
// exact / Monte-Carlo odds beside it, Pokémon 1's moves ranked (best-move route); "Play it out" -> a seeded
// battle from the engine replayed turn by turn with HP bars.
import {
  ApiError,
  request,
  roster,
  type BattleEvent,
  type BattleResult,
  type BestMove,
  type MoveRanking,
  type MoveSummary,
  type Odds,
  type Prediction,
  type SpeciesDetail,
  type SpeciesSummary,
} from '../api';
import { h, uid } from '../dom';
import { errorBox, errorMessage } from '../errors';
import { percent, speciesName, t } from '../i18n';
import type { PageContext } from '../main';
import { fold } from './pokedex';
import { sprite } from '../sprites';
import { pageTitle, probabilityBar, STAT_KEYS, table, typeBadge, typeBadges } from '../ui';
import { multiplierText } from '../typeMath';
import { eventText } from '../replay';

interface Side {
  n: 1 | 2;
  species: SpeciesSummary | null;
  detail: SpeciesDetail | null;
  level: number;
  moves: string[]; // showdown ids, in the order ticked
}

// An ARIA 1.2 combobox: type to filter, arrows to move, Enter to choose, Escape to close.
function combobox(label: string, all: SpeciesSummary[], onPick: (p: SpeciesSummary) => void, initial: SpeciesSummary | null): HTMLElement {
  const id = uid('combo');
  const input = h('input', {
    id,
    type: 'text',
    role: 'combobox',
    'aria-expanded': 'false',
    'aria-controls': `${id}-list`,
    'aria-autocomplete': 'list',
    'aria-describedby': `${id}-hint`,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: t('battle.pick'),
    value: initial ? speciesName(initial) : '',
  });
  const list = h('ul', { id: `${id}-list`, role: 'listbox', 'aria-label': label, hidden: true });
  let shown: SpeciesSummary[] = [];
  let active = -1;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const setActive = (i: number) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    const li = list.children[i] as HTMLElement | undefined;
    if (li) {
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    }
  };
  const choose = (p: SpeciesSummary) => {
    input.value = speciesName(p);
    close();
    onPick(p);
  };
  const open = () => {
    const q = fold(input.value.trim());
    shown = all.filter((p) => !q || fold(speciesName(p)).includes(q) || fold(p.name).includes(q) || String(p.id) === q).slice(0, 30);
    list.replaceChildren(
      ...shown.map((p, i) => {
        const li = h('li', { id: `${id}-o${i}`, role: 'option', 'aria-selected': 'false' }, sprite(p.id, ''), h('span', null, speciesName(p)), typeBadges(p.types));
        li.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the input
        li.addEventListener('click', () => choose(p));
        return li;
      }),
    );
    if (!shown.length) list.append(h('li', { role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false', id: `${id}-none` }, t('battle.noMatch')));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (shown.length) setActive(0);
  };
  input.addEventListener('input', open);
  input.addEventListener('focus', () => input.select());
  input.addEventListener('blur', () => setTimeout(close, 100));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (list.hidden) open();
      else if (shown.length) setActive((active + 1) % shown.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (shown.length) setActive((active - 1 + shown.length) % shown.length);
    } else if (e.key === 'Enter') {
      if (!list.hidden && active >= 0 && shown[active]) {
        e.preventDefault();
        choose(shown[active]);
      }
    } else if (e.key === 'Escape') {
      close();
    }
  });
  return h('div', { class: 'combo' }, h('label', { for: id }, label), input, h('span', { id: `${id}-hint`, class: 'visually-hidden' }, t('battle.pickHint')), list);
}

// Moves the engine can play, one entry per move.
export function playableMoves(detail: SpeciesDetail): MoveSummary[] {
  const seen = new Map<string, MoveSummary>();
  for (const row of detail.learnset) if (row.move.engine_supported && !seen.has(row.move.showdown_id)) seen.set(row.move.showdown_id, row.move);
  return [...seen.values()].sort((a, b) => b.power - a.power || a.name.localeCompare(b.name));
}

function rankingName(r: MoveRanking): string {
  return r.move_name ?? r.name ?? (typeof r.move === 'string' ? r.move : '?');
}

export async function render(ctx: PageContext): Promise<void> {
  ctx.root.append(pageTitle(t('battle.title')), h('p', null, t('battle.intro')));
  const body = h('div');
  ctx.root.append(body);
  let all: SpeciesSummary[];
  try {
    body.append(h('p', { class: 'loading', role: 'status' }, t('loading')));
    all = await roster();
  } catch (err) {
    body.replaceChildren(errorBox(err, () => {
      ctx.root.replaceChildren();
      void render(ctx);
    }));
    return;
  }
  body.replaceChildren();
  const byId = new Map(all.map((p) => [String(p.id), p]));
  const sides: [Side, Side] = [
    { n: 1, species: byId.get(ctx.query.get('p1') ?? '') ?? null, detail: null, level: 50, moves: [] },
    { n: 2, species: byId.get(ctx.query.get('p2') ?? '') ?? null, detail: null, level: 50, moves: [] },
  ];
  const compare = h('section', { class: 'card', 'aria-labelledby': 'cmp-h' });
  const results = h('div', { 'aria-live': 'polite' });
  const predictButton = h('button', { type: 'button', id: 'predict', class: 'primary' }, t('battle.predict'));
  const hint = h('p', { class: 'muted', id: 'predict-hint' });

  const renderCompare = () => {
    const [a, b] = sides.map((s) => s.detail);
    if (!a || !b) {
      compare.hidden = true;
      return;
    }
    compare.hidden = false;
    compare.replaceChildren(
      h('h2', { id: 'cmp-h' }, t('battle.compare')),
      table(
        null,
        ['', `${speciesName(a)} (${t('battle.level')} ${a.stats.level})`, `${speciesName(b)} (${t('battle.level')} ${b.stats.level})`],
        STAT_KEYS.map((k) => {
          const x = a.stats.computed[k];
          const y = b.stats.computed[k];
          return [t(`stat.${k}`), h('span', null, String(x), x > y ? ' ▲' : ''), h('span', null, String(y), y > x ? ' ▲' : '')];
        }),
        'compare',
      ),
    );
  };
  const updateButton = () => {
    const ready = sides.every((s) => s.detail);
    predictButton.disabled = !ready;
    hint.textContent = ready ? '' : t('battle.needBoth');
  };

  const sidePanel = (side: Side) => {
    const panel = h('section', { class: `card side p${side.n}`, 'aria-labelledby': `side${side.n}-h` });
    const info = h('div');
    const levelId = uid('level');
    const levelInput = h('input', { id: levelId, type: 'number', min: 1, max: 100, value: side.level, inputmode: 'numeric' });
    const movesBox = h('div');
    const loadDetail = () => {
      if (!side.species) return;
      const id = side.species.id;
      info.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('loading')));
      request<SpeciesDetail>(`/api/v1/pokemon/${id}?level=${side.level}`)
        .then((d) => {
          if (side.species?.id !== id) return;
          const keep = side.detail?.id === d.id;
          side.detail = d;
          if (!keep) side.moves = [];
          info.replaceChildren(h('div', { class: 'winner' }, sprite(d.id, speciesName(d), 'sprite', true), h('div', null, h('strong', null, speciesName(d)), h('br'), typeBadges(d.types))));
          if (!keep) renderMoves();
          renderCompare();
          updateButton();
        })
        .catch((err) => info.replaceChildren(errorBox(err, loadDetail)));
    };
    const renderMoves = () => {
      const d = side.detail;
      if (!d) return movesBox.replaceChildren();
      const moves = playableMoves(d);
      const status = h('p', { class: 'muted', 'aria-live': 'polite' });
      const filterId = uid('mf');
      const filter = h('input', { id: filterId, type: 'search', autocomplete: 'off' });
      const boxes: HTMLInputElement[] = [];
      const list = h('div', { class: 'movelist' });
      const sync = () => {
        status.textContent = side.moves.length ? t('battle.movesChosen', { n: side.moves.length }) : t('battle.letChoose');
        for (const b of boxes) b.disabled = !b.checked && side.moves.length >= 4;
      };
      for (const m of moves) {
        const cb = h('input', { type: 'checkbox', value: m.showdown_id, checked: side.moves.includes(m.showdown_id) });
        cb.addEventListener('change', () => {
          side.moves = cb.checked ? [...side.moves, m.showdown_id] : side.moves.filter((x) => x !== m.showdown_id);
          sync();
        });
        boxes.push(cb);
        list.append(
          h('label', { 'data-move': m.showdown_id }, cb, h('span', null, m.name), typeBadge(m.type), h('span', { class: 'meta' }, `${t(`cat.${m.category}`)} · ${m.power || '—'}${m.accuracy ? ` · ${m.accuracy}%` : ''}`)),
        );
      }
      filter.addEventListener('input', () => {
        const q = fold(filter.value.trim());
        for (const label of list.children as HTMLCollectionOf<HTMLElement>) label.hidden = !!q && !fold(label.textContent ?? '').includes(q);
      });
      sync();
      movesBox.replaceChildren(
        h('fieldset', null, h('legend', null, t('battle.moves')), status, h('label', { for: filterId }, t('battle.movesFilter')), ' ', filter, list),
      );
    };
    levelInput.addEventListener('change', () => {
      const v = Math.round(Number(levelInput.value));
      if (!(v >= 1 && v <= 100)) {
        levelInput.value = String(side.level);
        return;
      }
      side.level = v;
      loadDetail();
    });
    panel.append(
      h('h2', { id: `side${side.n}-h` }, t('battle.side', { n: side.n })),
      combobox(t('battle.side', { n: side.n }), all, (p) => {
        side.species = p;
        side.detail = null;
        updateButton();
        loadDetail();
      }, side.species),
      h('div', null, h('label', { for: levelId }, t('battle.level')), ' ', levelInput),
      info,
      movesBox,
    );
    loadDetail();
    return panel;
  };

  body.append(h('div', { class: 'grid2' }, sidePanel(sides[0]), sidePanel(sides[1])), compare, h('div', { class: 'actions' }, predictButton), hint, results);
  compare.hidden = true;
  updateButton();

  const sideBody = (s: Side, key: 1 | 2) => ({
    [`pokemon_${key}_id`]: s.detail!.id,
    [`level_${key}`]: s.level,
    ...(s.moves.length ? { [`pokemon_${key}_moves`]: s.moves } : {}),
  });

  predictButton.addEventListener('click', () => void predict());
  async function predict(): Promise<void> {
    if (!sides[0].detail || !sides[1].detail) return;
    const [a, b] = sides;
    const battleBody = { ...sideBody(a, 1), ...sideBody(b, 2) };
    const status = h('p', { class: 'loading', role: 'status' }, t('loading'));
    results.replaceChildren(status);
    predictButton.disabled = true;
    const onSlow = () => (status.textContent = t('slow'));
    const predictionP = request<Prediction>('/api/v1/predict/battle', { body: battleBody, onSlow });
    const oddsP = request<Odds>('/api/v1/simulate/odds', { body: { ...battleBody, method: 'auto' }, timeoutMs: 30000 });
    const bestP = request<BestMove>('/api/v1/predict/best-move', {
      body: {
        pokemon_a_id: a.detail!.id,
        pokemon_b_id: b.detail!.id,
        level_a: a.level,
        level_b: b.level,
        ...(a.moves.length ? { available_moves: a.moves } : {}),
        ...(b.moves.length ? { available_moves_b: b.moves } : {}),
      },
      optionalRoute: true,
    });
    let prediction: Prediction;
    try {
      prediction = await predictionP;
    } catch (err) {
      results.replaceChildren(errorBox(err, () => void predict()));
      predictButton.disabled = false;
      return;
    } finally {
      oddsP.catch(() => undefined);
      bestP.catch(() => undefined);
    }
    predictButton.disabled = false;
    const p1 = prediction.pokemon_1;
    const p2 = prediction.pokemon_2;
    const names = [speciesName(a.detail!), speciesName(b.detail!)];
    const winnerDetail = prediction.winner === 1 ? a.detail! : b.detail!;
    const engineBox = h('div', { class: 'engine' }, h('p', { class: 'loading', role: 'status' }, t('loading')));
    const rankingBox = h('section', { class: 'card', 'aria-labelledby': 'rank-h' }, h('h2', { id: 'rank-h' }, t('battle.ranking', { name: names[0] })), h('p', { class: 'loading', role: 'status' }, t('loading')));
    const replayBox = h('section', { class: 'card replay', 'aria-labelledby': 'replay-h' });
    const playButton = h('button', { type: 'button', id: 'play' }, t('battle.play'));
    const movesUsed = (s: typeof p1, name: string) =>
      h('li', null, h('strong', null, `${name}: `), s.moves.map((m) => m.name).join(', '), h('span', { class: 'muted' }, ` (${t(`battle.chosenBy.${s.moves_chosen_by}`)})`));
    results.replaceChildren(
      h(
        'section',
        { class: 'card result', 'aria-labelledby': 'result-h', 'data-testid': 'prediction' },
        h('h2', { id: 'result-h' }, t('battle.result')),
        h(
          'div',
          { class: 'winner' },
          sprite(winnerDetail.id, speciesName(winnerDetail), 'sprite big', true),
          h('div', null, h('p', { class: 'big', 'data-testid': 'winner' }, t('battle.wins', { name: speciesName(winnerDetail) })), h('p', { 'data-testid': 'confidence' }, t('battle.confidence', { p: percent(prediction.confidence, 1) })), h('p', { class: 'muted' }, t('battle.model', { v: prediction.model_version }))),
        ),
        probabilityBar(t('battle.probBar'), { name: names[0], p: prediction.pokemon_1_win_probability }, { name: names[1], p: prediction.pokemon_2_win_probability }),
        h('h3', null, t('battle.movesUsed')),
        h('ul', null, movesUsed(p1, names[0]), movesUsed(p2, names[1])),
        h('h3', null, t('battle.engine')),
        engineBox,
        h('div', { class: 'actions' }, playButton),
      ),
      rankingBox,
      replayBox,
    );
    replayBox.hidden = true;
    playButton.addEventListener('click', () => void playOut(replayBox, battleBody, names));

    oddsP
      .then((o) => {
        const method = o.method === 'exact' ? t('battle.engineExact') : t('battle.engineMc', { n: o.n, lo: percent(o.ci.low, 1), hi: percent(o.ci.high, 1) });
        engineBox.replaceChildren(
          h('p', { 'data-testid': 'engine-odds' }, t('battle.engineVsModel', { m: percent(prediction.pokemon_1_win_probability, 1), e: percent(o.pokemon_1_win_probability, 1), name: names[0] }), ` (${method})`),
          probabilityBar(t('battle.engine'), { name: names[0], p: o.pokemon_1_win_probability }, { name: names[1], p: o.pokemon_2_win_probability }),
        );
      })
      .catch((err) => engineBox.replaceChildren(h('p', { class: 'notice' }, errorMessage(err))));

    bestP
      .then((best) => {
        const rec = typeof best.recommended_move === 'string' ? best.recommended_move : best.recommended_move?.name;
        rankingBox.replaceChildren(
          h('h2', { id: 'rank-h' }, t('battle.ranking', { name: names[0] })),
          h('p', { 'data-testid': 'recommended' }, t('battle.recommended', { move: rec ?? '?', p: percent(best.win_probability, 1) })),
          table(
            null,
            [t('battle.rank'), t('move.name'), t('move.type'), t('move.category'), t('move.power'), t('battle.stab'), t('battle.effect'), t('move.priority'), t('battle.winProb'), t('battle.predWinner')],
            best.move_rankings.map((r, i) => {
              const bar = h('span', { class: 'minibar' }, h('span'));
              (bar.firstChild as HTMLElement).style.width = `${(100 * r.win_probability).toFixed(0)}%`;
              const eff = r.type_multiplier ?? r.effectiveness;
              const winner = r.predicted_winner === 'A' ? names[0] : r.predicted_winner === 'B' ? names[1] : (r.predicted_winner ?? '');
              return [
                i + 1,
                rankingName(r),
                r.type ? typeBadge(r.type) : '',
                r.category ? t(`cat.${r.category as 'Physical'}`) : '',
                r.power ?? '',
                r.stab === undefined ? '' : r.stab ? t('battle.yes') : t('battle.no'),
                eff === undefined ? '' : `×${multiplierText(eff)}`,
                r.priority ?? 0,
                h('span', null, bar, percent(r.win_probability, 1)),
                winner,
              ];
            }),
            'ranking',
          ),
        );
      })
      .catch((err) => {
        rankingBox.replaceChildren(h('h2', { id: 'rank-h' }, t('battle.ranking', { name: names[0] })), err instanceof ApiError && err.kind === 'not_available' ? h('p', { class: 'notice' }, t('notYet')) : errorBox(err, () => void predict()));
      });
  }

  async function playOut(box: HTMLElement, battleBody: Record<string, unknown>, names: string[]): Promise<void> {
    box.hidden = false;
    box.replaceChildren(h('h2', { id: 'replay-h' }, t('battle.replay')), h('p', { class: 'loading', role: 'status' }, t('loading')));
    let result: BattleResult;
    try {
      result = await request<BattleResult>('/api/v1/simulate/battle', { body: { ...battleBody, seed: Math.floor(Math.random() * 1e9) } });
    } catch (err) {
      box.replaceChildren(h('h2', { id: 'replay-h' }, t('battle.replay')), errorBox(err, () => void playOut(box, battleBody, names)));
      return;
    }
    replay(box, result, names, ctx.signal, () => void playOut(box, battleBody, names));
    box.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }
}

function hpBar(name: string, max: number): { el: HTMLElement; set: (hp: number) => void } {
  const fill = h('span', { class: 'fill' });
  const label = h('span');
  const track = h('span', { class: 'track', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': max, 'aria-label': name }, fill);
  const set = (hp: number) => {
    const f = max > 0 ? hp / max : 0;
    fill.style.width = `${(100 * f).toFixed(1)}%`;
    fill.className = `fill${f <= 0.2 ? ' crit' : f <= 0.5 ? ' low' : ''}`;
    track.setAttribute('aria-valuenow', String(hp));
    label.textContent = t('battle.hp', { name, hp, max });
  };
  set(max);
  return { el: h('div', { class: 'hp' }, label, track), set };
}

function replay(box: HTMLElement, r: BattleResult, names: string[], signal: AbortSignal, again: () => void): void {
  const bars = [hpBar(names[0], r.pokemon_1.stats.hp), hpBar(names[1], r.pokemon_2.stats.hp)];
  const log = h('ul');
  const logBox = h('div', { class: 'log', tabindex: 0, 'aria-label': t('battle.replay') }, log);
  const outcome = h('p', { role: 'status', 'data-testid': 'replay-outcome' });
  const pauseB = h('button', { type: 'button', class: 'secondary' }, t('battle.pause'));
  const stepB = h('button', { type: 'button', class: 'secondary' }, t('battle.step'));
  const endB = h('button', { type: 'button', class: 'secondary', id: 'replay-end' }, t('battle.toEnd'));
  const againB = h('button', { type: 'button' }, t('battle.again'));
  box.replaceChildren(
    h('h2', { id: 'replay-h' }, t('battle.replay')),
    h('div', { class: 'hpbars' }, bars[0].el, bars[1].el),
    h('div', { class: 'actions' }, pauseB, stepB, endB, againB),
    logBox,
    outcome,
  );
  let i = 0;
  let paused = false;
  const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const apply = (e: BattleEvent) => {
    if (e.hp_after !== undefined && e.side) bars[e.side - 1].set(e.hp_after);
    const li = h('li', { class: e.kind }, eventText(e, names));
    log.append(li);
    logBox.scrollTop = logBox.scrollHeight;
  };
  // Advances to the end of the next turn (all events up to the next "turn" marker).
  const step = () => {
    if (i >= r.events.length) return;
    do apply(r.events[i++]);
    while (i < r.events.length && r.events[i].kind !== 'turn');
    if (i >= r.events.length) finish();
  };
  const finish = () => {
    clearInterval(timer);
    pauseB.disabled = stepB.disabled = endB.disabled = true;
    outcome.textContent = r.winner === 0 ? t('battle.draw', { n: r.turns }) : t('battle.turnsTotal', { name: names[r.winner - 1], n: r.turns });
  };
  const timer = setInterval(() => {
    if (signal.aborted || !box.isConnected) return clearInterval(timer);
    if (!paused) step();
  }, reduced ? 1500 : 800);
  pauseB.addEventListener('click', () => {
    paused = !paused;
    pauseB.textContent = paused ? t('battle.resume') : t('battle.pause');
  });
  stepB.addEventListener('click', () => {
    paused = true;
    pauseB.textContent = t('battle.resume');
    step();
  });
  endB.addEventListener('click', () => {
    while (i < r.events.length) apply(r.events[i++]);
    finish();
  });
  againB.addEventListener('click', () => {
    clearInterval(timer);
    again();
  });
  step();
}
