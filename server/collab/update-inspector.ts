/**
 * A bounded, allocation-free reader of the y-websocket payloads that carry Yjs data: updates
 * (format V1), state vectors and awareness updates.
 *
 * Why: Yjs decodes untrusted bytes with counts it trusts (yjs issue 687 and earlier 479):
 * a crafted count makes it allocate or loop without bound on the event loop that every room
 * shares. This reader walks the same format, refuses any count that the remaining bytes
 * cannot hold and any nesting past a fixed depth, and so finishes in time linear in the
 * payload. Only a payload it accepts is handed to Yjs. As it walks, it records what the
 * update would touch (parents, origins, deletions), which is what the update guard needs.
 */

/** Thrown for any payload that is not a well-formed, bounded Yjs V1 payload. */
export class MalformedPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPayloadError';
  }
}

/** A Yjs struct id. */
export interface StructId {
  client: number;
  clock: number;
}

/** What one struct of an update says about where it goes. */
export interface InspectedStruct {
  kind: 'item' | 'gc' | 'skip';
  client: number;
  clock: number;
  length: number;
  /** Root type name when the struct names its parent by root key. */
  parentRoot: string | null;
  /** Parent type's item id when the struct names its parent by id. */
  parentId: StructId | null;
  origin: StructId | null;
  rightOrigin: StructId | null;
  /** Map key (Y.Map entry or XML attribute) when the item lives in a map. */
  parentSub: string | null;
  /** Yjs content ref (1 deleted, 2 json, 3 binary, 4 string, 5 embed, 6 format, 7 type, 8 any, 9 doc). */
  contentRef: number;
}

/** A range of deletions: items `clock .. clock+length-1` of `client`. */
export interface InspectedDeletion {
  client: number;
  clock: number;
  length: number;
}

/** The result of walking an update. */
export interface InspectedUpdate {
  structs: InspectedStruct[];
  deletions: InspectedDeletion[];
}

/** Limits that keep a walk bounded regardless of the payload. */
const MAX_ANY_DEPTH = 32;
/** Largest clock range one struct may claim; Yjs clocks beyond this are not real edits. */
const MAX_STRUCT_LENGTH = 2 ** 31;
const MAX_CLIENT_ID = 2 ** 53;

class BoundedReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  uint8(): number {
    if (this.pos >= this.bytes.length) throw new MalformedPayloadError('unexpected end of payload');
    return this.bytes[this.pos++];
  }

  varUint(): number {
    let num = 0;
    let mult = 1;
    for (let i = 0; i < 8; i++) {
      const r = this.uint8();
      num += (r & 0x7f) * mult;
      if (r < 0x80) return num;
      mult *= 128;
    }
    throw new MalformedPayloadError('variable-length integer too long');
  }

  varInt(): void {
    let r = this.uint8();
    for (let i = 0; i < 9 && r >= 0x80; i++) r = this.uint8();
    if (r >= 0x80) throw new MalformedPayloadError('variable-length integer too long');
  }

  /** A count of things that each take at least `minBytes` bytes: must fit in what is left. */
  count(minBytes = 1): number {
    const n = this.varUint();
    if (n * minBytes > this.remaining) throw new MalformedPayloadError(`count ${n} exceeds payload size`);
    return n;
  }

  skip(n: number): void {
    if (n > this.remaining) throw new MalformedPayloadError('length exceeds payload size');
    this.pos += n;
  }

  bytesField(): Uint8Array {
    const n = this.count(1);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    return utf8.decode(this.bytesField());
  }

  any(depth = 0): void {
    if (depth > MAX_ANY_DEPTH) throw new MalformedPayloadError('value nested too deeply');
    const type = 127 - this.uint8();
    switch (type) {
      case 0: case 1: case 6: case 7: return;
      case 2: this.varInt(); return;
      case 3: this.skip(4); return;
      case 4: case 5: this.skip(8); return;
      case 8: this.skip(this.count(1)); return;
      case 9: {
        const n = this.count(2);
        for (let i = 0; i < n; i++) {
          this.skip(this.count(1));
          this.any(depth + 1);
        }
        return;
      }
      case 10: {
        const n = this.count(1);
        for (let i = 0; i < n; i++) this.any(depth + 1);
        return;
      }
      case 11: this.skip(this.count(1)); return;
      default: throw new MalformedPayloadError(`unknown value type ${type}`);
    }
  }

  id(): StructId {
    const client = this.varUint();
    const clock = this.varUint();
    if (client > MAX_CLIENT_ID) throw new MalformedPayloadError('client id out of range');
    return { client, clock };
  }

  end(): void {
    if (this.pos !== this.bytes.length) throw new MalformedPayloadError('trailing bytes after payload');
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Yjs never writes empty content; a zero length would desynchronise clock arithmetic. */
function nonEmpty(length: number): number {
  if (length === 0) throw new MalformedPayloadError('empty item content');
  return length;
}

/** Read an item's content, returning how many clock ticks it spans. */
function readContent(r: BoundedReader, ref: number): number {
  switch (ref) {
    case 1: { // deleted
      const len = r.varUint();
      if (len < 1 || len > MAX_STRUCT_LENGTH) throw new MalformedPayloadError('bad deleted length');
      return len;
    }
    case 2: { // json
      const len = nonEmpty(r.count(1));
      for (let i = 0; i < len; i++) r.skip(r.count(1));
      return len;
    }
    case 3: r.skip(r.count(1)); return 1; // binary
    case 4: { // string: length in UTF-16 units
      return nonEmpty(r.string().length);
    }
    case 5: r.skip(r.count(1)); return 1; // embed (JSON string)
    case 6: r.skip(r.count(1)); r.skip(r.count(1)); return 1; // format: key, JSON value
    case 7: { // type
      const typeRef = r.varUint();
      if (typeRef > 6) throw new MalformedPayloadError(`unknown type ref ${typeRef}`);
      if (typeRef === 3 || typeRef === 5) r.skip(r.count(1)); // XmlElement / XmlHook name
      return 1;
    }
    case 8: { // any
      const len = nonEmpty(r.count(1));
      for (let i = 0; i < len; i++) r.any();
      return len;
    }
    case 9: r.skip(r.count(1)); r.any(); return 1; // subdocument
    default: throw new MalformedPayloadError(`unknown content ref ${ref}`);
  }
}

/** Walk a Yjs V1 update, refusing anything unbounded; returns what it would touch. */
export function inspectUpdate(update: Uint8Array): InspectedUpdate {
  const r = new BoundedReader(update);
  const structs: InspectedStruct[] = [];
  const clients = r.count(3);
  for (let c = 0; c < clients; c++) {
    const n = r.count(1);
    const client = r.varUint();
    if (client > MAX_CLIENT_ID) throw new MalformedPayloadError('client id out of range');
    let clock = r.varUint();
    for (let i = 0; i < n; i++) {
      const info = r.uint8();
      const ref = info & 0x1f;
      if (ref === 0 || ref === 10) {
        const length = r.varUint();
        if (length < 1 || length > MAX_STRUCT_LENGTH) throw new MalformedPayloadError('bad struct length');
        structs.push({ kind: ref === 0 ? 'gc' : 'skip', client, clock, length, parentRoot: null, parentId: null, origin: null, rightOrigin: null, parentSub: null, contentRef: 0 });
        clock += length;
        continue;
      }
      const origin = info & 0x80 ? r.id() : null;
      const rightOrigin = info & 0x40 ? r.id() : null;
      const cantCopyParentInfo = (info & 0xc0) === 0;
      let parentRoot: string | null = null;
      let parentId: StructId | null = null;
      let parentSub: string | null = null;
      if (cantCopyParentInfo) {
        if (r.varUint() === 1) parentRoot = r.string();
        else parentId = r.id();
        if (info & 0x20) parentSub = r.string();
      }
      const length = readContent(r, ref);
      structs.push({ kind: 'item', client, clock, length, parentRoot, parentId, origin, rightOrigin, parentSub, contentRef: ref });
      clock += length;
      if (clock > 2 ** 53) throw new MalformedPayloadError('clock out of range');
    }
  }
  const deletions = readDeleteSet(r);
  r.end();
  return { structs, deletions };
}

function readDeleteSet(r: BoundedReader): InspectedDeletion[] {
  const deletions: InspectedDeletion[] = [];
  const clients = r.count(2);
  for (let c = 0; c < clients; c++) {
    const client = r.varUint();
    const n = r.count(2);
    for (let i = 0; i < n; i++) {
      const clock = r.varUint();
      const length = r.varUint();
      if (length > MAX_STRUCT_LENGTH) throw new MalformedPayloadError('bad deletion length');
      deletions.push({ client, clock, length });
    }
  }
  return deletions;
}

/** Check that a state vector (sync step 1 payload) is well formed and bounded. */
export function inspectStateVector(stateVector: Uint8Array): void {
  const r = new BoundedReader(stateVector);
  const n = r.count(2);
  for (let i = 0; i < n; i++) {
    r.varUint();
    r.varUint();
  }
  r.end();
}

/** One entry of an awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The JSON state, or null when the client removes its state. */
  state: Record<string, unknown> | null;
}

/** Parse an awareness update, refusing states larger than `maxStateBytes`. */
export function inspectAwarenessUpdate(update: Uint8Array, maxStateBytes: number): AwarenessEntry[] {
  const r = new BoundedReader(update);
  const n = r.count(3);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = r.varUint();
    const clock = r.varUint();
    const raw = r.bytesField();
    if (raw.length > maxStateBytes) throw new MalformedPayloadError(`awareness state of ${raw.length} bytes exceeds ${maxStateBytes}`);
    let state: unknown;
    try {
      state = JSON.parse(utf8.decode(raw));
    } catch {
      throw new MalformedPayloadError('awareness state is not JSON');
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new MalformedPayloadError('awareness state is not an object');
    }
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  r.end();
  return entries;
}
