import { describe, expect, it } from 'vitest';
import { POLICY_TEMPLATES, findPolicyTemplate } from '../../../src/domain/policy-templates/catalogue.js';
import { validatePolicyFieldValue } from '../../../src/domain/policy-templates/field-values.js';
import { isSensitivePolicyValue } from '../../../src/domain/policy-templates/sensitivity.js';
import { DISPLAY_TYPES, OS_META_FAMILIES } from '../../../src/domain/organization/model.js';
import type { DisplayType, PolicyTemplateConfigField } from '../../../src/domain/organization/model.js';
import { ValidationError } from '../../../src/domain/errors.js';

const fields = POLICY_TEMPLATES.flatMap((template) => template.configFields);

function field(
  displayType: DisplayType,
  extra: Partial<PolicyTemplateConfigField> = {},
): PolicyTemplateConfigField {
  return {
    id: 'f',
    name: 'f',
    label: 'F',
    displayType,
    required: false,
    sensitive: false,
    defaultValue: null,
    ...extra,
  };
}

describe('POLICY_TEMPLATES', () => {
  it('ships at least 12 templates with stable, distinct ObjectIds', () => {
    expect(POLICY_TEMPLATES.length).toBeGreaterThanOrEqual(12);
    const ids = [...POLICY_TEMPLATES.map((template) => template.id), ...fields.map((f) => f.id)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const names = POLICY_TEMPLATES.map((template) => template.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers linux, darwin, windows and universal', () => {
    for (const template of POLICY_TEMPLATES) expect(OS_META_FAMILIES).toContain(template.osMetaFamily);
    expect(new Set(POLICY_TEMPLATES.map((template) => template.osMetaFamily))).toEqual(
      new Set(['linux', 'darwin', 'windows', 'universal']),
    );
  });

  it('covers the display types the clone rules depend on', () => {
    const used = new Set(fields.map((f) => f.displayType));
    for (const type of [
      'checkbox',
      'select',
      'number',
      'text',
      'textarea',
      'file',
      'table',
      'multilist',
    ] as const) {
      expect(used).toContain(type);
    }
  });

  it('has required and optional fields of each sensitive kind', () => {
    const kinds: [string, (f: PolicyTemplateConfigField) => boolean][] = [
      ['text', (f) => f.displayType === 'text'],
      ['textarea', (f) => f.displayType === 'textarea'],
      ['file', (f) => f.displayType === 'file'],
      [
        'sensitive-flagged, of a type not sensitive by itself',
        (f) => f.sensitive && !['text', 'textarea', 'file'].includes(f.displayType),
      ],
    ];
    for (const [kind, isKind] of kinds) {
      expect(
        fields.some((f) => isKind(f) && f.required),
        `required ${kind}`,
      ).toBe(true);
      expect(
        fields.some((f) => isKind(f) && !f.required),
        `optional ${kind}`,
      ).toBe(true);
    }
  });

  it('gives choices to choice fields, columns to tables, and consistent number bounds', () => {
    for (const f of fields) {
      if (['select', 'radio', 'segmentedbutton', 'multilist'].includes(f.displayType)) {
        expect(f.displayOptions?.values?.length, f.name).toBeGreaterThan(0);
      }
      if (f.displayType === 'table') expect(f.displayOptions?.columns?.length, f.name).toBeGreaterThan(0);
      const { min, max } = f.displayOptions ?? {};
      if (min !== undefined && max !== undefined) expect(min, f.name).toBeLessThanOrEqual(max);
    }
  });

  it('has default values that its own validation accepts', () => {
    for (const f of fields) {
      if (f.defaultValue !== null)
        expect(() => validatePolicyFieldValue(f, f.defaultValue, f.name)).not.toThrow();
    }
  });

  it('finds templates by id', () => {
    const [first] = POLICY_TEMPLATES;
    expect(findPolicyTemplate(first?.id ?? '')).toBe(first);
    expect(findPolicyTemplate('000000000000000000000000')).toBeUndefined();
  });
});

describe('isSensitivePolicyValue', () => {
  it.each(['text', 'textarea', 'file'] as const)(
    'holds for every %s field, with or without a value',
    (type) => {
      expect(isSensitivePolicyValue(field(type), undefined)).toBe(true);
      expect(isSensitivePolicyValue(field(type), { configFieldID: 'f', value: 'x', sensitive: false })).toBe(
        true,
      );
    },
  );

  it('holds for a field or a value marked sensitive', () => {
    expect(isSensitivePolicyValue(field('number', { sensitive: true }), undefined)).toBe(true);
    expect(isSensitivePolicyValue(field('table'), { configFieldID: 'f', value: [], sensitive: true })).toBe(
      true,
    );
  });

  it('does not hold otherwise', () => {
    for (const type of DISPLAY_TYPES.filter((t) => !['text', 'textarea', 'file'].includes(t))) {
      expect(isSensitivePolicyValue(field(type), undefined), type).toBe(false);
      expect(
        isSensitivePolicyValue(field(type), { configFieldID: 'f', value: null, sensitive: false }),
        type,
      ).toBe(false);
    }
  });
});

describe('validatePolicyFieldValue', () => {
  const accepts = (f: PolicyTemplateConfigField, value: unknown) =>
    expect(validatePolicyFieldValue(f, value, 'v')).toEqual(value);
  const refuses = (f: PolicyTemplateConfigField, value: unknown, path = 'v') =>
    expect(() => validatePolicyFieldValue(f, value, 'v')).toThrow(expect.objectContaining({ field: path }));

  it('has a rule for every JumpCloud display type', () => {
    for (const type of DISPLAY_TYPES) {
      expect(() => validatePolicyFieldValue(field(type), Symbol('not json'), 'v'), type).toThrow(
        ValidationError,
      );
    }
  });

  it('checks single choices against their values when the template lists them', () => {
    for (const type of ['select', 'radio', 'segmentedbutton', 'singlelistbox', 'searchandselect'] as const) {
      const f = field(type, { displayOptions: { values: ['a', 'b'] } });
      accepts(f, 'b');
      refuses(f, 'c');
      refuses(f, ['a']);
    }
    accepts(field('searchandselect'), 'anything');
  });

  it('checks lists of choices entry by entry, without repeats', () => {
    for (const type of ['multilist', 'doublelistbox', 'paginationlist'] as const) {
      const f = field(type, { displayOptions: { values: ['a', 'b'] } });
      accepts(f, ['a', 'b']);
      accepts(f, []);
      refuses(f, ['a', 'c'], 'v[1]');
      refuses(f, ['a', 'a'], 'v[1]');
      refuses(f, 'a');
    }
  });

  it('checks numbers against min and max', () => {
    for (const type of ['number', 'numberinline'] as const) {
      const f = field(type, { displayOptions: { min: 1, max: 10 } });
      accepts(f, 1);
      accepts(f, 10);
      refuses(f, 0);
      refuses(f, 11);
      refuses(f, '5');
      refuses(f, Number.NaN);
    }
  });

  it('checks formatted strings', () => {
    accepts(field('date'), '2024-02-29');
    refuses(field('date'), '2023-02-29');
    refuses(field('date'), '29/02/2024');
    accepts(field('datetimepicker'), '2024-05-01T09:30:00+02:00');
    refuses(field('datetimepicker'), '2024-05-01 09:30');
    accepts(field('timeinput'), '23:59');
    refuses(field('timeinput'), '24:00');
    accepts(field('email'), 'ops@acme.example');
    refuses(field('email'), 'ops@');
    accepts(field('email'), '');
    accepts(field('copywell'), 'ssh-ed25519 AAAA');
  });

  it('checks date ranges', () => {
    accepts(field('datepickerrange'), { start: '2024-01-01', end: '2024-01-31' });
    refuses(field('datepickerrange'), { start: '2024-02-01', end: '2024-01-31' }, 'v.end');
    refuses(field('datepickerrange'), { start: '2024-02-01' }, 'v.end');
    refuses(field('datepickerrange'), { start: '2024-02-01', end: '2024-02-02', tz: 'UTC' }, 'v.tz');
  });

  it('checks table rows against the columns', () => {
    const f = field('table', { displayOptions: { columns: ['key', 'value'] } });
    accepts(f, [
      { key: 'a', value: 1 },
      { key: 'b', value: true },
    ]);
    refuses(f, [{ key: 'a' }], 'v[0].value');
    refuses(f, [{ key: 'a', value: 'x', extra: 'y' }], 'v[0].extra');
    refuses(f, [{ key: 'a', value: { nested: true } }], 'v[0].value');
    refuses(f, ['a'], 'v[0]');
    refuses(f, { key: 'a', value: 'b' });
  });

  it('checks files', () => {
    accepts(field('file'), { name: 'root-ca.cer', contentBase64: 'MIIB' });
    refuses(field('file'), { name: 'root-ca.cer', contentBase64: 'not base64!' }, 'v.contentBase64');
    refuses(field('file'), { name: '', contentBase64: 'MIIB' }, 'v.name');
    refuses(field('file'), { name: 'a', contentBase64: 'MIIB', path: '/etc' }, 'v.path');
    refuses(field('file'), 'MIIB');
  });
});
