import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defensiveProfile, multiplier, multiplierText, type Chart } from '../src/typeMath';

// The chart exactly as the API builds it: from data/lgpe-dex.json's type_chart.
export function chartFromData(): Chart {
  const dex = JSON.parse(readFileSync(path.resolve(__dirname, '../../data/lgpe-dex.json'), 'utf8'));
  const types: string[] = dex.content.types.map((t: { name: string }) => t.name);
  const matrix = types.map(() => types.map(() => 1));
  for (const e of dex.content.type_chart) matrix[types.indexOf(e.attacking)][types.indexOf(e.defending)] = e.multiplier;
  return { types, matrix };
}

describe('type effectiveness', () => {
  const chart = chartFromData();
  it('multiplies per defending type', () => {
    expect(multiplier(chart, 'Rock', ['Fire', 'Flying'])).toBe(4);
    expect(multiplier(chart, 'Grass', ['Water', 'Ground'])).toBe(4);
    expect(multiplier(chart, 'Electric', ['Ground'])).toBe(0);
    expect(multiplier(chart, 'Fire', ['Water', 'Dragon'])).toBe(0.25);
    expect(multiplier(chart, 'Fairy', ['Dragon'])).toBe(2);
  });
  it('counts a repeated type once', () => {
    expect(multiplier(chart, 'Water', ['Fire', 'Fire'])).toBe(2);
  });
  it('rejects unknown types', () => {
    expect(() => multiplier(chart, 'Sound', ['Fire'])).toThrow(/unknown type/);
  });
  it('has the Gen 6+ chart counts (51 ×2, 61 ×½, 8 ×0)', () => {
    const flat = chart.matrix.flat();
    expect(flat.filter((m) => m === 2)).toHaveLength(51);
    expect(flat.filter((m) => m === 0.5)).toHaveLength(61);
    expect(flat.filter((m) => m === 0)).toHaveLength(8);
  });
  it('groups a defensive profile by multiplier, covering all 18 attacking types', () => {
    const p = defensiveProfile(chart, ['Water', 'Ground']);
    expect(p[0]).toEqual({ multiplier: 4, types: ['Grass'] });
    expect(p.find((g) => g.multiplier === 0)?.types).toEqual(['Electric']);
    expect(p.flatMap((g) => g.types).sort()).toEqual([...chart.types].sort());
    expect(p.map((g) => g.multiplier)).toEqual([...p.map((g) => g.multiplier)].sort((a, b) => b - a));
  });
  it('writes fractions as symbols', () => {
    expect([0, 0.25, 0.5, 1, 2, 4].map(multiplierText)).toEqual(['0', '¼', '½', '1', '2', '4']);
  });
});
