import { describe, expect, it } from 'vitest';
import { parsePrometheusText, selectSamples } from '../../src/sources/prometheus-text';
import { parseResilienceLogLine, readBreakers, readRetries, resilienceEvents } from '../../src/sources/resilience4j';
import { percentile, summarize } from '../../src/sources/percentiles';
import { CommandSourceSchema, lineToMetric } from '../../src/sources/command';
import { createJsonObjectSplitter } from '../../src/drivers/kubectl-pods';
import { checkKnownHosts, fingerprintOf } from '../../src/drivers/ssh-known-hosts';
import { parseDropInEnv, renderDropIn } from '../../src/drivers/ssh-dropin';

const EXPOSITION = `# HELP resilience4j_circuitbreaker_state The states of the circuit breaker
# TYPE resilience4j_circuitbreaker_state gauge
resilience4j_circuitbreaker_state{name="backendCB",state="closed",} 0.0
resilience4j_circuitbreaker_state{name="backendCB",state="open",} 1.0
resilience4j_circuitbreaker_state{name="backendCB",state="half_open",} 0.0
resilience4j_circuitbreaker_state{name="paymentCB",state="closed",} 1.0
resilience4j_circuitbreaker_failure_rate{name="backendCB",} 62.5
resilience4j_circuitbreaker_failure_rate{name="paymentCB",} -1.0
resilience4j_retry_calls_total{kind="failed_with_retry",name="backendRetry",} 4.0
http_server_requests_seconds_bucket{le="+Inf",uri="/api/a \\"quoted\\"\\nline"} 12 1700000000000
weird_value NaN
broken{label=unquoted} 1
`;

describe('Prometheus text exposition', () => {
  const parsed = parsePrometheusText(EXPOSITION);

  it('reads samples with labels, escapes, special values and timestamps, and reports broken lines', () => {
    expect(parsed.types.get('resilience4j_circuitbreaker_state')).toBe('gauge');
    expect(selectSamples(parsed, 'http_server_requests_seconds_bucket')).toEqual([
      { name: 'http_server_requests_seconds_bucket', labels: { le: '+Inf', uri: '/api/a "quoted"\nline' }, value: 12, timestamp: 1700000000000 },
    ]);
    expect(Number.isNaN(selectSamples(parsed, 'weird_value')[0]?.value)).toBe(true);
    expect(parsed.errors).toEqual(['line 12: broken{label=unquoted} 1']);
  });

  it('reads resilience4j breakers and retries from metrics', () => {
    expect(readBreakers(parsed)).toEqual([{ name: 'backendCB', state: 'OPEN', failureRate: 62.5 }, { name: 'paymentCB', state: 'CLOSED' }]);
    expect(readRetries(parsed)).toEqual([{ name: 'backendRetry', kind: 'failed_with_retry', value: 4 }]);
    expect(resilienceEvents(parsed, 'src').filter((e) => e.type === 'breaker')).toHaveLength(2);
  });
});

describe('resilience4j log lines', () => {
  it.each([
    ["2024-05-01 CircuitBreaker 'backendCB' changed state from CLOSED to OPEN", { type: 'breaker', name: 'backendCB', state: 'OPEN' }],
    ["CircuitBreaker 'backendCB' changed state: OPEN -> HALF_OPEN", { type: 'breaker', name: 'backendCB', state: 'HALF_OPEN' }],
    ["Retry 'backendRetry', waiting PT2S until attempt '3'. Last attempt failed with exception 'x'.", { type: 'metric', name: 'retry_attempt', value: 3, labels: { name: 'backendRetry' } }],
    ["Retry 'backendRetry' - Attempt #2", { type: 'metric', name: 'retry_attempt', value: 2 }],
  ])('%s', (line, expected) => {
    expect(parseResilienceLogLine(line, 'logs')).toEqual([expect.objectContaining({ source: 'logs', ...expected })]);
  });

  it('ignores other lines', () => {
    expect(parseResilienceLogLine('GET /api/products 200 12ms', 'logs')).toEqual([]);
  });
});

