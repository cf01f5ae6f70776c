import { describe, expect, it } from 'vitest';
import { DUAL_CHOICES, isCorrect, makeQuestion, rng, SINGLE_CHOICES } from '../src/quiz';
import { multiplier } from '../src/typeMath';
import { chartFromData } from './typeMath.test';

describe('type quiz', () => {
  const chart = chartFromData();
  it('always offers the right answer, and the answer is the chart multiplier', () => {
    const random = rng(42);
    for (let i = 0; i < 2000; i++) {
      const q = makeQuestion(chart, random);
      expect(q.choices).toContain(q.answer);
      expect(q.answer).toBe(multiplier(chart, q.attacking, q.defending));
      expect(isCorrect(q, q.answer)).toBe(true);
      expect(q.choices.filter((c) => isCorrect(q, c))).toHaveLength(1);
      expect(new Set(q.defending).size).toBe(q.defending.length);
    }
  });
  it('makes every answer reachable for both kinds of question', () => {
    const random = rng(1);
    const seen = { single: new Set<number>(), dual: new Set<number>() };
    for (let i = 0; i < 3000; i++) {
      const q = makeQuestion(chart, random);
      seen[q.defending.length === 1 ? 'single' : 'dual'].add(q.answer);
    }
    expect([...seen.single].sort()).toEqual([...SINGLE_CHOICES].sort());
    expect([...seen.dual].sort()).toEqual([...DUAL_CHOICES].sort());
  });
  it('is deterministic for a seed', () => {
    const a = Array.from({ length: 20 }, ((r) => () => makeQuestion(chart, r))(rng(9)));
    const b = Array.from({ length: 20 }, ((r) => () => makeQuestion(chart, r))(rng(9)));
    expect(a).toEqual(b);
  });
});
