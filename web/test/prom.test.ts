import { describe, expect, it } from 'vitest';
import { bucketDelta, buckets, parseMetrics, quantile, sum, sumBy } from '../src/prom';
import { binCounts, pointBetween } from '../src/pages/monitoring';

const TEXT = `# HELP pdex_http_requests_total Requests.
# TYPE pdex_http_requests_total counter
pdex_http_requests_total{route="/api/v1/predict/battle",method="POST",status="200"} 90
pdex_http_requests_total{route="/api/v1/predict/battle",method="POST",status="422"} 5
pdex_http_requests_total{route="/health",method="GET",status="500"} 5
pdex_http_request_duration_seconds_bucket{route="/health",method="GET",le="0.001"} 50
pdex_http_request_duration_seconds_bucket{route="/health",method="GET",le="0.01"} 90
pdex_http_request_duration_seconds_bucket{route="/health",method="GET",le="+Inf"} 100
pdex_predictions_total{model_version="v1",winner="1"} 30
pdex_predictions_total{model_version="v1",winner="2"} 60
pdex_prediction_confidence_bucket{le="0.6"} 10
pdex_prediction_confidence_bucket{le="0.8"} 40
pdex_prediction_confidence_bucket{le="1"} 90
pdex_prediction_confidence_bucket{le="+Inf"} 90
pdex_label_escape{msg="a \\"quoted\\" \\\\ word"} 1
`;

describe('Prometheus text', () => {
  const s = parseMetrics(TEXT);
  it('parses samples and labels, with escapes', () => {
    expect(sum(s, 'pdex_http_requests_total')).toBe(100);
    expect(sum(s, 'pdex_http_requests_total', (l) => l.status.startsWith('5'))).toBe(5);
    expect(sumBy(s, 'pdex_predictions_total', 'winner')).toEqual(new Map([['1', 30], ['2', 60]]));
    expect(s.find((x) => x.name === 'pdex_label_escape')?.labels.msg).toBe('a "quoted" \\ word');
  });
  it('computes histogram quantiles like PromQL', () => {
    const b = buckets(s, 'pdex_http_request_duration_seconds');
    expect(b.map((x) => x.le)).toEqual([0.001, 0.01, Infinity]);
    expect(quantile(0.5, b)).toBeCloseTo(0.001);
    expect(quantile(0.7, b)).toBeCloseTo(0.001 + 0.009 * 0.5);
    expect(quantile(0.99, b)).toBe(0.01); // in the +Inf bucket: the last finite bound
    expect(quantile(0.5, [])).toBeNull();
  });
  it('differences two scrapes, treating a reset as a fresh start', () => {
    const now = [{ le: 1, count: 10 }, { le: Infinity, count: 12 }];
    expect(bucketDelta(now, [{ le: 1, count: 4 }, { le: Infinity, count: 4 }])).toEqual([{ le: 1, count: 6 }, { le: Infinity, count: 8 }]);
    expect(bucketDelta(now, [{ le: 1, count: 40 }, { le: Infinity, count: 40 }])).toEqual(now);
  });
  it('gives rates and error shares between scrapes', () => {
    const before = parseMetrics('pdex_http_requests_total{status="200"} 10\n');
    const p = pointBetween({ at: 0, samples: before }, { at: 2000, samples: s });
    expect(p.rate).toBe(45);
    expect(p.err5).toBeCloseTo(5 / 90);
    expect(p.err4).toBeCloseTo(5 / 90);
  });
  it('turns cumulative buckets into per-bin counts', () => {
    expect(binCounts(buckets(s, 'pdex_prediction_confidence'))).toEqual([
      { label: '0–0.6', count: 10 },
      { label: '0.6–0.8', count: 30 },
      { label: '0.8–1', count: 50 },
    ]);
  });
});
