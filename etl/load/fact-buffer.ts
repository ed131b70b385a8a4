/**
 * The normalize stage's output: decoded cells of one table held column-wise in typed arrays until the merge.
 * Columnar because a KOSTRA table can be a million cells: one object per cell would cost ~10× the memory.
 * Codes are interned to small integers; `null` values are NaN in `values` and never become 0.
 */
export class FactBuffer {
  length = 0;
  private capacity: number;
  indicator: Int32Array;
  year: Int32Array;
  region: Int32Array;
  serviceArea: Int32Array;
  values: Float64Array;
  status: Int32Array;
  readonly regionCodes = new Interner();
  readonly serviceAreaCodes = new Interner();
  /** Index 0 means "no status". */
  readonly statusSymbols = new Interner(['']);

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    this.indicator = new Int32Array(this.capacity);
    this.year = new Int32Array(this.capacity);
    this.region = new Int32Array(this.capacity);
    this.serviceArea = new Int32Array(this.capacity);
    this.values = new Float64Array(this.capacity);
    this.status = new Int32Array(this.capacity);
  }

  push(indicator: number, year: number, region: number, serviceArea: number, value: number | null, status: number): void {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.indicator[i] = indicator;
    this.year[i] = year;
    this.region[i] = region;
    this.serviceArea[i] = serviceArea;
    this.values[i] = value === null ? NaN : value;
    this.status[i] = status;
  }

  value(i: number): number | null {
    const v = this.values[i];
    return Number.isNaN(v) ? null : v;
  }

  statusAt(i: number): string | null {
    return this.status[i] === 0 ? null : this.statusSymbols.at(this.status[i]);
  }

  private grow(): void {
    this.capacity *= 2;
    const grow32 = (a: Int32Array) => { const b = new Int32Array(this.capacity); b.set(a); return b; };
    this.indicator = grow32(this.indicator);
    this.year = grow32(this.year);
    this.region = grow32(this.region);
    this.serviceArea = grow32(this.serviceArea);
    this.status = grow32(this.status);
    const values = new Float64Array(this.capacity);
    values.set(this.values);
    this.values = values;
  }
}

/** Strings to dense integer ids, in first-seen order. */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];

  constructor(initial: string[] = []) {
    for (const s of initial) this.id(s);
  }

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(s, id);
      this.list.push(s);
    }
    return id;
  }

  at(id: number): string {
    return this.list[id];
  }

  get size(): number {
    return this.list.length;
  }

  values(): readonly string[] {
    return this.list;
  }
}
