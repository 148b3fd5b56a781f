import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse } from 'yaml';

/**
 * Elastic's own field table, `generated/ecs/ecs_flat.yml` of ECS 8.11.0 (the
 * version the export claims), vendored under test/fixtures with its licence.
 */
const FLAT = new URL('../fixtures/ecs-8.11.0/ecs_flat.yml', import.meta.url);

interface EcsField {
  type: string;
  normalize?: string[];
  allowed_values?: Array<{ name: string; expected_event_types?: string[] }>;
}

let fields: Record<string, EcsField> | null = null;

export function ecsFields(): Record<string, EcsField> {
  fields ??= parse(readFileSync(FLAT, 'utf8'), { maxAliasCount: -1 }) as Record<string, EcsField>;
  return fields;
}

const STRING_TYPES = new Set(['keyword', 'constant_keyword', 'wildcard', 'text', 'match_only_text']);
const INTEGER_TYPES = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);
const NUMBER_TYPES = new Set(['float', 'double', 'half_float', 'scaled_float']);
/** Types whose value is an object ECS does not break down further. */
const LEAF_OBJECTS = new Set(['object', 'flattened', 'nested', 'geo_point']);

function typeProblem(type: string, value: unknown): string | null {
  if (STRING_TYPES.has(type)) return typeof value === 'string' ? null : 'a string';
  if (INTEGER_TYPES.has(type)) return Number.isInteger(value) ? null : 'an integer';
  if (NUMBER_TYPES.has(type)) return typeof value === 'number' && Number.isFinite(value) ? null : 'a number';
  if (type === 'boolean') return typeof value === 'boolean' ? null : 'a boolean';
  if (type === 'date') return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? null : 'a date string';
  if (type === 'ip') return typeof value === 'string' && isIP(value) !== 0 ? null : 'an IP address';
  if (type === 'geo_point') {
    const point = value as { lat?: unknown; lon?: unknown };
    return typeof point?.lat === 'number' && typeof point.lon === 'number' && Object.keys(point).length === 2
      ? null
      : 'a {lat, lon} point';
  }
  if (type === 'object' || type === 'flattened')
    return typeof value === 'object' && value !== null ? null : 'an object';
  return `a ${type} (not checked here)`;
}

/**
 * Every problem with a document against the ECS field table: a field ECS does
 * not define (outside `custom`, the exporter's own namespace, which must not
 * be an ECS field set), a value of the wrong type, an array where ECS expects
 * one value or the reverse, a categorization value ECS does not allow.
 * Returns the problems and the ECS fields the document holds.
 */
export function checkEcs(document: Record<string, unknown>, custom: string): { problems: string[]; fields: string[] } {
  const table = ecsFields();
  const problems: string[] = [];
  const found: string[] = [];
  if (Object.keys(table).some((name) => name === custom || name.startsWith(`${custom}.`)))
    problems.push(`${custom} is an ECS namespace`);
  const visit = (path: string, value: unknown) => {
    if (path === custom) return;
    const field = table[path];
    if (field === undefined) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [key, inner] of Object.entries(value)) visit(`${path}.${key}`, inner);
      } else problems.push(`${path}: not an ECS field`);
      return;
    }
    found.push(path);
    const isArray = field.normalize?.includes('array') === true;
    if (Array.isArray(value) !== isArray) problems.push(`${path}: ECS expects ${isArray ? 'an array' : 'one value'}`);
    for (const item of Array.isArray(value) ? value : [value]) {
      const wanted = typeProblem(field.type, item);
      if (wanted !== null) problems.push(`${path}: ${JSON.stringify(item)} is not ${wanted} (${field.type})`);
      if (field.allowed_values && !field.allowed_values.some((allowed) => allowed.name === item))
        problems.push(`${path}: ${JSON.stringify(item)} is not an allowed value`);
    }
    if (!LEAF_OBJECTS.has(field.type) && typeof value === 'object' && value !== null && !Array.isArray(value))
      problems.push(`${path}: an object where ECS has a ${field.type}`);
  };
  for (const [key, value] of Object.entries(document)) visit(key, value);
  // event.type must be one the categories expect.
  const event = document.event as { category?: string[]; type?: string[] } | undefined;
  for (const category of event?.category ?? []) {
    const expected = table['event.category']?.allowed_values?.find((v) => v.name === category)?.expected_event_types;
    for (const type of event?.type ?? [])
      if (expected !== undefined && !expected.includes(type))
        problems.push(`event.type ${type} is not expected for event.category ${category}`);
  }
  return { problems, fields: found };
}
