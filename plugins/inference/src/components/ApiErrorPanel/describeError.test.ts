import {
  requestsPerMinuteTooHigh,
  responseError,
} from '../../__testUtils__/responseError';
import { describeError, fieldErrorsFromMessage } from './describeError';

const FIELDS = ['publicModelName', 'hostname', 'limits.tokensPerHour'];

describe('describeError', () => {
  it('takes the fields of a validation error body', async () => {
    const error = await requestsPerMinuteTooHigh();
    expect(describeError(error)).toEqual({
      status: '400 Bad Request',
      message: '',
      fields: [
        {
          field: 'limits.requestsPerMinute',
          message: 'must be at most 5,000 on this platform',
        },
      ],
      causes: [],
    });
  });

  it('keeps the causes of a cluster rejection', async () => {
    const error = await responseError(422, {
      name: 'ClusterRejectedError',
      message: 'HTTPRoute sklearn-iris is invalid',
      causes: [{ field: 'spec.hostnames[0]', message: 'must be a DNS name' }],
    });
    expect(describeError(error)).toMatchObject({
      status: '422 Unprocessable Entity',
      message: 'HTTPRoute sklearn-iris is invalid',
      causes: [{ field: 'spec.hostnames[0]', message: 'must be a DNS name' }],
    });
  });

  it('finds known fields named in a message, and leaves other messages whole', async () => {
    const conflict = await responseError(409, {
      name: 'ConflictError',
      message:
        "publicModelName: 'chat' is already published on api.example.com; choose another name",
    });
    expect(describeError(conflict, FIELDS)).toMatchObject({
      message: '',
      fields: [
        {
          field: 'publicModelName',
          message:
            "'chat' is already published on api.example.com; choose another name",
        },
      ],
    });
    const other = await responseError(403, {
      name: 'NotAllowedError',
      message: 'Unauthorized: x',
    });
    expect(describeError(other, FIELDS)).toMatchObject({
      message: 'Unauthorized: x',
      fields: [],
    });
  });

  it('describes errors that did not come from a response', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toEqual({
      message: 'Failed to fetch',
      fields: [],
      causes: [],
    });
  });
});

describe('fieldErrorsFromMessage', () => {
  it('splits several problems after a prefix', () => {
    expect(
      fieldErrorsFromMessage(
        'Invalid publication: hostname: evil.example.com is not one of the allowed hostnames; limits.tokensPerHour: token limits can only be enforced for OpenAI-compatible models',
        FIELDS,
      ),
    ).toEqual({
      fields: [
        {
          field: 'hostname',
          message: 'evil.example.com is not one of the allowed hostnames',
        },
        {
          field: 'limits.tokensPerHour',
          message:
            'token limits can only be enforced for OpenAI-compatible models',
        },
      ],
      rest: '',
    });
  });

  it('does not mistake a word before a colon for a field it does not know', () => {
    expect(
      fieldErrorsFromMessage(
        'target: the model has no in-cluster address',
        FIELDS,
      ),
    ).toEqual({
      fields: [],
      rest: 'target: the model has no in-cluster address',
    });
  });
});
