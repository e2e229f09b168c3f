import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateLayer, validateLayerFile } from './layer-schema.ts';

/** Builds a layer that sets every field of format 4.5. */
function everyField(): Record<string, unknown> {
  return {
    name: 'Everything',
    versions: { attack: '18', navigator: '5.1.0', layer: '4.5' },
    domain: 'enterprise-attack',
    description: 'All fields',
    customDataURL: 'https://example.test/bundle.json',
    filters: { platforms: ['Linux', 'IaaS'] },
    sorting: 2,
    layout: {
      layout: 'flat',
      showID: true,
      showName: false,
      showAggregateScores: true,
      countUnscored: true,
      aggregateFunction: 'max',
      expandedSubtechniques: 'all',
    },
    hideDisabled: true,
    techniques: [
      {
        techniqueID: 'T1078',
        tactic: 'initial-access',
        score: 10,
        color: '#abc',
        comment: 'parent',
        enabled: false,
        metadata: [{ name: 'k', value: 'v' }, { divider: true }],
        links: [{ label: 'docs', url: 'https://example.test' }, { divider: true }],
        showSubtechniques: true,
      },
      { techniqueID: 'T1078', tactic: 'persistence', color: '' },
      { techniqueID: 'T1078.004' },
    ],
    gradient: { colors: ['#ffffff', '#FF0000', '#00ff00'], minValue: -5, maxValue: 5 },
    legendItems: [{ label: 'red', color: '#ff0000' }],
    metadata: [{ divider: true }, { name: 'a', value: 'b' }],
    links: [{ label: 'home', url: 'http://example.test' }],
    showTacticRowBackground: true,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: false,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: true,
  };
}

test('accepts a layer with every field of format 4.5', () => {
  assert.deepEqual(validateLayer(everyField()), []);
});

test('accepts a minimal layer', () => {
  assert.deepEqual(validateLayer({ name: 'x', domain: 'ics-attack' }), []);
  assert.deepEqual(validateLayer({ name: 'x', domain: 'mobile-attack', techniques: [] }), []);
});

