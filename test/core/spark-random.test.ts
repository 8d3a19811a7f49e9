/**
 * Expected values come from real Java 17: a throwaway program (not committed) that subclasses the genuine
 * java.util.Random exactly as XORShiftRandom.scala does (next(bits) override, hashSeed via a Java transcription of
 * scala.util.hashing.MurmurHash3.bytesHash over ByteBuffer.allocate(Long.SIZE)), plus byteswap64 from
 * scala.util.hashing and ALS.initialize with the reference-BLAS snrm2. Doubles are compared as raw IEEE bits
 * (Double.doubleToRawLongBits), floats as Float.floatToRawIntBits.
 */
import { describe, expect, it } from "vitest";
import {
  XORShiftRandom,
  byteswap64,
  sparkAlsInitSeeds,
  sparkAlsInitialFactors,
  sparkBlockOf,
  sparkRandomSplitAssign,
} from "../../src/core/spark-random.js";
import { InputError } from "../../src/core/errors.js";

function doubleBits(d: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  return view.getBigInt64(0);
}

interface JavaSequence {
  seed: bigint;
  byteswap64: bigint;
  ints: number[];
  longs: bigint[];
  doubleBits: bigint[];
  gaussianBits: bigint[];
}

const JAVA: JavaSequence[] = [
  {
    seed: 0n,
    byteswap64: 0n,
    ints: [-278860881, -879485061, -1449226292, 2003281381],
    longs: [-1197698364908232837n, -6224379526640065051n, -3001288845904539677n],
    doubleBits: [4605783142003122043n, 4600964666834766794n, 4603464135009931235n, 4606160217730674883n],
    gaussianBits: [4607706732249212064n, -4624147767018991950n, 4596815583520408516n, 4606650859006775216n, 4595877940558421353n],
  },
  {
    seed: 42n,
    byteswap64: -370030241184497103n,
    ints: [1655315539, -1976142244, -814814679, 492883031],
    longs: [7109526102589470300n, -3499602398112854953n, 551671891136965673n],
    doubleBits: [4604175128236291676n, 4605906234990709847n, 4606407766952209449n, 4605979905958696351n],
    gaussianBits: [4601031156026267868n, 4606112177165474215n, -4611654669160936131n, 4610173597729098684n, -4615793931609485346n],
  },
  {
    seed: -1n,
    byteswap64: -8117685445182240083n,
    ints: [1844836837, 2005509160, -716693307, 904891229],
    longs: [7923513883376591912n, -3078174313922196643n, 6508063921548766144n],
    doubleBits: [4602502478000506960n, 4599444109044684474n, 4603393833574804416n, 4604271479795645441n],
    gaussianBits: [-4630774627245407652n, -4611642161947037136n, 4605357588883989039n, 4610678012469371423n, 4602961913869270382n],
  },
  {
    seed: 1994790107n, // ALS's default seed ("org.apache.spark.ml.recommendation.ALS".hashCode)
    byteswap64: 8469554090038934492n,
    ints: [829637873, -728203155, -1258700536, 1461649447],
    longs: [3563267531329798253n, -5406077636116021209n, -1783334327099233712n],
    doubleBits: [4600203058711953626n, 4597955459431530652n, 4605496416729393744n, 4600866402509853928n],
    gaussianBits: [-4618922777346599752n, -4614847507572746370n, 4608234320791626607n, -4622553275798631803n, 4605106124873864417n],
  },
  {
    seed: -9223372036854775808n, // Long.MinValue
    byteswap64: 1998163161890088576n,
    ints: [1505773115, -2062671251, -1819465002, -1876761916],
    longs: [6467246282058375789n, -7814542681683336508n, 7055368279748107231n],
    doubleBits: [4601557745636492506n, 4606172339936355012n, 4602286573296531390n, 4606065220007332605n],
    gaussianBits: [-4628596874564914519n, 4606911786045141908n, -4634339054006430658n, 4607466105986377442n, -4615989258100194124n],
  },
];

describe("XORShiftRandom matches Spark's (Java 17 ground truth)", () => {
  for (const j of JAVA) {
    it(`seed ${j.seed}: nextInt, nextLong, nextDouble, nextGaussian, byteswap64`, () => {
      expect(byteswap64(j.seed)).toBe(j.byteswap64);
      let r = new XORShiftRandom(j.seed);
      expect(j.ints.map(() => r.nextInt())).toEqual(j.ints);
      r = new XORShiftRandom(j.seed);
      expect(j.longs.map(() => r.nextLong())).toEqual(j.longs);
      r = new XORShiftRandom(j.seed);
      expect(j.doubleBits.map(() => doubleBits(r.nextDouble()))).toEqual(j.doubleBits);
      r = new XORShiftRandom(j.seed);
      expect(j.gaussianBits.map(() => doubleBits(r.nextGaussian()))).toEqual(j.gaussianBits);
    });
  }

  it("accepts a number seed the same as a bigint", () => {
    expect(new XORShiftRandom(42).nextLong()).toBe(new XORShiftRandom(42n).nextLong());
  });

  it("long streams agree with Java: checksum over 200,000 (nextGaussian, nextDouble) pairs", () => {
    // Java: h = h*31 + bits(nextGaussian()); h = h*31 + bits(nextDouble()), as a wrapping long.
    const r = new XORShiftRandom(1994790107n);
    let h = 0n;
    for (let i = 0; i < 200_000; i++) {
      h = BigInt.asIntN(64, h * 31n + doubleBits(r.nextGaussian()));
      h = BigInt.asIntN(64, h * 31n + doubleBits(r.nextDouble()));
    }
    expect(h).toBe(-651301938344066503n);
  });
});

