// The API client. Same-origin only: the app asks POST /api/v1/session for an HttpOnly cookie (DESIGN §3)
// and never holds a key. Every failure becomes an ApiError whose `kind` the pages turn into a plain
// sentence (errors.ts); nothing technical reaches the player.

export type ErrorKind =
  | 'offline' // network failure: server down or unreachable
  | 'timeout' // no answer within the time limit
  | 'rate_limited' // 429, retryAfter seconds
  | 'invalid' // 400/413/415/422: fields names what was refused
  | 'not_found' // 404
  | 'not_available' // 404/405 on a route this server does not have (yet)
  | 'no_model' // 503 "model not loaded"
  | 'unavailable' // other 503
  | 'denied' // 401/403
  | 'server'; // 5xx and anything unexpected

export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly status: number,
    readonly retryAfter: number | null = null,
    readonly fields: string[] = [],
  ) {
    super(kind);
  }
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

// Whole seconds from a Retry-After header (delta-seconds or an HTTP date); null when absent or unreadable.
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const when = Date.parse(value);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - now) / 1000));
}

// Maps an HTTP failure to an ApiError. `optionalRoute`: a 404 without a problem body naming a resource
// means the route itself is missing on this server.
export function classify(status: number, retryAfter: string | null, problem: Problem | null, optionalRoute = false): ApiError {
  const fields = (problem?.errors ?? []).map((e) => e.field).filter((f) => !!f);
  if (status === 429) return new ApiError('rate_limited', status, parseRetryAfter(retryAfter) ?? 1);
  if (status === 400 || status === 413 || status === 415 || status === 422) return new ApiError('invalid', status, null, fields);
  if (status === 404 || status === 405) {
    const routeMissing = status === 405 || /no route|not found: no such route|unknown route/i.test(problem?.detail ?? '');
    return new ApiError(optionalRoute || routeMissing ? 'not_available' : 'not_found', status);
  }
  if (status === 401 || status === 403) return new ApiError('denied', status);
  if (status === 503) {
    const noModel = /model/i.test(`${problem?.detail ?? ''} ${problem?.title ?? ''}`);
    return new ApiError(noModel ? 'no_model' : 'unavailable', status, parseRetryAfter(retryAfter));
  }
  return new ApiError('server', status);
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  timeoutMs?: number;
  optionalRoute?: boolean; // 404 means "this server does not have the route yet"
  onSlow?: () => void; // called once when the answer takes longer than slowMs
  slowMs?: number;
  text?: boolean; // return the body as text (/metrics)
}

let session: Promise<void> | null = null;

// One session per page load; refreshed once when the server says it expired (401).
function ensureSession(force = false): Promise<void> {
  if (!session || force) {
    session = fetch('/api/v1/session', { method: 'POST', credentials: 'same-origin' })
      .then(() => undefined)
      .catch(() => {
        session = null; // offline: the real request will report it
      });
  }
  return session;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  if (path.startsWith('/api/')) await ensureSession();
  let res = await send(path, opts);
  if (res.status === 401 && path.startsWith('/api/')) {
    await ensureSession(true);
    res = await send(path, opts);
  }
  if (!res.ok) {
    let problem: Problem | null = null;
    try {
      problem = (await res.json()) as Problem;
    } catch {
      problem = null;
    }
    throw classify(res.status, res.headers.get('Retry-After'), problem, opts.optionalRoute);
  }
  try {
    return (opts.text ? await res.text() : await res.json()) as T;
  } catch {
    throw new ApiError('server', res.status);
  }
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), opts.timeoutMs ?? 20000);
  const slow = opts.onSlow ? setTimeout(opts.onSlow, opts.slowMs ?? 2500) : undefined;
  try {
    return await fetch(path, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers: opts.body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: controller.signal,
    });
  } catch {
    throw new ApiError(controller.signal.aborted ? 'timeout' : 'offline', 0);
  } finally {
    clearTimeout(timeout);
    if (slow) clearTimeout(slow);
  }
}

// Data shapes (docs/openapi.json), as far as the pages read them.
export interface Stats {
  hp: number;
  atk: number;
  def: number;
  spa: number;
  spd: number;
  spe: number;
}
export interface SpeciesSummary {
  id: number;
  showdown_id: string;
  name: string;
  name_fr?: string | null;
  types: string[];
  base_stats: Stats;
  is_mega: boolean;
  is_alola: boolean;
  is_starter: boolean;
  forme: string | null;
}
export interface MoveSummary {
  id: number;
  showdown_id: string;
  name: string;
  type: string;
  category: 'Physical' | 'Special' | 'Status';
  power: number;
  accuracy: number | null;
  pp: number;
  priority: number;
  engine_supported: boolean;
}
export interface SpeciesRef {
  id: number | null;
  showdown_id: string;
  name: string;
}
export interface SpeciesDetail extends SpeciesSummary {
  num: number;
  stats: { level: number; base: Stats; computed: Stats };
  type_matchups: Record<'weaknesses' | 'resistances' | 'immunities', { type: string; multiplier: number }[]>;
  prevo: SpeciesRef | null;
  evolutions: (SpeciesRef & { trigger: string; level: number | null; item: string | null; condition: string | null })[];
  mega_evolutions: SpeciesRef[];
  learnset: { move: MoveSummary; method: string; level: number | null; inherited_from: SpeciesRef | null }[];
}
export interface BattleSide {
  id: number;
  name: string;
  level: number;
  types: string[];
  stats: Stats;
  moves: MoveSummary[];
  moves_chosen_by: 'request' | 'server';
}
export interface Prediction {
  winner: 1 | 2;
  winner_name: string;
  confidence: number;
  pokemon_1_win_probability: number;
  pokemon_2_win_probability: number;
  model_version: string;
  prediction_id: string;
  pokemon_1: BattleSide;
  pokemon_2: BattleSide;
}
export interface BattleEvent {
  turn: number;
  kind: string;
  side?: 1 | 2;
  move?: string;
  detail?: string;
  damage?: number;
  crit?: boolean;
  effectiveness?: number;
  value?: number;
  hp_after?: number;
  max_hp?: number;
  text: string;
}
export interface BattleResult {
  winner: 0 | 1 | 2;
  winner_name: string | null;
  turns: number;
  seed: number;
  pokemon_1: BattleSide;
  pokemon_2: BattleSide;
  events: BattleEvent[];
}
export interface Odds {
  pokemon_1_win_probability: number;
  pokemon_2_win_probability: number;
  draw_probability: number;
  method: 'exact' | 'mc';
  n: number;
  ci: { level: number; low: number; high: number };
}
export interface MoveRanking {
  move?: string;
  move_name?: string;
  name?: string;
  type?: string;
  category?: string;
  power?: number;
  stab?: boolean;
  type_multiplier?: number;
  effectiveness?: number;
  priority?: number;
  win_probability: number;
  predicted_winner?: string;
}
export interface BestMove {
  recommended_move: string | { name: string };
  win_probability: number;
  move_rankings: MoveRanking[];
}

const cache = new Map<string, Promise<unknown>>();

// GET with an in-memory cache for data that does not change while the server runs (the Dex).
export function cached<T>(path: string): Promise<T> {
  let p = cache.get(path) as Promise<T> | undefined;
  if (!p) {
    p = request<T>(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

export function roster(): Promise<SpeciesSummary[]> {
  return cached<{ items: SpeciesSummary[] }>('/api/v1/pokemon?limit=200').then((r) => r.items);
}

export function typeChart(): Promise<{ types: string[]; matrix: number[][] }> {
  return cached('/api/v1/types/effectiveness');
}
