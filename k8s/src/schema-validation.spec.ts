import { schemaProblems } from './schema-validation';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 'two',
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'web:1.0.0', imagePullPolicee: 'Always' }] },
    },
  },
};

describe('schema validation', () => {
  it('reports wrong types and misspelt fields of core kinds, CRD kinds and operator kinds', () => {
    expect(
      schemaProblems([
        deployment,
        {
          apiVersion: 'kafka.strimzi.io/v1',
          kind: 'KafkaTopic',
          metadata: { name: 't' },
          spec: { partitons: 3 },
        },
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          metadata: { name: 'm' },
          spec: { selector: {}, endpoints: [{ prot: 'http' }] },
        },
        { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } },
      ]),
    ).toEqual([
      'Deployment/web: data/spec/replicas must be integer',
      'Deployment/web: unknown field /spec/template/spec/containers/0/imagePullPolicee',
      'KafkaTopic/t: /spec must NOT have additional properties: partitons',
      'ServiceMonitor/m: unknown field /spec/endpoints/0/prot',
      'Thing/x: no schema for apiVersion example.com/v1',
    ]);
  });

  it('accepts maps (labels, data) and free-form fields whatever their keys', () => {
    expect(
      schemaProblems([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'c', labels: { 'any.key/x': 'y' } },
          data: { ANY_KEY: 'v' },
        },
        {
          apiVersion: 'kafka.strimzi.io/v1',
          kind: 'KafkaTopic',
          metadata: { name: 't' },
          spec: { config: { 'any.setting': 1 } },
        },
      ]),
    ).toEqual([]);
  });
});