describe("Spark ALS initial factors", () => {
  it("draws the user seed then the item seed from XORShiftRandom(seed)", () => {
    expect(sparkAlsInitSeeds(0n)).toEqual({ user: -1197698364908232837n, item: -6224379526640065051n });
    expect(sparkAlsInitSeeds(1994790107)).toEqual({ user: 3563267531329798253n, item: -5406077636116021209n });
  });

  it("reproduces Java's factors bit for bit (seed 0, rank 3, 2 blocks, ids 0..4)", () => {
    const { user } = sparkAlsInitSeeds(0n);
    const factors = sparkAlsInitialFactors(Int32Array.from([0, 1, 2, 3, 4]), 3, user, 2);
    expect(Array.from(new Int32Array(factors.buffer))).toEqual([
      1064325180, -1104544880, 1050322903, 1063854838, -1096165289, -1099164592, 1063395282, 1048130853, 1053632510,
      -1084867667, 1057643220, -1112372070, 1064481247, -1113069836, 1050503630,
    ]);
  });

  it("reproduces Java's factors bit for bit (default seed, rank 10, 3 blocks, ids 0..6)", () => {
    const { user } = sparkAlsInitSeeds(1994790107n);
    const factors = sparkAlsInitialFactors(Int32Array.from([0, 1, 2, 3, 4, 5, 6]), 10, user, 3);
    const rows = [
      [1061594271, -1099194941, -1098742670, -1129285313, -1111186449, 1053128994, -1102741066, 1019556537, 1049251882, -1116938850],
      [-1117875487, 1037290288, 1037529045, -1151734412, 1049811671, -1092651144, 1021251079, 1062541376, -1137100880, 1035964879],
      [-1124795639, 1057530902, -1114667981, 1019615298, 1057045499, 1042525516, -1094550296, 1057006948, 1020671431, 1043579530],
      [-1164846560, -1095160692, -1087005831, -1129289188, 1023169714, -1100767666, 1051359283, 1046422606, -1096906045, -1099124578],
      [1033706193, -1121203608, 1051943914, 1057035926, 1055654501, 1030407329, -1097675078, -1092827707, -1097296990, 1045651597],
      [-1106695041, 1052718831, -1093110418, -1091645833, 1053613439, 1051677968, 1026012919, -1107043179, 1052546167, 1039852261],
      [1043651325, -1115885185, 1039176022, 1051499552, -1089081405, -1105611841, -1094873513, 1031407328, 1017403379, -1089258478],
    ];
    expect(Array.from(new Int32Array(factors.buffer))).toEqual(rows.flat());
  });

  it("gives unit vectors, and a row depends only on its block's ids, not on other blocks", () => {
    const ids = Int32Array.from([-7, -3, 0, 2, 5, 9, 11, 40]);
    const f = sparkAlsInitialFactors(ids, 4, 99n, 3);
    for (let i = 0; i < ids.length; i++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += f[i * 4 + k] ** 2;
      expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-6);
    }
    // Dropping the ids of other blocks leaves block 2's rows (ids -7, 2, 5, 11) unchanged.
    const block2 = Int32Array.from([-7, 2, 5, 11]);
    expect(block2.every((id) => sparkBlockOf(id, 3) === 2)).toBe(true);
    const g = sparkAlsInitialFactors(block2, 4, 99n, 3);
    expect(Array.from(g.subarray(0, 4))).toEqual(Array.from(f.subarray(0, 4)));
    expect(Array.from(g.subarray(4, 8))).toEqual(Array.from(f.subarray(3 * 4, 4 * 4)));
  });

  it("blocks negative ids with a non-negative modulus, like HashPartitioner", () => {
    expect(sparkBlockOf(-1, 3)).toBe(2);
    expect(sparkBlockOf(-3, 3)).toBe(0);
    expect(sparkBlockOf(7, 3)).toBe(1);
  });

  it("rejects unsorted ids", () => {
    expect(() => sparkAlsInitialFactors(Int32Array.from([2, 1]), 3, 0n, 2)).toThrow(/ascending/);
  });
});

describe("sparkRandomSplitAssign", () => {
  it("matches Java's nextDouble stream on weights [0.5, 0.25, 0.25], seed 42", () => {
    const javaAssign = "1222010001000200210000100021211010220101";
    const got = sparkRandomSplitAssign(40, [2, 1, 1], 42);
    expect(Array.from(got).join("")).toBe(javaAssign);
  });

  it("a zero-weight split gets no row, and the others keep their rows", () => {
    const a = sparkRandomSplitAssign(1000, [1, 0, 1], 7n);
    const b = sparkRandomSplitAssign(1000, [1, 1], 7n);
    expect(a.includes(1)).toBe(false);
    expect(Array.from(a).map((s) => (s === 2 ? 1 : s))).toEqual(Array.from(b));
  });

  it("rejects negative or all-zero weights with an InputError", () => {
    expect(() => sparkRandomSplitAssign(10, [0.5, -0.5], 1)).toThrow(InputError);
    expect(() => sparkRandomSplitAssign(10, [0, 0], 1)).toThrow(InputError);
  });
});
