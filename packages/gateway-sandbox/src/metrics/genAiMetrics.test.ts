import { GenAiAttributes, GenAiMetrics } from './genAiMetrics';
import {
  parseRequestHeaderAttributes,
  prometheusLabelName,
} from './headerAttributes';

const attrs = (headers: Record<string, string> = {}): GenAiAttributes => ({
  operation: 'chat',
  provider: 'openai',
  originalModel: 'llama-3.1-8b',
  requestModel: 'llama31-8b',
  responseModel: 'llama31-8b',
  header: name => headers[name],
});

describe('GenAI metrics text', () => {
  it('writes token usage as the ext_proc admin server does (labels sorted, OTel scope, no client label by default)', () => {
    const metrics = new GenAiMetrics(new Map());
    metrics.recordTokenUsage(attrs({ 'x-inference-client-id': 'ci' }), [
      ['input', 44],
    ]);
    const lines = metrics.render().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '# HELP gen_ai_client_token_usage Number of tokens processed.',
      '# TYPE gen_ai_client_token_usage histogram',
      'gen_ai_client_token_usage_bucket{gen_ai_operation_name="chat",gen_ai_original_model="llama-3.1-8b",gen_ai_provider_name="openai",gen_ai_request_model="llama31-8b",gen_ai_response_model="llama31-8b",gen_ai_token_type="input",otel_scope_name="envoyproxy/ai-gateway",otel_scope_schema_url="",otel_scope_version="",le="1"} 0',
    ]);
    expect(lines).toContain(
      'gen_ai_client_token_usage_bucket{gen_ai_operation_name="chat",gen_ai_original_model="llama-3.1-8b",gen_ai_provider_name="openai",gen_ai_request_model="llama31-8b",gen_ai_response_model="llama31-8b",gen_ai_token_type="input",otel_scope_name="envoyproxy/ai-gateway",otel_scope_schema_url="",otel_scope_version="",le="1.048576e+06"} 1',
    );
    expect(lines).toContain(
      'gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_original_model="llama-3.1-8b",gen_ai_provider_name="openai",gen_ai_request_model="llama31-8b",gen_ai_response_model="llama31-8b",gen_ai_token_type="input",otel_scope_name="envoyproxy/ai-gateway",otel_scope_schema_url="",otel_scope_version=""} 44',
    );
  });

  it('adds a mapped request header as a label, dots turned into underscores, only when present', () => {
    const metrics = new GenAiMetrics(
      parseRequestHeaderAttributes('x-inference-client-id:client.id'),
    );
    metrics.recordRequestCompletion(
      attrs({ 'x-inference-client-id': 'ci-7k2p' }),
      true,
      0.5,
    );
    metrics.recordRequestCompletion(attrs(), false, 0.25);
    const text = metrics.render();
    expect(text).toContain(
      'gen_ai_server_request_duration_seconds_count{client_id="ci-7k2p",gen_ai_operation_name="chat",',
    );
    expect(text).toContain(
      'gen_ai_server_request_duration_seconds_count{error_type="_OTHER",gen_ai_operation_name="chat",',
    );
  });

  it('writes nothing before the first observation', () => {
    expect(new GenAiMetrics(new Map()).render()).toBe('');
  });
});

describe('metricsRequestHeaderAttributes', () => {
  it('parses header:attribute pairs, trimmed, the last attribute of a header winning', () => {
    expect([
      ...parseRequestHeaderAttributes(' x-a:a.b , x-tenant-id:tenant.id,x-a:c'),
    ]).toEqual([
      ['x-a', 'c'],
      ['x-tenant-id', 'tenant.id'],
    ]);
    expect(parseRequestHeaderAttributes('').size).toBe(0);
    expect(parseRequestHeaderAttributes(undefined).size).toBe(0);
  });

  it.each(['x-a', 'x-a:a,', ':a', 'x-a: '])(
    'refuses %p as the ext_proc refuses to start',
    value => {
      expect(() => parseRequestHeaderAttributes(value)).toThrow();
    },
  );

  it('turns OTel attribute names into Prometheus label names', () => {
    expect(prometheusLabelName('client.id')).toBe('client_id');
    expect(prometheusLabelName('gen_ai.token.type')).toBe('gen_ai_token_type');
    expect(prometheusLabelName('1.x')).toBe('key_1_x');
  });
});
