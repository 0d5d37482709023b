import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepYTiptapMapping } from '../vite.config.ts';

const dist = path.resolve(import.meta.dirname, '../node_modules/@tiptap/y-tiptap/dist');

/** Run the plugin's transform as Vite would, with `this.error` throwing. */
function transform(code: string, id: string): { code: string } | null {
  const hook = keepYTiptapMapping().transform as (this: unknown, code: string, id: string) => { code: string } | null;
  return hook.call({ error: (message: string) => { throw new Error(message); } }, code, id);
}

describe('the y-tiptap build patch (vite.config.ts)', () => {
  it.each(['y-tiptap.js', 'y-tiptap.cjs'])('removes only the mapping.clear() of _typeChanged from %s', (file) => {
    const original = readFileSync(path.join(dist, file), 'utf8');
    const patched = transform(original, path.join(dist, file))!.code;
    const clears = (code: string) => code.split('this.mapping.clear();').length - 1;
    expect(clears(patched)).toBe(clears(original) - 1);
    const typeChanged = patched.slice(patched.indexOf('_typeChanged (events, transaction) {'), patched.indexOf('_prosemirrorChanged (doc) {'));
    expect(typeChanged).toContain('transaction.changedParentTypes.forEach(delType);');
    expect(typeChanged).not.toContain('this.mapping.clear()');
  });

  it('fails the build when y-tiptap no longer has the expected text', () => {
    const original = readFileSync(path.join(dist, 'y-tiptap.js'), 'utf8');
    const changed = original.replace('      this.mapping.clear();\n      const fragmentContent', '      this.mapping = new Map();\n      const fragmentContent');
    expect(changed).not.toBe(original);
    expect(() => transform(changed, path.join(dist, 'y-tiptap.js'))).toThrow(/y-tiptap changed/);
  });

  it('leaves every other module alone', () => {
    expect(transform('this.mapping.clear();', '/x/node_modules/y-prosemirror/dist/y-prosemirror.js')).toBeNull();
  });
});
