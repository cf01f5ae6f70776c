// Type quiz questions drawn from the chart. Every question offers every multiplier its kind can produce
// (single type: 0, ½, 1, 2; dual type: 0, ¼, ½, 1, 2, 4), so the right answer is always among the choices.
import { multiplier, type Chart } from './typeMath';

export interface Question {
  attacking: string;
  defending: string[];
  answer: number;
  choices: number[];
}

export const SINGLE_CHOICES = [0, 0.5, 1, 2];
export const DUAL_CHOICES = [0, 0.25, 0.5, 1, 2, 4];

// Deterministic for a given seed (mulberry32), so tests can replay a quiz.
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

// Every pairing of the chart by kind and answer, computed once per chart.
const pairings = new WeakMap<Chart, Map<string, { attacking: string; defending: string[] }[]>>();

function pairingsOf(chart: Chart): Map<string, { attacking: string; defending: string[] }[]> {
  let map = pairings.get(chart);
  if (map) return map;
  map = new Map();
  const add = (key: string, attacking: string, defending: string[]) => map!.set(key, [...(map!.get(key) ?? []), { attacking, defending }]);
  for (const a of chart.types) {
    for (let i = 0; i < chart.types.length; i++) {
      add(`1:${multiplier(chart, a, [chart.types[i]])}`, a, [chart.types[i]]);
      for (let j = i + 1; j < chart.types.length; j++) {
        const defending = [chart.types[i], chart.types[j]];
        add(`2:${multiplier(chart, a, defending)}`, a, defending);
      }
    }
  }
  pairings.set(chart, map);
  return map;
}

// Picks the wanted answer first (uniformly among those the kind allows), then a pairing that gives it: so
// rare answers (×4, ×¼, ×0) come up as often as the others instead of drowning under ×1.
export function makeQuestion(chart: Chart, random: () => number, dualShare = 0.5): Question {
  const dual = random() < dualShare;
  const choices = dual ? DUAL_CHOICES : SINGLE_CHOICES;
  const all = pairingsOf(chart);
  const possible = choices.filter((c) => all.has(`${dual ? 2 : 1}:${c}`));
  const target = possible[Math.floor(random() * possible.length)];
  const candidates = all.get(`${dual ? 2 : 1}:${target}`)!;
  const pick = candidates[Math.floor(random() * candidates.length)];
  const defending = [...pick.defending];
  if (dual && random() < 0.5) defending.reverse(); // either order on screen
  return { attacking: pick.attacking, defending, answer: target, choices };
}

export function isCorrect(q: Question, answer: number): boolean {
  return q.answer === answer;
}
