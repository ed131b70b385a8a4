import { expect } from 'chai';
import { mulberry32 } from '../../tools/demo-data/prng';
import { cellCount, chunk, lowerBound, planRequests, planShape, type PlanVariable, type PlannedRequest } from '../../etl/pxweb/request-plan';

/** A seeded PRNG (the demo data's) so the property tests are reproducible. */
const prng = mulberry32;

const codes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const variable = (variableCode: string, n: number, splittable = true): PlanVariable => ({ variableCode, codes: codes(variableCode, n), splittable });

/** Every request under the limit, no repeated code within a request, and every cell covered exactly once. */
function assertValidPlan(vars: PlanVariable[], requests: PlannedRequest[], maxCells: number): void {
  const wanted = vars.map((v) => [...new Set(v.codes)]);
  const positions = wanted.map((c) => new Map(c.map((code, i) => [code, i])));
  const total = wanted.reduce((n, c) => n * c.length, 1);
  // each cell as a mixed-radix number; count how often each is requested
  const hits = new Uint8Array(total);
  for (const req of requests) {
    expect(req.map((s) => s.variableCode)).to.deep.equal(vars.map((v) => v.variableCode));
    expect(cellCount(req)).to.be.at.most(maxCells);
    const pos = req.map((s, i) => {
      expect(new Set(s.valueCodes).size, `duplicate code in ${s.variableCode}`).to.equal(s.valueCodes.length);
      if (!vars[i].splittable) expect(s.valueCodes).to.deep.equal(wanted[i]);
      return s.valueCodes.map((c) => {
        const p = positions[i].get(c);
        if (p === undefined) throw new Error(`code ${c} was not asked for in ${s.variableCode}`);
        return p;
      });
    });
    const walk = (k: number, flat: number): void => {
      if (k === pos.length) {
        hits[flat]++;
        return;
      }
      for (const p of pos[k]) walk(k + 1, flat * wanted[k].length + p);
    };
    walk(0, 0);
  }
  const wrong = hits.findIndex((n) => n !== 1);
  expect(wrong, `cell ${wrong} covered ${hits[wrong]} times`).to.equal(-1);
}