test('rejects bad layers with exact problems', () => {
  const cases: [string, (layer: Record<string, unknown>) => unknown, object[]][] = [
    [
      'not an object',
      () => 5,
      [
        {
          code: 'INVALID_TYPE',
          path: '',
          message: 'Invalid value "5" at the top level: must be an object',
        },
      ],
    ],
    [
      'missing name',
      ({ name: _name, ...layer }) => layer,
      [{ code: 'MISSING_FIELD', path: 'name', message: 'Missing field "name" at the top level' }],
    ],
    [
      'unknown field',
      (layer) => ({ ...layer, score_num: 1 }),
      [
        {
          code: 'UNKNOWN_FIELD',
          path: 'score_num',
          message: 'Unknown field "score_num" at the top level: not in layer format 4.5',
        },
      ],
    ],
    [
      'old layer version',
      (layer) => ({ ...layer, versions: { navigator: '4.8.0', layer: '4.4' } }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'versions.navigator',
          message:
            'Invalid value "4.8.0" at "versions.navigator": must be a Navigator version of at least 4.9.0',
        },
        {
          code: 'INVALID_VALUE',
          path: 'versions.layer',
          message: 'Invalid value "4.4" at "versions.layer": must be "4.5"',
        },
      ],
    ],
    [
      'versions without navigator',
      (layer) => ({ ...layer, versions: { layer: '4.5' } }),
      [
        {
          code: 'MISSING_FIELD',
          path: 'versions.navigator',
          message: 'Missing field "navigator" at "versions"',
        },
      ],
    ],
    [
      'bad domain',
      (layer) => ({ ...layer, domain: 'enterprise' }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'domain',
          message:
            'Invalid value "enterprise" at "domain": must be "enterprise-attack", "mobile-attack" or "ics-attack"',
        },
      ],
    ],
    [
      'bad sorting',
      (layer) => ({ ...layer, sorting: 4 }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'sorting',
          message: 'Invalid value "4" at "sorting": must be 0, 1, 2 or 3',
        },
      ],
    ],
    [
      'bad technique id and colour',
      (layer) => ({ ...layer, techniques: [{ techniqueID: 'T12', color: 'red', score: '5' }] }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'techniques[0].techniqueID',
          message:
            'Invalid value "T12" at "techniques[0].techniqueID": must be a technique id such as T1234 or T1234.001',
        },
        {
          code: 'INVALID_TYPE',
          path: 'techniques[0].score',
          message: 'Invalid value "5" at "techniques[0].score": must be a finite number',
        },
        {
          code: 'INVALID_VALUE',
          path: 'techniques[0].color',
          message:
            'Invalid value "red" at "techniques[0].color": must be a hex colour such as #ff6666, or ""',
        },
      ],
    ],
    [
      'technique without id',
      (layer) => ({ ...layer, techniques: [{ score: 1 }] }),
      [
        {
          code: 'MISSING_FIELD',
          path: 'techniques[0].techniqueID',
          message: 'Missing field "techniqueID" at "techniques[0]"',
        },
      ],
    ],
    [
      'non-spec technique field',
      (layer) => ({ ...layer, techniques: [{ techniqueID: 'T1040', category: 'detect' }] }),
      [
        {
          code: 'UNKNOWN_FIELD',
          path: 'techniques[0].category',
          message: 'Unknown field "category" at "techniques[0]": not in layer format 4.5',
        },
      ],
    ],
    [
      'gradient range and colours',
      (layer) => ({ ...layer, gradient: { colors: ['#fff'], minValue: 5, maxValue: 5 } }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'gradient.colors',
          message: 'Invalid value "["#fff"]" at "gradient.colors": must list at least 2 colours',
        },
        {
          code: 'INVALID_VALUE',
          path: 'gradient.maxValue',
          message: 'Invalid value "5" at "gradient.maxValue": must be greater than minValue 5',
        },
      ],
    ],
    [
      'link without protocol',
      (layer) => ({ ...layer, links: [{ label: 'x', url: 'example.test' }, { label: 'y' }, 3] }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'links[0].url',
          message: 'Invalid value "example.test" at "links[0].url": must include a protocol',
        },
        {
          code: 'INVALID_VALUE',
          path: 'links[1]',
          message:
            'Invalid value "{"label":"y"}" at "links[1]": must be a {label, url} pair with a protocol in the url, or {divider: true}',
        },
        {
          code: 'INVALID_VALUE',
          path: 'links[2]',
          message:
            'Invalid value "3" at "links[2]": must be a {label, url} pair with a protocol in the url, or {divider: true}',
        },
      ],
    ],
    [
      'bad metadata item',
      (layer) => ({ ...layer, metadata: [{ name: 'x' }, { divider: false }] }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'metadata[0]',
          message:
            'Invalid value "{"name":"x"}" at "metadata[0]": must be a {name, value} pair or {divider: true}',
        },
        {
          code: 'INVALID_VALUE',
          path: 'metadata[1]',
          message:
            'Invalid value "{"divider":false}" at "metadata[1]": must be a {name, value} pair or {divider: true}',
        },
      ],
    ],
    [
      'bad layout',
      (layer) => ({
        ...layer,
        layout: { layout: 'grid', aggregateFunction: 'median', showID: 'yes' },
      }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'layout.layout',
          message: 'Invalid value "grid" at "layout.layout": must be "side", "flat" or "mini"',
        },
        {
          code: 'INVALID_TYPE',
          path: 'layout.showID',
          message: 'Invalid value "yes" at "layout.showID": must be true or false',
        },
        {
          code: 'INVALID_VALUE',
          path: 'layout.aggregateFunction',
          message:
            'Invalid value "median" at "layout.aggregateFunction": must be "average", "min", "max" or "sum"',
        },
      ],
    ],
    [
      'legend item without colour',
      (layer) => ({ ...layer, legendItems: [{ label: 'x' }] }),
      [
        {
          code: 'MISSING_FIELD',
          path: 'legendItems[0].color',
          message: 'Missing field "color" at "legendItems[0]"',
        },
      ],
    ],
    [
      'tactic of another matrix',
      (layer) => ({
        ...layer,
        techniques: [{ techniqueID: 'T1040', tactic: 'inhibit-response-function' }],
      }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'techniques[0].tactic',
          message:
            'Invalid value "inhibit-response-function" at "techniques[0].tactic": not a tactic of enterprise-attack',
        },
      ],
    ],
    [
      'sub-technique with showSubtechniques',
      (layer) => ({
        ...layer,
        techniques: [{ techniqueID: 'T1078.004', showSubtechniques: false }],
      }),
      [
        {
          code: 'INVALID_VALUE',
          path: 'techniques[0].showSubtechniques',
          message:
            'Invalid value "false" at "techniques[0].showSubtechniques": allowed on techniques only, not on sub-techniques',
        },
      ],
    ],
    [
      'duplicate technique',
      (layer) => ({
        ...layer,
        techniques: [
          { techniqueID: 'T1040' },
          { techniqueID: 'T1040', tactic: 'discovery' },
          { techniqueID: 'T1040' },
        ],
      }),
      [
        {
          code: 'DUPLICATE_VALUE',
          path: 'techniques[2].techniqueID',
          message:
            'Duplicate technique "T1040" at "techniques[2].techniqueID": annotated twice for all tactics',
        },
      ],
    ],
  ];
  for (const [label, change, expected] of cases) {
    assert.deepEqual(validateLayer(change(everyField())), expected, label);
  }
});

test('navigator version comparison', () => {
  const accepted = ['4.9', '4.9.0', '4.10.1', '5.0.0', '5.1.0', '10.0'];
  const rejected = ['4.8.9', '4', '3.99.0', '5.x', 'v5.1.0', ''];
  const withVersion = (navigator: string) => ({
    name: 'x',
    domain: 'enterprise-attack',
    versions: { navigator, layer: '4.5' },
  });
  for (const version of accepted)
    assert.deepEqual(validateLayer(withVersion(version)), [], version);
  for (const version of rejected) {
    assert.equal(validateLayer(withVersion(version))[0]?.path, 'versions.navigator', version);
  }
});

test('validates every layer of a layer file array', () => {
  assert.deepEqual(validateLayerFile([everyField(), everyField()]), []);
  assert.deepEqual(validateLayerFile([everyField(), { domain: 'ics-attack', techniques: [{}] }]), [
    { code: 'MISSING_FIELD', path: '[1].name', message: 'Missing field "name" at "[1]"' },
    {
      code: 'MISSING_FIELD',
      path: '[1].techniques[0].techniqueID',
      message: 'Missing field "techniqueID" at "[1].techniques[0]"',
    },
  ]);
  assert.deepEqual(validateLayerFile([7]), [
    { code: 'INVALID_TYPE', path: '[0]', message: 'Invalid value "7" at "[0]": must be an object' },
  ]);
  assert.deepEqual(validateLayerFile(everyField()), []);
});
