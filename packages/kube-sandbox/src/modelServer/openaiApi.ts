import { ServerResponse } from 'node:http';
import { isPlainObject } from '../schema/structuralValidator';
import { countTokens, mockEmbedding, mockReply, shortHash } from './mockText';

/** OpenAI-compatible endpoints of the mock model server. */

type Json = Record<string, unknown>;

export class ModelRequestError extends Error {}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function requireString(body: Json, key: string, fallback?: string): string {
  const value = body[key] ?? fallback;
  if (typeof value !== 'string' || value === '') {
    throw new ModelRequestError(`"${key}" is required and must be a string`);
  }
  return value;
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map(part =>
        isPlainObject(part) && typeof part.text === 'string' ? part.text : '',
      )
      .join(' ');
  }
  return '';
}

function usage(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

function maxTokensOf(body: Json): number | undefined {
  const value = body.max_completion_tokens ?? body.max_tokens;
  return typeof value === 'number' ? value : undefined;
}

function startEventStream(res: ServerResponse) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  return (data: unknown) =>
    res.write(
      `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    );
}

function sendJson(res: ServerResponse, code: number, body: unknown) {
  res
    .writeHead(code, { 'Content-Type': 'application/json' })
    .end(JSON.stringify(body));
}

/** Splits a reply into stream deltas, one word (with its space) each. */
function deltas(text: string): string[] {
  return text.split(/(?<=\s)/);
}

export function chatCompletions(
  body: Json,
  res: ServerResponse,
  defaultModel: string,
) {
  const model = requireString(body, 'model', defaultModel);
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new ModelRequestError('"messages" must be a non-empty array');
  }
  const messages = body.messages.filter(isPlainObject);
  const promptText = messages.map(m => messageText(m.content)).join(' ');
  const lastUser = [...messages].reverse().find(m => m.role === 'user');
  const reply = mockReply(
    model,
    messageText(lastUser?.content),
    maxTokensOf(body),
  );
  const id = `chatcmpl-${shortHash(JSON.stringify(body))}`;
  const created = now();
  const tokens = usage(countTokens(promptText), countTokens(reply.text));
  const finishReason = reply.truncated ? 'length' : 'stop';

  if (body.stream !== true) {
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.text },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage: tokens,
    });
    return;
  }
  const send = startEventStream(res);
  const chunk = (delta: Json, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  send(chunk({ role: 'assistant', content: '' }, null));
  for (const piece of deltas(reply.text)) send(chunk({ content: piece }, null));
  send(chunk({}, finishReason));
  // Usage comes last with empty choices, as OpenAI sends it for stream_options.include_usage.
  send({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [],
    usage: tokens,
  });
  send('[DONE]');
  res.end();
}

export function completions(
  body: Json,
  res: ServerResponse,
  defaultModel: string,
) {
  const model = requireString(body, 'model', defaultModel);
  const prompts = Array.isArray(body.prompt)
    ? body.prompt.map(String)
    : [String(body.prompt ?? '')];
  const replies = prompts.map(p => mockReply(model, p, maxTokensOf(body)));
  const id = `cmpl-${shortHash(JSON.stringify(body))}`;
  const created = now();
  const tokens = usage(
    prompts.reduce((sum, p) => sum + countTokens(p), 0),
    replies.reduce((sum, r) => sum + countTokens(r.text), 0),
  );
  if (body.stream !== true) {
    sendJson(res, 200, {
      id,
      object: 'text_completion',
      created,
      model,
      choices: replies.map((r, index) => ({
        index,
        text: r.text,
        logprobs: null,
        finish_reason: r.truncated ? 'length' : 'stop',
      })),
      usage: tokens,
    });
    return;
  }
  const send = startEventStream(res);
  replies.forEach((reply, index) => {
    for (const piece of deltas(reply.text)) {
      send({
        id,
        object: 'text_completion',
        created,
        model,
        choices: [{ index, text: piece, logprobs: null, finish_reason: null }],
      });
    }
    send({
      id,
      object: 'text_completion',
      created,
      model,
      choices: [
        {
          index,
          text: '',
          logprobs: null,
          finish_reason: reply.truncated ? 'length' : 'stop',
        },
      ],
    });
  });
  send({
    id,
    object: 'text_completion',
    created,
    model,
    choices: [],
    usage: tokens,
  });
  send('[DONE]');
  res.end();
}

export function embeddings(
  body: Json,
  res: ServerResponse,
  defaultModel: string,
) {
  const model = requireString(body, 'model', defaultModel);
  const inputs = Array.isArray(body.input)
    ? body.input.map(String)
    : [requireString(body, 'input')];
  const promptTokens = inputs.reduce((sum, text) => sum + countTokens(text), 0);
  sendJson(res, 200, {
    object: 'list',
    model,
    data: inputs.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: mockEmbedding(text),
    })),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

export function listModels(res: ServerResponse, models: string[]) {
  sendJson(res, 200, {
    object: 'list',
    data: models.map(id => ({
      id,
      object: 'model',
      created: 0,
      owned_by: 'kube-sandbox',
    })),
  });
}
