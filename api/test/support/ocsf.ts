import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

/**
 * The OCSF 1.3.0 schema's own files (github.com/ocsf/ocsf-schema at tag
 * 1.3.0), those a Detection Finding export reaches, vendored under
 * test/fixtures with the licence. Profiles are optional attribute sets a
 * producer claims in `metadata.profiles`; the export claims none, so profile
 * includes are left out and their attributes count as unknown.
 */
const ROOT = new URL('../fixtures/ocsf-schema-1.3.0/', import.meta.url);
const read = (path: string) => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8')) as Definition;

interface AttributeSpec {
  requirement?: 'required' | 'recommended' | 'optional';
  type?: string;
  enum?: Record<string, { caption: string }>;
}

interface Definition {
  name: string;
  uid?: number;
  category?: string;
  extends?: string;
  attributes: Record<string, AttributeSpec | string[]>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
}

interface Resolved {
  attributes: Map<string, AttributeSpec>;
  constraints: NonNullable<Definition['constraints']>;
}

interface DictionaryEntry extends AttributeSpec {
  type: string;
  is_array?: boolean;
  observable?: number;
}

const dictionary = read('dictionary.json') as unknown as {
  attributes: Record<string, DictionaryEntry>;
  types: { attributes: Record<string, { type?: string; observable?: number; caption: string }> };
};

/** A definition with its parents' attributes and its non-profile includes merged in, the child winning field by field. */
function resolve(definition: Definition, load: (name: string) => Definition): Resolved {
  const parent: Resolved =
    definition.extends === undefined
      ? { attributes: new Map(), constraints: {} }
      : resolve(load(definition.extends), load);
  const attributes = new Map(parent.attributes);
  for (const [name, spec] of Object.entries(definition.attributes)) {
    if (name === '$include') {
      for (const path of spec as string[])
        if (path.startsWith('includes/'))
          for (const [included, inner] of Object.entries(read(path).attributes))
            attributes.set(included, { ...attributes.get(included), ...(inner as AttributeSpec) });
      continue;
    }
    attributes.set(name, { ...attributes.get(name), ...(spec as AttributeSpec) });
  }
  return { attributes, constraints: definition.constraints ?? parent.constraints };
}

const loadObject = (name: string) => read(`objects/${name}.json`);
const loadEvent = (name: string): Definition => {
  const paths: Record<string, string> = {
    base_event: 'events/base_event.json',
    finding: 'events/findings/finding.json',
    detection_finding: 'events/findings/detection_finding.json',
  };
  const path = paths[name];
  if (path === undefined) throw new Error(`event class ${name} is not vendored`);
  return read(path);
};

/** Observable type ids: a dictionary type's, or an attribute's own. */
function observableCaptions(): Map<number, string> {
  const captions = new Map<number, string>([
    [0, 'Unknown'],
    [99, 'Other'],
  ]);
  for (const type of Object.values(dictionary.types.attributes))
    if (type.observable !== undefined) captions.set(type.observable, type.caption);
  for (const attribute of Object.values(dictionary.attributes) as Array<DictionaryEntry & { caption: string }>)
    if (attribute.observable !== undefined) captions.set(attribute.observable, attribute.caption);
  return captions;
}

/** Class and category ids, and observable type ids: see `checkOcsf`. */
const COMPUTED_UIDS = new Set(['class_uid', 'category_uid', 'type_uid']);

function baseType(type: string): string {
  return dictionary.types.attributes[type]?.type ?? type;
}

