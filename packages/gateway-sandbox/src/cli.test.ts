import { main } from './cli';

describe('gateway-sandbox command line', () => {
  it.each([
    [['--backend', 'http://127.0.0.1:1'], /--kube-api is required/],
    [['--kube-api', 'http://127.0.0.1:1'], /--backend is required/],
    [
      ['--kube-api', 'not a url', '--backend', 'http://127.0.0.1:1'],
      /--kube-api must be a URL/,
    ],
    [
      ['--kube-api', 'http://a', '--backend', 'http://b', '--port', '70000'],
      /--port must be a port number/,
    ],
    [
      ['--kube-api', 'http://a', '--backend', 'http://b', '--gateway', 'x'],
      /--gateway must be <namespace>\/<name>/,
    ],
    [
      [
        '--kube-api',
        'http://a',
        '--backend',
        'http://b',
        '--metrics-port',
        'x',
      ],
      /--metrics-port must be a port number/,
    ],
    [['--unknown'], /Unknown option '--unknown'/],
  ])('refuses %j before starting anything', async (argv, message) => {
    await expect(main(argv)).rejects.toThrow(message);
  });
});
