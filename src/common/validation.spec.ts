import { describe, expect, it } from '@jest/globals';
import { IsInt, IsString, MaxLength, MetadataStorage, validateSync, ValidationTypes } from 'class-validator';
import { cacheValidationLookups } from './validation.js';

class Base {
  @IsString()
  name!: string;
}
class Child extends Base {
  @IsInt()
  count!: number;
}

describe('cached class-validator lookups', () => {
  it('answers as the uncached lookup, once per class and options, and anew after a rule is added', () => {
    const storage = new MetadataStorage();
    // What class-validator stores per rule (ValidationMetadata is not exported): the fields its lookup reads.
    type Rule = Parameters<MetadataStorage['addValidationMetadata']>[0];
    const rule = (target: object, propertyName: string, groups?: string[]) =>
      ({ type: ValidationTypes.CUSTOM_VALIDATION, target, propertyName, constraints: [], groups: groups ?? [], each: false }) as unknown as Rule;
    storage.addValidationMetadata(rule(Base, 'name'));
    storage.addValidationMetadata(rule(Child, 'count'));
    storage.addValidationMetadata(rule(Child, 'secret', ['admin']));
    const plain = new MetadataStorage();
    for (const m of [rule(Base, 'name'), rule(Child, 'count'), rule(Child, 'secret', ['admin'])]) plain.addValidationMetadata(m);
    const names = (list: Array<{ propertyName: string }>) => list.map((m) => m.propertyName).sort();

    let lookups = 0;
    const original = storage.getTargetValidationMetadatas.bind(storage);
    storage.getTargetValidationMetadatas = (...args) => (lookups++, original(...args));
    cacheValidationLookups(storage);
    expect(cacheValidationLookups(storage)).toBe(storage); // patched once only

    for (const [groups, strict] of [[undefined, false], [['admin'], false], [[], true]] as const) {
      const want = names(plain.getTargetValidationMetadatas(Child, '', false, strict, groups as string[] | undefined));
      expect(names(storage.getTargetValidationMetadatas(Child, '', false, strict, groups as string[] | undefined))).toEqual(want);
      expect(names(storage.getTargetValidationMetadatas(Child, '', false, strict, groups as string[] | undefined))).toEqual(want);
    }
    expect(lookups).toBe(3); // one per distinct options, the repeats from the cache
    const first = storage.getTargetValidationMetadatas(Child, '', false, false, undefined);
    first.length = 0; // a caller's change to its array does not reach the cache
    expect(names(storage.getTargetValidationMetadatas(Child, '', false, false, undefined))).toEqual(['count', 'name', 'secret']);

    storage.addValidationMetadata(rule(Base, 'late')); // an inherited rule defined later is seen
    expect(names(storage.getTargetValidationMetadatas(Child, '', false, false, undefined))).toEqual(['count', 'late', 'name', 'secret']);
    expect(lookups).toBe(4);
  });

  it('validates with the global storage as before (inherited rules, messages)', () => {
    cacheValidationLookups();
    class Late extends Child {
      @MaxLength(3)
      code!: string;
    }
    for (let i = 0; i < 2; i++) {
      const errors = validateSync(Object.assign(new Late(), { name: 1, count: 'x', code: 'long' }));
      expect(errors.map((e) => [e.property, Object.keys(e.constraints ?? {})]).sort()).toEqual([['code', ['maxLength']], ['count', ['isInt']], ['name', ['isString']]]);
    }
  });
});
