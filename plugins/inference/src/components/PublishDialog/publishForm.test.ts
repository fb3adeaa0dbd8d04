import { publication } from '../../__testUtils__/fixtures';
import {
  initialPublishFormValues,
  toPublishRequestBody,
  validatePublishForm,
} from './publishForm';

const openai = { name: 'qwen-chat', effectiveType: 'openai' as const };
const predictive = {
  name: 'sklearn-iris',
  effectiveType: 'predictive' as const,
};
const start = initialPublishFormValues({
  name: 'qwen-chat',
  modelType: 'openai',
});

describe('publish form', () => {
  it('starts from the documented defaults', () => {
    expect(start).toMatchObject({
      publicModelName: 'qwen-chat',
      hostname: '',
      jwt: false,
      requestsPerMinute: '60',
      requestsPerHour: '3600',
      tokensPerHour: '100000',
    });
    expect(
      initialPublishFormValues({
        name: 'sklearn-iris',
        modelType: 'predictive',
      }).tokensPerHour,
    ).toBe('');
  });

  it('starts from the current publication when updating', () => {
    const values = initialPublishFormValues(
      { name: 'sklearn-iris' },
      publication({ auth: { apiKey: true, jwt: true } }),
    );
    expect(values).toMatchObject({
      jwt: true,
      requestsPerMinute: '60',
      tokensPerHour: '',
      hostname: 'api.router.inference-in-a-box',
    });
  });

  it('builds the request the backend expects, without a hostname for the platform default', () => {
    expect(validatePublishForm(start, openai)).toEqual({
      request: {
        publicModelName: 'qwen-chat',
        auth: { apiKey: true, jwt: false },
        limits: {
          requestsPerMinute: 60,
          requestsPerHour: 3600,
          tokensPerHour: 100000,
        },
      },
    });
  });

  it('publishes predictive models under their own name and without token limits', () => {
    expect(
      toPublishRequestBody({ ...start, publicModelName: 'other' }, predictive),
    ).toMatchObject({
      publicModelName: 'sklearn-iris',
      limits: { requestsPerMinute: 60, requestsPerHour: 3600 },
    });
  });

  it.each([
    [
      { requestsPerMinute: '0' },
      'limits.requestsPerMinute',
      'must be between 1 and 10,000',
    ],
    [
      { requestsPerMinute: '100', requestsPerHour: '50' },
      'limits.requestsPerMinute',
      'must not be more than the requests per hour',
    ],
    [{ requestsPerHour: 'lots' }, 'limits.requestsPerHour', 'must be a number'],
    [
      { tokensPerHour: '1.5' },
      'limits.tokensPerHour',
      'must be a whole number',
    ],
    [
      { publicModelName: 'Chat_Model' },
      'publicModelName',
      "must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit",
    ],
    [{ publicModelName: '' }, 'publicModelName', 'is required'],
    [
      { hostname: 'API.example.com' },
      'hostname',
      "must be a lowercase DNS name such as api.example.com (letters, digits, '-' and '.')",
    ],
  ])('reports %p at %s with the schema message', (change, field, message) => {
    expect(
      validatePublishForm({ ...start, ...change }, openai).errors?.[field],
    ).toBe(message);
  });
});
