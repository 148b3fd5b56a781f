import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * A MaxMind DB (https://maxmind.github.io/MaxMind-DB/) read in place: the
 * file is opened, not loaded. The top of the search tree is copied at open;
 * every lookup reads the rest of its path and its data record with positioned
 * reads, through a small cache of recently used blocks. The bytes stay in the
 * operating system's page cache, shared and reclaimable, instead of costing
 * the process the file's size (DB-IP's city files are 63 and 71 MB).
 */

export type MmdbValue = string | number | bigint | boolean | Uint8Array | MmdbValue[] | { [key: string]: MmdbValue };

export interface MmdbMetadata {
  nodeCount: number;
  recordSize: 24 | 28 | 32;
  ipVersion: 4 | 6;
  databaseType: string;
  /** When the data was built, in epoch seconds. */
  buildEpoch: number;
}

export interface MmdbFileOptions {
  /** Bytes per cached block. */
  blockSize?: number;
  /** Blocks kept; the cache holds at most `blockSize × blocks` bytes. */
  blocks?: number;
  /**
   * Search-tree nodes nearest the root kept in memory, 16 bytes each. The
   * default 16,384 leaves about one read in the tree per lookup.
   */
  pinnedNodes?: number;
}

const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'); // "\xAB\xCD\xEFMaxMind.com"
/** The spec caps the metadata section at 128 KiB. */
const METADATA_MAX_BYTES = 128 * 1024;
/** Sixteen zero bytes sit between the search tree and the data section. */
const DATA_SECTION_SEPARATOR = 16;

export class MmdbFile {
  readonly metadata: MmdbMetadata;
  readonly #blocks: BlockCache;
  readonly #data: Decoder;
  readonly #nodeBytes: number;
  readonly #treeBytes: number;
  /** Where IPv4 addresses start in an IPv6 tree (the ::/96 subtree), or 0 in an IPv4 tree. */
  readonly #ipv4Start: number;
  /**
   * The nodes nearest the root, breadth first: slot i's left and right
   * records at 2i and 2i + 1, a child that is pinned too as -1 - its slot.
   * The file numbers nodes depth first, so the top levels of the tree are
   * spread over all of it and each would cost a read on every lookup.
   */
  readonly #pinned: Float64Array;

  private constructor(blocks: BlockCache, metadata: MmdbMetadata, pinnedNodes: number) {
    this.#blocks = blocks;
    this.metadata = metadata;
    this.#nodeBytes = metadata.recordSize / 4;
    this.#treeBytes = metadata.nodeCount * this.#nodeBytes;
    this.#data = new Decoder(blocks, this.#treeBytes + DATA_SECTION_SEPARATOR);
    this.#ipv4Start = this.#findIpv4Start();
    this.#pinned = this.#pinTop(pinnedNodes);
  }

