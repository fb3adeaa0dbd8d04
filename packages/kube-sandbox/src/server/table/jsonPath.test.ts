import { loadCrdCatalog } from '../../schema/catalog';
import { findResults, JsonPathError, parseJsonPath } from './jsonPath';

const find = (path: string, data: unknown) =>
  findResults(parseJsonPath(path), data);

const ISVC_STATUS = {
  status: {
    url: 'http://a.example.com',
    conditions: [
      { type: 'PredictorReady', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'Waiting' },
    ],
    components: {
      predictor: {
        traffic: [
          { tag: 'prev', percent: 10, revisionName: 'r-1' },
          { latestRevision: true, percent: 90, revisionName: 'r-2' },
        ],
      },
    },
  },
};

describe('Kubernetes JSONPath subset', () => {
  it('follows fields, filters on strings and booleans, and slices from the end', () => {
    expect(find('.status.url', ISVC_STATUS)).toEqual(['http://a.example.com']);
    expect(
      find(`.status.conditions[?(@.type=='Ready')].status`, ISVC_STATUS),
    ).toEqual(['False']);
    expect(
      find('.status.conditions[?(@.type=="Ready")].reason', ISVC_STATUS),
    ).toEqual(['Waiting']);
    expect(
      find(
        '.status.components.predictor.traffic[?(@.latestRevision==true)].percent',
        ISVC_STATUS,
      ),
    ).toEqual([90]);
    expect(find('.status.conditions[-1:].type', ISVC_STATUS)).toEqual([
      'Ready',
    ]);
    expect(find('.status.conditions[*].type', ISVC_STATUS)).toEqual([
      'PredictorReady',
      'Ready',
    ]);
    expect(find('.status.conditions[0,1].status', ISVC_STATUS)).toEqual([
      'True',
      'False',
    ]);
    expect(find('.status.conditions[?(@.reason)].type', ISVC_STATUS)).toEqual([
      'Ready',
    ]);
  });

  it('reads quoted keys with escaped dots as one field', () => {
    const revision = {
      metadata: {
        labels: { 'serving.knative.dev/configuration': 'cfg' },
      },
    };
    expect(
      find(
        `.metadata.labels['serving\\.knative\\.dev/configuration']`,
        revision,
      ),
    ).toEqual(['cfg']);
  });

  it('gives nothing for missing keys and fails where upstream fails', () => {
    expect(find('.status.missing.deeper', ISVC_STATUS)).toEqual([]);
    expect(find('.status.conditions[-1:].type', { status: {} })).toEqual([]);
    // An index out of bounds and comparing a number with a string are errors upstream.
    expect(() =>
      find('.status.conditions[-1:].type', { status: { conditions: [] } }),
    ).toThrow(JsonPathError);
    expect(() =>
      find(
        '.status.components.predictor.traffic[?(@.percent=="90")].tag',
        ISVC_STATUS,
      ),
    ).toThrow('incompatible types for comparison');
    expect(() => parseJsonPath('..status')).toThrow(JsonPathError);
  });

  it('parses the printer column of every CRD version in the vendored folder', () => {
    const unparsable: string[] = [];
    let columns = 0;
    for (const kind of loadCrdCatalog().kinds()) {
      for (const version of kind.versions) {
        for (const column of version.additionalPrinterColumns ?? []) {
          columns++;
          try {
            parseJsonPath(column.jsonPath);
          } catch (error) {
            unparsable.push(
              `${kind.kind}/${version.name} ${column.name}: ${column.jsonPath} (${error})`,
            );
          }
        }
      }
    }
    expect(columns).toBeGreaterThan(50);
    expect(unparsable).toEqual([]);
  });
});
