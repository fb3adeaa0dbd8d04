import { chooseInitialUser } from './DevUserSignInPage';

function memoryStorage(initial?: string) {
  const values = new Map<string, string>();
  if (initial) values.set('inference-portal.dev-user', initial);
  return {
    values,
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
    removeItem: (k: string) => void values.delete(k),
  };
}

const users = ['dev-a', 'dev-b', 'platform-admin'];

describe('chooseInitialUser', () => {
  it('takes ?as= from the URL and remembers it', () => {
    const storage = memoryStorage('dev-a');
    expect(chooseInitialUser('?as=dev-b', storage, users)).toBe('dev-b');
    expect(storage.values.get('inference-portal.dev-user')).toBe('dev-b');
  });

  it('forgets the choice on an empty or unknown ?as=', () => {
    const storage = memoryStorage('dev-a');
    expect(chooseInitialUser('?as=', storage, users)).toBeUndefined();
    expect(storage.values.size).toBe(0);
    expect(
      chooseInitialUser('?as=mallory', memoryStorage('dev-a'), users),
    ).toBeUndefined();
  });

  it('falls back to the remembered user only while that user is still listed', () => {
    expect(chooseInitialUser('', memoryStorage('dev-b'), users)).toBe('dev-b');
    expect(chooseInitialUser('', memoryStorage('gone'), users)).toBeUndefined();
    expect(chooseInitialUser('', memoryStorage(), users)).toBeUndefined();
  });
});
