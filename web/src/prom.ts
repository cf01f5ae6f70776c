// Reads Prometheus text exposition (GET /metrics) in the browser: samples, sums, rates between two
// scrapes and histogram quantiles (the same linear interpolation as PromQL's histogram_quantile).
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[3]) {
      for (const l of m[3].matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    const v = m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : Number(m[4]);
    out.push({ name: m[1], labels, value: v });
  }
  return out;
}

export type LabelFilter = (labels: Record<string, string>) => boolean;

export function sum(samples: Sample[], name: string, filter: LabelFilter = () => true): number {
  let total = 0;
  for (const s of samples) if (s.name === name && filter(s.labels)) total += s.value;
  return total;
}

// Sum of `name` grouped by one label.
export function sumBy(samples: Sample[], name: string, label: string, filter: LabelFilter = () => true): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name || !filter(s.labels)) continue;
    const k = s.labels[label] ?? '';
    out.set(k, (out.get(k) ?? 0) + s.value);
  }
  return out;
}

// Cumulative buckets (le -> count) of a histogram, summed over series matching `filter`, sorted by le.
export function buckets(samples: Sample[], name: string, filter: LabelFilter = () => true): { le: number; count: number }[] {
  const byLe = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket` || !filter(s.labels)) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  return [...byLe.entries()].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count }));
}

// Bucket-wise difference now - before (counter resets give negative values: clamp to now).
export function bucketDelta(now: { le: number; count: number }[], before: { le: number; count: number }[]): { le: number; count: number }[] {
  const prev = new Map(before.map((b) => [b.le, b.count]));
  const reset = now.some((b) => b.count < (prev.get(b.le) ?? 0));
  return now.map((b) => ({ le: b.le, count: reset ? b.count : b.count - (prev.get(b.le) ?? 0) }));
}

// q-quantile of cumulative buckets; null when empty. Above the last finite bound: that bound.
export function quantile(q: number, cumulative: { le: number; count: number }[]): number | null {
  if (cumulative.length === 0) return null;
  const total = cumulative[cumulative.length - 1].count;
  if (total <= 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of cumulative) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      if (b.count === prevCount) return b.le;
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / (b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}
