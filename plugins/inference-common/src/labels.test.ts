import { DNS_LABEL_PATTERN } from './kubernetesNames';
import {
  fitDnsLabel,
  isValidLabelValue,
  LABEL_MANAGED_BY,
  LABEL_MODEL,
  LABEL_PUBLICATION,
  LABEL_TENANT,
  MAX_PUBLICATION_ID_LENGTH,
  ownershipLabels,
  ownershipSelector,
  publicationId,
  shortHash,
  toLabelValue,
} from './labels';

describe('shortHash', () => {
  it('is a stable 8-digit hex digest', () => {
    // sha256("abc") starts with ba7816bf: pins the algorithm, so ids never change across releases.
    expect(shortHash('abc')).toBe('ba7816bf');
    expect(shortHash('tenant-a/iris')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('toLabelValue', () => {
  it('keeps valid values unchanged', () => {
    for (const value of ['tenant-a', 'My_Value.1', '', 'a'.repeat(63)]) {
      expect(toLabelValue(value)).toBe(value);
    }
  });

  it('shortens long values to 63 characters with a hash suffix', () => {
    const long = 'a'.repeat(100);
    const label = toLabelValue(long);
    expect(label).toHaveLength(63);
    expect(label.endsWith(`-${shortHash(long)}`)).toBe(true);
    expect(isValidLabelValue(label)).toBe(true);
  });

  it('keeps distinct inputs distinct after shortening', () => {
    const a = toLabelValue(`${'x'.repeat(70)}a`);
    const b = toLabelValue(`${'x'.repeat(70)}b`);
    expect(a).not.toBe(b);
  });

  it('replaces invalid characters and keeps the result distinct from a valid look-alike', () => {
    const label = toLabelValue('team/a b');
    expect(isValidLabelValue(label)).toBe(true);
    expect(label).not.toBe('team-a-b');
    expect(label.startsWith('team-a-b-')).toBe(true);
  });

  it('never starts or ends with a separator', () => {
    for (const value of ['-x-', '..', '___', `${'a'.repeat(54)}-----zz`, '/']) {
      expect(isValidLabelValue(toLabelValue(value))).toBe(true);
    }
  });
});

describe('fitDnsLabel', () => {
  it('cuts at the limit and appends a hash', () => {
    const name = `${'m'.repeat(40)}-${'n'.repeat(20)}`;
    const fitted = fitDnsLabel(name, 30);
    expect(fitted).toHaveLength(30);
    expect(fitted).toMatch(DNS_LABEL_PATTERN);
  });

  it('does not leave a dash before the hash', () => {
    const fitted = fitDnsLabel(`${'a'.repeat(20)}-----${'b'.repeat(20)}`, 30);
    expect(fitted).not.toMatch(/--/);
    expect(fitted).toMatch(DNS_LABEL_PATTERN);
  });
});

describe('publicationId', () => {
  it('is the model name when it fits', () => {
    expect(publicationId('tenant-a', 'iris')).toBe('iris');
  });

  it('is a DNS label of at most 50 characters, tenant-specific when shortened', () => {
    const model = 'a-very-long-model-name-that-goes-on-and-on-and-on-and-on';
    const a = publicationId('tenant-a', model);
    const b = publicationId('tenant-b', model);
    expect(a.length).toBeLessThanOrEqual(MAX_PUBLICATION_ID_LENGTH);
    expect(a).toMatch(DNS_LABEL_PATTERN);
    expect(a).not.toBe(b);
    expect(publicationId('tenant-a', model)).toBe(a);
  });

  it('keeps a 45-character model name (the form maximum) as is', () => {
    const model = 'm'.repeat(45);
    expect(publicationId('a-rather-long-tenant-name-for-testing', model)).toBe(
      model,
    );
  });
});

describe('ownershipLabels', () => {
  it('sets all four labels with valid values', () => {
    const labels = ownershipLabels({ tenant: 'tenant-a', model: 'iris' });
    expect(labels).toEqual({
      [LABEL_MANAGED_BY]: 'inference-portal',
      [LABEL_TENANT]: 'tenant-a',
      [LABEL_MODEL]: 'iris',
      [LABEL_PUBLICATION]: 'iris',
    });
  });

  it('keeps every value within 63 characters for long names', () => {
    const labels = ownershipLabels({
      tenant: 't'.repeat(80),
      model: 'm'.repeat(70),
    });
    for (const value of Object.values(labels)) {
      expect(isValidLabelValue(value)).toBe(true);
    }
  });
});

describe('ownershipSelector', () => {
  it('selects everything the portal manages', () => {
    expect(ownershipSelector()).toBe(
      'app.kubernetes.io/managed-by=inference-portal',
    );
  });

  it('narrows to a tenant, and to one publication with tenant and model', () => {
    expect(ownershipSelector({ tenant: 'tenant-a' })).toBe(
      'app.kubernetes.io/managed-by=inference-portal,inference.platform.io/tenant=tenant-a',
    );
    expect(ownershipSelector({ tenant: 'tenant-a', model: 'iris' })).toBe(
      'app.kubernetes.io/managed-by=inference-portal,inference.platform.io/tenant=tenant-a,' +
        'inference.platform.io/model=iris,inference.platform.io/publication=iris',
    );
  });

  it('uses the same value mapping as the labels', () => {
    const input = { tenant: 'x'.repeat(70), model: 'y'.repeat(70) };
    const labels = ownershipLabels(input);
    const selector = ownershipSelector(input);
    for (const [key, value] of Object.entries(labels)) {
      expect(selector).toContain(`${key}=${value}`);
    }
  });
});