describe('request-plan', () => {
  describe('cellCount and lowerBound', () => {
    it('counts cells as the product of the selected codes per variable', () => {
      expect(
        cellCount([
          { variableCode: 'A', valueCodes: ['1', '2', '3'] },
          { variableCode: 'B', valueCodes: ['x', 'y'] },
        ]),
      ).to.equal(6);
    });

    it('gives ceil(total / maxCells) for a bare cell count', () => {
      expect(lowerBound(1_024_000, 800_000)).to.equal(2);
      expect(lowerBound(10, 800_000)).to.equal(1);
    });

    it('raises the bound when unsplittable variables leave less room per request', () => {
      // 7 × 7 splittable cells, 10 fixed: at most 1 splittable code-pair ... ceil(49 / floor(50 / 10)) = 10
      const vars = [variable('A', 7), variable('B', 7), variable('Tid', 10, false)];
      expect(lowerBound(490, 50)).to.equal(10);
      expect(lowerBound(vars, 50)).to.equal(10);
      expect(lowerBound([variable('A', 9), variable('Tid', 7, false)], 20)).to.equal(5); // ceil(9 / floor(20/7))
    });
  });

  describe('splitting', () => {
    it('sends a selection under the limit as one request, unchanged', () => {
      const vars = [variable('Region', 10), variable('Tid', 3, false)];
      expect(planRequests(vars, 800_000)).to.deep.equal([
        [
          { variableCode: 'Region', valueCodes: codes('Region', 10) },
          { variableCode: 'Tid', valueCodes: codes('Tid', 3) },
        ],
      ]);
    });

    it('removes repeated codes, keeping the first occurrence order', () => {
      const plan = planRequests([{ variableCode: 'Region', codes: ['0301', '3201', '0301', 'EAK', '3201'], splittable: true }], 100);
      expect(plan).to.deep.equal([[{ variableCode: 'Region', valueCodes: ['0301', '3201', 'EAK'] }]]);
    });

    it('splits the region variable of 800 × 32 × 2 × 2 × 10 into 2 requests under 800 000 cells', () => {
      const vars = [variable('Region', 800), variable('Funksjon', 32), variable('Art', 2), variable('ContentsCode', 2, false), variable('Tid', 10, false)];
      const shape = planShape(vars, 800_000);
      expect(shape.factors).to.deep.equal([2, 1, 1, 1, 1]);
      expect(shape.maxRequestCells).to.equal(512_000);
      const plan = planRequests(vars, 800_000);
      expect(plan).to.have.length(2);
      expect(plan[0][0].valueCodes).to.deep.equal(codes('Region', 400));
      assertValidPlan(vars, plan, 800_000);
    });

    it('prefers splitting the variable with the most codes when two splits need equally many requests', () => {
      const vars = [variable('Funksjon', 32), variable('Region', 800)];
      expect(planShape(vars, 12_800).factors).to.deep.equal([1, 2]);
    });

    it('never splits time or contents, and carries a codelist into every request', () => {
      const vars: PlanVariable[] = [
        { variableCode: 'KOKkommuneregion0000', codes: codes('K', 50), splittable: true, codelist: 'agg_KOGkommuneregion000005402' },
        variable('ContentsCode', 3, false),
        variable('Tid', 4, false),
      ];
      const plan = planRequests(vars, 120);
      expect(plan).to.have.length(5);
      for (const req of plan) {
        expect(req[0].codelist).to.equal('agg_KOGkommuneregion000005402');
        expect(req[1]).to.deep.equal({ variableCode: 'ContentsCode', valueCodes: codes('ContentsCode', 3) });
        expect(req[2]).to.deep.equal({ variableCode: 'Tid', valueCodes: codes('Tid', 4) });
      }
      assertValidPlan(vars, plan, 120);
    });

    it('cuts a variable into nearly equal contiguous chunks', () => {
      expect(chunk(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3)).to.deep.equal([['a', 'b', 'c'], ['d', 'e'], ['f', 'g']]);
    });

    it('orders the requests as a cartesian product, last variable fastest', () => {
      const plan = planRequests([variable('A', 2), variable('B', 2)], 1);
      expect(plan.map((r) => r.map((s) => s.valueCodes.join()).join(' '))).to.deep.equal(['A0 B0', 'A0 B1', 'A1 B0', 'A1 B1']);
    });
  });

  describe('request counts on realistic KOSTRA shapes', () => {
    const shapes: { name: string; vars: PlanVariable[]; maxCells: number }[] = [
      {
        name: '12362-like 800 × 32 × 2 × 2 × 10 at 800 000',
        vars: [variable('Region', 800), variable('Funksjon', 32), variable('Art', 2), variable('ContentsCode', 2, false), variable('Tid', 10, false)],
        maxCells: 800_000,
      },
      {
        name: '12137-like 800 × 13 × 2 × 10 at 800 000',
        vars: [variable('Region', 800), variable('Funksjon', 13), variable('ContentsCode', 2, false), variable('Tid', 10, false)],
        maxCells: 800_000,
      },
      {
        name: '12362-like at a 100 000 cell limit',
        vars: [variable('Region', 800), variable('Funksjon', 32), variable('Art', 2), variable('ContentsCode', 2, false), variable('Tid', 10, false)],
        maxCells: 100_000,
      },
      {
        name: '12137-like at a 50 000 cell limit',
        vars: [variable('Region', 800), variable('Funksjon', 13), variable('ContentsCode', 2, false), variable('Tid', 10, false)],
        maxCells: 50_000,
      },
      {
        name: 'all history 1 100 regions × 60 functions × 3 arts × 5 contents × 11 years at 800 000',
        vars: [variable('Region', 1100), variable('Funksjon', 60), variable('Art', 3), variable('ContentsCode', 5, false), variable('Tid', 11, false)],
        maxCells: 800_000,
      },
      {
        name: '12134-like key figures 440 regions × 40 contents × 10 years at 800 000',
        vars: [variable('Region', 440), variable('ContentsCode', 40, false), variable('Tid', 10, false)],
        maxCells: 800_000,
      },
    ];
    for (const { name, vars, maxCells } of shapes) {
      it(`plans ${name} within 1.1 × the lower bound`, () => {
        const plan = planRequests(vars, maxCells);
        const bound = lowerBound(vars, maxCells);
        expect(plan.length).to.be.at.most(Math.floor(1.1 * bound));
        assertValidPlan(vars, plan, maxCells);
      });
    }
  });

  describe('properties over random shapes (seeded)', () => {
    it('keeps every request under the limit and covers every cell exactly once, for 300 random shapes', () => {
      const rnd = prng(20260615);
      for (let trial = 0; trial < 300; trial++) {
        const nVars = 1 + Math.floor(rnd() * 4);
        const vars: PlanVariable[] = [];
        for (let v = 0; v < nVars; v++) {
          const n = 1 + Math.floor(rnd() * 12);
          // repeat some codes to exercise de-duplication
          const list = codes(`V${v}_`, n);
          if (rnd() < 0.3) list.push(list[0]);
          vars.push({ variableCode: `V${v}`, codes: list, splittable: rnd() < 0.7 });
        }
        const fixed = vars.filter((v) => !v.splittable).reduce((p, v) => p * new Set(v.codes).size, 1);
        const maxCells = fixed + Math.floor(rnd() * 60);
        const plan = planRequests(vars, maxCells);
        assertValidPlan(vars, plan, maxCells);
        expect(plan.length).to.be.at.least(lowerBound(vars, maxCells));
      }
    });

    it('stays within 1.1 × the lower bound on 200 random region × function × art shapes', () => {
      const rnd = prng(42);
      for (let trial = 0; trial < 200; trial++) {
        const vars = [
          variable('Region', 300 + Math.floor(rnd() * 800)),
          variable('Funksjon', 1 + Math.floor(rnd() * 60)),
          variable('Art', 1 + Math.floor(rnd() * 4)),
          variable('ContentsCode', 1 + Math.floor(rnd() * 6), false),
          variable('Tid', 1 + Math.floor(rnd() * 12), false),
        ];
        const maxCells = [800_000, 400_000, 150_000][trial % 3];
        const shape = planShape(vars, maxCells);
        expect(shape.maxRequestCells).to.be.at.most(maxCells);
        expect(shape.requests, JSON.stringify(vars.map((v) => v.codes.length))).to.be.at.most(Math.max(1, Math.floor(1.1 * shape.lowerBound)));
      }
    });

    it('settles for a valid grid on an absurd six-variable shape instead of searching for ages', () => {
      const vars = ['A', 'B', 'C', 'D', 'E', 'F'].map((name) => variable(name, 1000));
      const shape = planShape(vars, 800_000);
      expect(shape.maxRequestCells).to.be.at.most(800_000);
      expect(shape.requests).to.equal(shape.lowerBound);
    });

    it('plans a 5-variable all-splittable shape quickly', () => {
      const vars = [variable('A', 997), variable('B', 613), variable('C', 89), variable('D', 31), variable('E', 7)];
      const shape = planShape(vars, 800_000);
      expect(shape.maxRequestCells).to.be.at.most(800_000);
      expect(shape.requests).to.be.at.most(Math.ceil(1.1 * shape.lowerBound));
    });
  });

  describe('errors', () => {
    it('names the unsplittable variables when they alone exceed the limit', () => {
      const vars = [variable('Region', 10), variable('ContentsCode', 30, false), variable('Tid', 40, false)];
      expect(() => planRequests(vars, 1000)).to.throw(
        'planRequests: cannot get under 1000 cells per request: the unsplittable variables ContentsCode (30) × Tid (40) alone give 1200 cells, even with one code of each splittable variable (Region); select fewer years or contents',
      );
    });

    it('rejects a variable without codes', () => {
      expect(() => planRequests([variable('Region', 0)], 10)).to.throw('planRequests: variable "Region" has no codes; every selected variable needs at least one');
    });

    it('rejects a variable listed twice', () => {
      expect(() => planRequests([variable('Tid', 2), variable('Tid', 2)], 10)).to.throw('planRequests: variable "Tid" is listed twice');
    });

    it('rejects a maxCells that is not a positive integer', () => {
      expect(() => planRequests([variable('Tid', 2)], 0)).to.throw('maxCells must be a positive integer, but got: 0');
    });
  });
});