function checkObject(path: string, value: unknown, definition: Resolved, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: not an object`);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [name, spec] of definition.attributes)
    if (spec.requirement === 'required' && record[name] === undefined)
      problems.push(`${path}${path ? '.' : ''}${name}: required, missing`);
  const { at_least_one: atLeastOne, just_one: justOne } = definition.constraints;
  if (atLeastOne && !atLeastOne.some((name) => record[name] !== undefined))
    problems.push(`${path}: needs at least one of ${atLeastOne.join(', ')}`);
  if (justOne && justOne.filter((name) => record[name] !== undefined).length !== 1)
    problems.push(`${path}: needs exactly one of ${justOne.join(', ')}`);
  for (const [name, inner] of Object.entries(record)) {
    const at = path ? `${path}.${name}` : name;
    const spec = definition.attributes.get(name);
    const entry = dictionary.attributes[name];
    if (spec === undefined || entry === undefined) {
      problems.push(`${at}: not an attribute here`);
      continue;
    }
    const type = spec.type ?? entry.type;
    if (Array.isArray(inner) !== (entry.is_array === true)) {
      problems.push(`${at}: ${entry.is_array ? 'must' : 'must not'} be an array`);
      continue;
    }
    const items = Array.isArray(inner) ? inner : [inner];
    items.forEach((item, index) => {
      checkValue(Array.isArray(inner) ? `${at}[${index}]` : at, type, item, problems);
    });
    // The schema server fills these enums in when it compiles the schema; `checkOcsf` derives them instead.
    const compiled = path === '' ? COMPUTED_UIDS.has(name) : /^observables\[\d+\]$/.test(path) && name === 'type_id';
    const values = compiled ? undefined : (spec.enum ?? entry.enum);
    if (values !== undefined) {
      const known = values[String(inner)];
      if (known === undefined) problems.push(`${at}: ${JSON.stringify(inner)} is not one of its enum`);
      const sibling = name.endsWith('_id') ? name.slice(0, -3) : null;
      if (
        known &&
        sibling !== null &&
        record[sibling] !== undefined &&
        String(inner) !== '99' &&
        record[sibling] !== known.caption
      )
        problems.push(
          `${path}${path ? '.' : ''}${sibling}: ${JSON.stringify(record[sibling])} is not ${known.caption}`,
        );
    }
  }
}

function checkValue(at: string, type: string, value: unknown, problems: string[]): void {
  const base = baseType(type);
  const fail = (what: string) => problems.push(`${at}: ${JSON.stringify(value)} is not ${what} (${type})`);
  if (base === 'string_t') {
    if (typeof value !== 'string') fail('a string');
    else if (type === 'ip_t' && isIP(value) === 0) fail('an IP address');
  } else if (base === 'integer_t' || base === 'long_t') {
    if (!Number.isInteger(value)) fail('an integer');
  } else if (base === 'float_t') {
    if (typeof value !== 'number') fail('a number');
  } else if (base === 'boolean_t') {
    if (typeof value !== 'boolean') fail('a boolean');
  } else if (base === 'json_t') {
    // Any JSON.
  } else if (type === 'object') {
    if (typeof value !== 'object' || value === null) fail('an object');
  } else {
    checkObject(at, value, resolve(loadObject(type), loadObject), problems);
  }
}

/**
 * Every problem with an event against its OCSF 1.3.0 class: the class's own
 * uid, required attributes of the class and of every object it holds, the
 * objects' constraints, attributes the class or object does not define,
 * types, enum values and their captions, observable type ids.
 */
export function checkOcsf(event: Record<string, unknown>, className: string): string[] {
  const definition = loadEvent(className);
  const categories = read('categories.json') as unknown as { attributes: Record<string, { uid: number }> };
  const problems: string[] = [];
  const categoryUid = categories.attributes[definition.category ?? '']?.uid;
  if (categoryUid === undefined) problems.push(`category ${definition.category} unknown`);
  else {
    const classUid = categoryUid * 1000 + (definition.uid ?? 0);
    if (event.class_uid !== classUid) problems.push(`class_uid: ${event.class_uid} is not ${classUid}`);
    if (event.category_uid !== categoryUid) problems.push(`category_uid: ${event.category_uid} is not ${categoryUid}`);
    if (event.type_uid !== classUid * 100 + Number(event.activity_id))
      problems.push(`type_uid: ${event.type_uid} is not class_uid * 100 + activity_id`);
  }
  checkObject('', event, resolve(definition, loadEvent), problems);
  const captions = observableCaptions();
  for (const [index, observable] of (
    (event.observables ?? []) as Array<{ type_id: number; type?: string }>
  ).entries()) {
    const caption = captions.get(observable.type_id);
    if (caption === undefined) problems.push(`observables[${index}].type_id: ${observable.type_id} unknown`);
    else if (observable.type !== undefined && observable.type !== caption)
      problems.push(`observables[${index}].type: ${observable.type} is not ${caption}`);
  }
  return problems;
}

/** The attribute names the class marks required, for the report of what was checked. */
export function requiredAttributes(className: string): string[] {
  return [...resolve(loadEvent(className), loadEvent).attributes]
    .filter(([, spec]) => spec.requirement === 'required')
    .map(([name]) => name);
}
