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

/** The model a request names, or `defaultModel` when it names none. */
export function requestedModel(body: Json, defaultModel: string): string {
  return requireString(body, 'model', defaultModel);
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

/** `prompt` and `input` take one string or a list of them. */
function stringList(value: unknown, single: () => string): string[] {
  return Array.isArray(value) ? value.map(String) : [single()];
}

function finishReason(reply: { truncated: boolean }): string {
  return reply.truncated ? 'length' : 'stop';
}

/** The fields every completion response and stream chunk starts with. */
type ResponseHead = {
  id: string;
  object: string;
  created: number;
  model: string;
};

/** Starts an SSE response; `send` writes one `data:` event. */
function startEventStream(res: ServerResponse) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  const send = (data: unknown) =>
    res.write(
      `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    );
  return {
    send,
    end(head: ResponseHead, tokens: ReturnType<typeof usage>) {
      // Usage comes last with empty choices, as OpenAI sends it for stream_options.include_usage.
      send({ ...head, choices: [], usage: tokens });
      send('[DONE]');
      res.end();
    },
  };
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
  model: string,
) {
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
          finish_reason: finishReason(reply),
        },
      ],
      usage: tokens,
    });
    return;
  }
  const stream = startEventStream(res);
  const head = { id, object: 'chat.completion.chunk', created, model };
  const chunk = (delta: Json, finish: string | null) => ({
    ...head,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  stream.send(chunk({ role: 'assistant', content: '' }, null));
  for (const piece of deltas(reply.text)) {
    stream.send(chunk({ content: piece }, null));
  }
  stream.send(chunk({}, finishReason(reply)));
  stream.end(head, tokens);
}

export function completions(body: Json, res: ServerResponse, model: string) {
  const prompts = stringList(body.prompt, () => String(body.prompt ?? ''));
  const replies = prompts.map(p => mockReply(model, p, maxTokensOf(body)));
  const head = {
    id: `cmpl-${shortHash(JSON.stringify(body))}`,
    object: 'text_completion',
    created: now(),
    model,
  };
  const tokens = usage(
    prompts.reduce((sum, p) => sum + countTokens(p), 0),
    replies.reduce((sum, r) => sum + countTokens(r.text), 0),
  );
  const choice = (index: number, text: string, finish: string | null) => ({
    index,
    text,
    logprobs: null,
    finish_reason: finish,
  });
  if (body.stream !== true) {
    sendJson(res, 200, {
      ...head,
      choices: replies.map((r, index) =>
        choice(index, r.text, finishReason(r)),
      ),
      usage: tokens,
    });
    return;
  }
  const stream = startEventStream(res);
  replies.forEach((reply, index) => {
    for (const piece of deltas(reply.text)) {
      stream.send({ ...head, choices: [choice(index, piece, null)] });
    }
    stream.send({ ...head, choices: [choice(index, '', finishReason(reply))] });
  });
  stream.end(head, tokens);
}

export function embeddings(body: Json, res: ServerResponse, model: string) {
  const inputs = stringList(body.input, () => requireString(body, 'input'));
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