  /**
   * Opens a database file and reads its metadata and the top of its tree
   * (0.1–0.5 s for DB-IP's city files); throws when it is not one.
   */
  static open(path: string, options: MmdbFileOptions = {}): MmdbFile {
    const fd = openSync(path, 'r');
    try {
      const blocks = new BlockCache(fd, fstatSync(fd).size, options.blockSize ?? 4096, options.blocks ?? 64);
      return new MmdbFile(blocks, readMetadata(blocks), options.pinnedNodes ?? 16_384);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /**
   * The record for an address given as its 4 (IPv4) or 16 (IPv6) bytes, or
   * null when the database has none. An IPv4 address in an IPv6 database is
   * looked up in its ::/96 subtree, as the spec says.
   */
  get(address: Uint8Array): MmdbValue | null {
    const position = this.find(address);
    return position === null ? null : this.recordAt(position);
  }

  /**
   * Where the address's record starts in the file, or null when the database
   * has none. Many addresses share one record: the position identifies it.
   */
  find(address: Uint8Array): number | null {
    const bits = address.length * 8;
    if (bits !== 32 && bits !== 128) throw new Error(`an IP address has 4 or 16 bytes, not ${address.length}`);
    if (bits === 128 && this.metadata.ipVersion === 4) throw new Error('an IPv6 address in an IPv4-only database');
    const { nodeCount, ipVersion } = this.metadata;
    let node = this.#ipv4Start;
    let depth = 0;
    if (bits === 128 || ipVersion === 4) {
      // Down the pinned top while the path stays in it; a record below zero names the next pinned slot.
      let record = -1;
      while (record < 0 && depth < bits) {
        record = this.#pinned[2 * (-1 - record) + bitAt(address, depth)]!;
        depth += 1;
      }
      if (record < 0) return null;
      node = record;
    }
    for (; depth < bits && node < nodeCount; depth += 1) node = this.#record(node, bitAt(address, depth));
    // Equal to the node count means "no data"; below it, the address ran out of bits inside the tree.
    if (node <= nodeCount) return null;
    // Above it, the record is an offset into the data section plus the node count and the separator's 16.
    return node - nodeCount + this.#treeBytes;
  }

  /** The record at a position `find` returned. */
  recordAt(position: number): MmdbValue {
    return this.#data.decodeAt(position);
  }

  /** Releases the file descriptor; lookups afterwards fail. */
  close(): void {
    this.#blocks.close();
  }

  #record(node: number, right: number): number {
    const bytes = this.#blocks.view(node * this.#nodeBytes, this.#nodeBytes);
    const at = this.#blocks.at;
    switch (this.metadata.recordSize) {
      case 24:
        return right ? uint24(bytes, at + 3) : uint24(bytes, at);
      case 28:
        return right
          ? ((bytes[at + 3]! & 0x0f) << 24) | uint24(bytes, at + 4)
          : ((bytes[at + 3]! & 0xf0) << 20) | uint24(bytes, at);
      case 32:
        return bytes.readUInt32BE(right ? at + 4 : at);
    }
  }

  #pinTop(count: number): Float64Array {
    const { nodeCount } = this.metadata;
    const nodes = [0];
    const pinned = new Float64Array(2 * Math.max(1, Math.min(count, nodeCount)));
    for (let slot = 0; slot < nodes.length; slot += 1) {
      for (const side of [0, 1]) {
        const record = this.#record(nodes[slot]!, side);
        if (record < nodeCount && 2 * nodes.length < pinned.length) {
          pinned[2 * slot + side] = -1 - nodes.length;
          nodes.push(record);
        } else {
          pinned[2 * slot + side] = record;
        }
      }
    }
    return pinned;
  }

  #findIpv4Start(): number {
    if (this.metadata.ipVersion === 4) return 0;
    let node = 0;
    for (let depth = 0; depth < 96 && node < this.metadata.nodeCount; depth += 1) node = this.#record(node, 0);
    return node;
  }
}

function readMetadata(blocks: BlockCache): MmdbMetadata {
  const tailBytes = Math.min(blocks.size, METADATA_MAX_BYTES);
  const tailStart = blocks.size - tailBytes;
  const marker = blocks.copy(tailStart, tailBytes).lastIndexOf(METADATA_MARKER);
  if (marker < 0) throw new Error('not a MaxMind DB file: no metadata marker');
  const start = tailStart + marker + METADATA_MARKER.length;
  const fields = new Decoder(blocks, start).decodeAt(start);
  if (!isMap(fields)) throw new Error('MaxMind DB metadata is not a map');
  const major = fields.binary_format_major_version;
  if (major !== 2) throw new Error(`unsupported MaxMind DB format version ${String(major)}`);
  const { node_count: nodeCount, record_size: recordSize, ip_version: ipVersion } = fields;
  if (typeof nodeCount !== 'number') throw new Error('MaxMind DB metadata has no node_count');
  if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) {
    throw new Error(`unsupported MaxMind DB record size ${String(recordSize)}`);
  }
  if (ipVersion !== 4 && ipVersion !== 6) throw new Error(`unsupported MaxMind DB IP version ${String(ipVersion)}`);
  return {
    nodeCount,
    recordSize,
    ipVersion,
    databaseType: typeof fields.database_type === 'string' ? fields.database_type : '',
    buildEpoch: Number(fields.build_epoch ?? 0),
  };
}