describe('percentiles', () => {
  it.each([
    [[], 50, 0],
    [[5], 99, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, 1],
  ])('nearest rank of %j at p%d is %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('summarizes unsorted durations', () => {
    expect(summarize([30, 10, 20])).toEqual({ p50: 20, p95: 30, p99: 30 });
  });
});

describe('command source lines to metrics', () => {
  it('takes the value from a named group and the other groups as labels', () => {
    const fields = CommandSourceSchema.parse({ kind: 'metrics', from: 'command', argv: ['x'], pattern: 'retransmit (?<comm>\\S+) (?<count>\\d+)', metric: 'tcp_retransmits', value: 'count' });
    expect(lineToMetric('retransmit postgres 7', new RegExp(fields.pattern!), fields, 'bpf')).toEqual({ type: 'metric', source: 'bpf', name: 'tcp_retransmits', value: 7, labels: { comm: 'postgres' } });
    expect(lineToMetric('nothing here', new RegExp(fields.pattern!), fields, 'bpf')).toBeNull();
  });

  it('counts a match as 1 without a value group', () => {
    const fields = CommandSourceSchema.parse({ kind: 'metrics', from: 'command', argv: ['x'], pattern: 'Out of memory', metric: 'oom_kills' });
    expect(lineToMetric('kernel: Out of memory: Killed process 12', new RegExp(fields.pattern!), fields, 'k')).toMatchObject({ value: 1 });
  });
});

describe('kubectl watch output', () => {
  it('splits pretty-printed JSON objects fed line by line, braces inside strings included', () => {
    const objects: unknown[] = [];
    const feed = createJsonObjectSplitter((o) => objects.push(o));
    for (const line of ['{', '  "type": "ADDED",', '  "object": {"name": "a}{\\"b"}', '}', '{"type": "DELETED", "object": {}}']) feed(line);
    expect(objects).toEqual([{ type: 'ADDED', object: { name: 'a}{"b' } }, { type: 'DELETED', object: {} }]);
  });
});

describe('known_hosts', () => {
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
  const other = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 9)]);
  const line = (hosts: string, key: Buffer) => `${hosts} ssh-ed25519 ${key.toString('base64')}`;

  it.each([
    ['a matching entry', line('db.example,10.0.0.5', blob), 'db.example', 22, 'match'],
    ['a port entry', line('[db.example]:2222', blob), 'db.example', 2222, 'match'],
    ['the port is part of the name', line('db.example', blob), 'db.example', 2222, 'unknown'],
    ['a wildcard', line('*.example', blob), 'db.example', 22, 'match'],
    ['a negated pattern', line('*.example,!db.example', blob), 'db.example', 22, 'unknown'],
    ['a different key', line('db.example', other), 'db.example', 22, 'mismatch'],
    ['a revoked key', `@revoked ${line('*', blob)}`, 'db.example', 22, 'revoked'],
  ])('%s', (_name, text, host, port, kind) => {
    expect(checkKnownHosts(text, host, port, blob).kind).toBe(kind);
  });

  it('matches hashed entries (HashKnownHosts)', async () => {
    const { createHmac } = await import('node:crypto');
    const salt = Buffer.alloc(20, 3);
    const hash = createHmac('sha1', salt).update('db.example').digest('base64');
    expect(checkKnownHosts(line(`|1|${salt.toString('base64')}|${hash}`, blob), 'db.example', 22, blob).kind).toBe('match');
  });

  it('prints fingerprints as ssh-keygen does', () => {
    expect(fingerprintOf(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('systemd drop-in', () => {
  it('merges new variables over a previous chaosdeck drop-in and reads them back', () => {
    const first = renderDropIn({ CHAOS_ENABLED: 'true', CHAOS_LATENCY_MS: '500' }, null);
    const second = renderDropIn({ CHAOS_ERROR_RATE: '0.2' }, first);
    expect(parseDropInEnv(second)).toEqual({ CHAOS_ENABLED: 'true', CHAOS_LATENCY_MS: '500', CHAOS_ERROR_RATE: '0.2' });
    expect(second).toContain('[Service]\nEnvironment="CHAOS_ENABLED=true"');
  });
});
