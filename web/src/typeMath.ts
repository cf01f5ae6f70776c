// Type effectiveness from the chart the API serves (GET /api/v1/types/effectiveness: {types, matrix}).
export interface Chart {
  types: string[];
  matrix: number[][]; // matrix[attacking][defending]
}

export function multiplier(chart: Chart, attacking: string, defending: readonly string[]): number {
  const a = chart.types.indexOf(attacking);
  if (a < 0) throw new Error(`unknown type ${attacking}`);
  let m = 1;
  for (const d of new Set(defending)) {
    const j = chart.types.indexOf(d);
    if (j < 0) throw new Error(`unknown type ${d}`);
    m *= chart.matrix[a][j];
  }
  return m;
}

// Damage taken by a Pokémon of `defending` types from each attacking type, grouped by multiplier
// (descending: 4, 2, 1, 0.5, 0.25, 0).
export function defensiveProfile(chart: Chart, defending: readonly string[]): { multiplier: number; types: string[] }[] {
  const groups = new Map<number, string[]>();
  for (const a of chart.types) {
    const m = multiplier(chart, a, defending);
    groups.set(m, [...(groups.get(m) ?? []), a]);
  }
  return [...groups.entries()].sort((x, y) => y[0] - x[0]).map(([m, types]) => ({ multiplier: m, types }));
}

// "½", "¼", "2", "0" ...
export function multiplierText(m: number): string {
  if (m === 0.5) return '½';
  if (m === 0.25) return '¼';
  return String(m);
}
