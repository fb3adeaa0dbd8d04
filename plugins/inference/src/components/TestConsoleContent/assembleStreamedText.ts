interface StreamChoice {
  delta?: { content?: unknown };
  text?: unknown;
}

/** The text one server-sent event adds: a chat delta's content or a completion's text. */
export function tokenOfChunk(chunk: string): string {
  if (chunk === '[DONE]') return '';
  let event: { choices?: StreamChoice[] };
  try {
    event = JSON.parse(chunk);
  } catch {
    return '';
  }
  const choice = Array.isArray(event?.choices) ? event.choices[0] : undefined;
  const token = choice?.delta?.content ?? choice?.text;
  return typeof token === 'string' ? token : '';
}

/**
 * Assembles the text of an OpenAI stream (chat or completions) from its `data:` payloads, in
 * order. Events that are not JSON, carry no text (role announcements, usage) or end the stream
 * (`[DONE]`) add nothing.
 */
export function assembleStreamedText(chunks: readonly string[]): string {
  return chunks.map(tokenOfChunk).join('');
}