function isMap(value: MmdbValue | null): value is { [key: string]: MmdbValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function bitAt(address: Uint8Array, index: number): number {
  return (address[index >> 3]! >> (7 - (index & 7))) & 1;
}

function uint24(bytes: Buffer, at: number): number {
  return (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
}

/**
 * Fixed-size blocks of the file, the least recently used dropped first, so
 * blocks in steady use stay. A dropped block's buffer is reused for the next
 * read: steady lookups allocate nothing here.
 */
class BlockCache {
  readonly size: number;
  readonly #fd: number;
  readonly #blockSize: number;
  readonly #capacity: number;
  /** In order of last use, oldest first (a Map iterates in insertion order). */
  readonly #blocks = new Map<number, Buffer>();
  #lastIndex = -1;
  #lastBlock: Buffer = Buffer.alloc(0);
  /** Where the last `view` starts in the buffer it returned. */
  at = 0;
  /** For the few reads that straddle two blocks. */
  #scratch: Buffer = Buffer.alloc(256);

  constructor(fd: number, size: number, blockSize: number, capacity: number) {
    if (!Number.isInteger(blockSize) || blockSize < 64) throw new Error(`block size ${blockSize} is below 64 bytes`);
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a block cache needs at least one block`);
    this.#fd = fd;
    this.size = size;
    this.#blockSize = blockSize;
    this.#capacity = capacity;
  }

  /**
   * A buffer holding `length` bytes from `position`, starting at `this.at` in
   * it; valid until the next call. (Two results in fields rather than an
   * object: a lookup makes dozens of these calls.)
   */
  view(position: number, length: number): Buffer {
    if (position < 0 || position + length > this.size) {
      throw new Error(`MaxMind DB read of ${length} bytes at ${position} is outside the file (${this.size} bytes)`);
    }
    const index = Math.floor(position / this.#blockSize);
    const at = position - index * this.#blockSize;
    if (at + length <= this.#blockSize) {
      this.at = at;
      return this.#block(index);
    }
    if (this.#scratch.length < length) this.#scratch = Buffer.allocUnsafeSlow(length);
    this.#read(this.#scratch, position, length);
    this.at = 0;
    return this.#scratch;
  }

  /** `length` bytes from `position` in a buffer of their own, read past the cache. */
  copy(position: number, length: number): Buffer {
    const bytes = Buffer.alloc(length);
    this.#read(bytes, position, length);
    return bytes;
  }

  close(): void {
    closeSync(this.#fd);
    this.#blocks.clear();
    this.#lastIndex = -1;
  }

  #block(index: number): Buffer {
    if (index === this.#lastIndex) return this.#lastBlock;
    let block = this.#blocks.get(index);
    if (block === undefined) {
      block = this.#evictOldest() ?? Buffer.allocUnsafeSlow(this.#blockSize);
      this.#read(block, index * this.#blockSize, Math.min(this.#blockSize, this.size - index * this.#blockSize));
    } else {
      this.#blocks.delete(index);
    }
    this.#blocks.set(index, block);
    this.#lastIndex = index;
    this.#lastBlock = block;
    return block;
  }

  #evictOldest(): Buffer | undefined {
    if (this.#blocks.size < this.#capacity) return undefined;
    const [index, block] = this.#blocks.entries().next().value as [number, Buffer];
    this.#blocks.delete(index);
    return block;
  }

  #read(target: Buffer, position: number, length: number): void {
    let done = 0;
    while (done < length) {
      const read = readSync(this.#fd, target, done, length - done, position + done);
      if (read === 0) throw new Error(`MaxMind DB file ended at ${position + done}, expected ${this.size} bytes`);
      done += read;
    }
  }
}

/** The data section's type numbers (extended types are 7 plus the byte after the control byte). */
const POINTER = 1;
const UTF8_STRING = 2;
const DOUBLE = 3;
const BYTES = 4;
const UINT16 = 5;
const UINT32 = 6;
const MAP = 7;
const INT32 = 8;
const UINT64 = 9;
const UINT128 = 10;
const ARRAY = 11;
const BOOLEAN = 14;
const FLOAT = 15;

/** Pointers of each size skip the values the shorter sizes can already reach. */
const POINTER_BIAS = [0, 2048, 526336, 0] as const;

/** Strings and numbers remembered by where they are, up to this many. */
const SHARED_VALUES = 8_192;

/**
 * The data section's values. `base` is where pointers count from: the data
 * section for records, the metadata section for the metadata.
 */
class Decoder {
  readonly #blocks: BlockCache;
  readonly #base: number;
  #position = 0;
  /**
   * Values reached through pointers are the shared ones (map keys, city and
   * region names): remembered, they cost neither a read nor a decode. Only
   * strings and numbers, which a caller cannot change under another; emptied
   * when full.
   */
  readonly #shared = new Map<number, MmdbValue>();

  constructor(blocks: BlockCache, base: number) {
    this.#blocks = blocks;
    this.#base = base;
  }

  decodeAt(position: number): MmdbValue {
    this.#position = position;
    return this.#value();
  }

  #value(): MmdbValue {
    const control = this.#byte();
    let type = control >> 5;
    if (type === POINTER) {
      const target = this.#pointer(control);
      const known = this.#shared.get(target);
      if (known !== undefined) return known;
      const after = this.#position;
      this.#position = target;
      const value = this.#value();
      this.#position = after;
      if (typeof value === 'string' || typeof value === 'number') {
        if (this.#shared.size >= SHARED_VALUES) this.#shared.clear();
        this.#shared.set(target, value);
      }
      return value;
    }
    if (type === 0) type = 7 + this.#byte();
    const size = this.#size(control & 0x1f);
    switch (type) {
      case MAP: {
        const map: { [key: string]: MmdbValue } = {};
        for (let entry = 0; entry < size; entry += 1) {
          const key = this.#value();
          if (typeof key !== 'string') throw new Error(`MaxMind DB map key is a ${typeof key}, not a string`);
          map[key] = this.#value();
        }
        return map;
      }
      case ARRAY: {
        const array: MmdbValue[] = [];
        for (let item = 0; item < size; item += 1) array.push(this.#value());
        return array;
      }
      case BOOLEAN:
        // The size field holds the value; nothing follows.
        return size !== 0;
      case UTF8_STRING: {
        if (size === 0) return '';
        const bytes = this.#take(size);
        const at = this.#blocks.at;
        return bytes.toString('utf8', at, at + size);
      }
      case DOUBLE: {
        if (size !== 8) throw new Error(`MaxMind DB double of ${size} bytes`);
        return this.#take(8).readDoubleBE(this.#blocks.at);
      }
      case FLOAT: {
        if (size !== 4) throw new Error(`MaxMind DB float of ${size} bytes`);
        return this.#take(4).readFloatBE(this.#blocks.at);
      }
      case UINT16:
      case UINT32:
        return size === 0 ? 0 : this.#unsigned(size, type === UINT16 ? 2 : 4);
      case INT32: {
        if (size === 4) {
          return this.#take(4).readInt32BE(this.#blocks.at);
        }
        // Shorter int32s are stored without their leading zero bytes, so they are never negative.
        return size === 0 ? 0 : this.#unsigned(size, 4);
      }
      case UINT64:
      case UINT128:
        return this.#bigUnsigned(size, type === UINT64 ? 8 : 16);
      case BYTES: {
        const bytes = this.#take(size);
        const at = this.#blocks.at;
        // A copy: the cached block it came from is reused.
        return Buffer.from(bytes.subarray(at, at + size));
      }
      default:
        throw new Error(`MaxMind DB data type ${type} at ${this.#position} is not one a record holds`);
    }
  }

  #byte(): number {
    return this.#take(1)[this.#blocks.at]!;
  }

  /** The next `length` bytes, starting at `this.#blocks.at` in the buffer returned. */
  #take(length: number): Buffer {
    const bytes = this.#blocks.view(this.#position, length);
    this.#position += length;
    return bytes;
  }

  #size(low: number): number {
    if (low < 29) return low;
    if (low === 29) return 29 + this.#byte();
    const bytes = this.#take(low === 30 ? 2 : 3);
    const at = this.#blocks.at;
    return low === 30 ? 285 + bytes.readUInt16BE(at) : 65821 + uint24(bytes, at);
  }

  #pointer(control: number): number {
    const size = (control >> 3) & 3;
    const bytes = this.#take(size + 1);
    const at = this.#blocks.at;
    let value: number;
    if (size === 0) value = ((control & 7) << 8) | bytes[at]!;
    else if (size === 1) value = ((control & 7) << 16) | bytes.readUInt16BE(at);
    else if (size === 2) value = (control & 7) * 0x1000000 + uint24(bytes, at);
    else value = bytes.readUInt32BE(at);
    return this.#base + value + POINTER_BIAS[size as 0 | 1 | 2 | 3];
  }

  #unsigned(size: number, max: number): number {
    if (size > max) throw new Error(`MaxMind DB unsigned integer of ${size} bytes, at most ${max}`);
    return this.#take(size).readUIntBE(this.#blocks.at, size);
  }

  #bigUnsigned(size: number, max: number): bigint {
    if (size > max) throw new Error(`MaxMind DB unsigned integer of ${size} bytes, at most ${max}`);
    const bytes = this.#take(size);
    const at = this.#blocks.at;
    let value = 0n;
    for (let index = 0; index < size; index += 1) value = (value << 8n) | BigInt(bytes[at + index]!);
    return value;
  }
}
