/**
 * Expected values come from real Java 17: a throwaway program (not committed) that subclasses the genuine
 * java.util.Random exactly as XORShiftRandom.scala does (next(bits) override, hashSeed via a Java transcription of
 * scala.util.hashing.MurmurHash3.bytesHash over ByteBuffer.allocate(Long.BYTES)), plus byteswap64 from
 * scala.util.hashing and ALS.initialize with snrm2 as sum = Math.fma(x, x, sum). Doubles are compared as raw IEEE
 * bits (Double.doubleToRawLongBits), floats as Float.floatToRawIntBits.
 * snrm2 here uses Spark 3.5's 4-accumulator fma sum. The "seed 0, rank 3, 2 blocks" factors are also exactly what real Spark 3.5.8 (pyspark, local[1], Java 17) returns
 * from ALS(rank=3, maxIter=0, seed=0, numUserBlocks=2).fit(...).userFactors for users 0..4.
 */
import { describe, expect, it } from "vitest";
import { XORShiftRandom, byteswap64, sparkAlsInitSeeds, sparkAlsInitialFactors, sparkBlockOf } from "../../src/kernels/spark-random.js";
import { sparkRandomSplitAssign } from "../../src/core/spark-random-split.js";
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
    ints: [520798028, 1576938828, 437779267, 1080921330],
    longs: [2236810499658231116n, 1880247635712773362n, 7521471761000875977n],
    doubleBits: [4605025152927673676n, 4602889762606255346n, 4591534916448435784n, 4599370024383289114n],
    gaussianBits: [4609900337396290450n, 4594361933890244501n, -4619564107160347938n, -4624586955259633613n, 4606582084470488988n],
  },
  {
    seed: 42n,
    byteswap64: -370030241184497103n,
    ints: [444206279, 1508163723, -1911958253, 1415180696],
    longs: [1907851442491015307n, -8211798166537113192n, -7830491269241310776n],
    doubleBits: [4603752381579313291n, 4602765305257259416n, 4605673946561573320n, 4598413515637472662n],
    gaussianBits: [4612551788290094040n, 4596088914556593677n, 4604784104760716685n, -4620491023896972385n, 4611821315971181227n],
  },
  {
    seed: -1n,
    byteswap64: -8117685445182240083n,
    ints: [20335744, 2141775558, -1723279260, -912648406],
    longs: [87341357561603782n, -7401428064487729366n, -1180509954718997369n],
    doubleBits: [4599130454888664460n, 4599456727244746324n, 4606320279800079495n, 4606389448410350615n],
    gaussianBits: [-4615396813911605195n, -4615883818626642560n, -4626771994060674476n, 4597693648949773914n, -4610383970111352181n],
  },
  {
    seed: 1994790107n, // ALS's default seed ("org.apache.spark.ml.recommendation.ALS".hashCode)
    byteswap64: 8469554090038934492n,
    ints: [-1139689318, 1654798031, 1929642093, -295045976],
    longs: [-4894928346755746097n, 8287749682124944552n, 6243201544315055913n],
    doubleBits: [4580645268990908896n, 4604965818095760552n, 4604124083554201385n, 4596747007376491460n],
    gaussianBits: [4603779472236570151n, -4615635087548513579n, 4609383932553074582n, 4595851875930322712n, 4598721550322897913n],
  },
  {
    seed: -9223372036854775808n, // Long.MinValue
    byteswap64: 1998163161890088576n,
    ints: [-323407706, 2099386851, 1046686459, -2042848413],
    longs: [-1389025518444996125n, 4495484108528196451n, 6984597892363862047n],
    doubleBits: [4595683815661791116n, 4603551109284141923n, 4597551628498305148n, 4586225051967379648n],
    gaussianBits: [-4615208683956454858n, 4600328573953182693n, -4624043485963018109n, -4631866681632468862n, 4591030322746675586n],
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
    expect(h).toBe(-1362951967887981980n);
  });
});

describe("Spark ALS initial factors", () => {
  it("draws the user seed then the item seed from XORShiftRandom(seed)", () => {
    expect(sparkAlsInitSeeds(0n)).toEqual({ user: 2236810499658231116n, item: 1880247635712773362n });
    expect(sparkAlsInitSeeds(1994790107)).toEqual({ user: -4894928346755746097n, item: 8287749682124944552n });
  });

  it("reproduces Java's factors bit for bit (seed 0, rank 3, 2 blocks, ids 0..4)", () => {
    const { user } = sparkAlsInitSeeds(0n);
    const factors = sparkAlsInitialFactors(Int32Array.from([0, 1, 2, 3, 4]), 3, user, 2);
    expect(Array.from(new Int32Array(factors.buffer))).toEqual([
      -1085510235, 1058510814, -1109576702, 1029878969, 1064858185, -1099935217, 1058483743, -1085590113, -1105923869, 1057702999, 1060205274, 1056053431,
      1064391002, -1096203928, 1027422854,
    ]);
  });

  it("reproduces real Spark 3.5.8's factors bit for bit (default seed, rank 10, 3 blocks, ids 0..6)", () => {
    // pyspark 3.5.8, local[1], Java 17: ALS(rank=10, maxIter=0, seed=1994790107, numUserBlocks=3).fit(...).userFactors
    const { user } = sparkAlsInitSeeds(1994790107n);
    const factors = sparkAlsInitialFactors(Int32Array.from([0, 1, 2, 3, 4, 5, 6]), 10, user, 3);
    const rows = [
      [-1125655532, -1092430896, -1091449740, 1030880686, 1051727530, 1043837888, -1106922527, 1052521681, 1055975997, 1047155596],
      [1057658036, 1055980253, 1008703876, 1050608090, -1100890624, 1001106741, -1123724426, 1049360529, -1104205307, 1056460728],
      [-1121740242, -1104945608, 1044626832, 1057757682, -1092674131, 1021164596, -1106306014, 1029333576, -1096909639, 1058183464],
      [-1094581083, -1143451458, 1054078057, -1097659957, -1104904644, 1049198926, 1045993610, 1059550412, 1042262133, 1035147832],
      [1045158480, -1095581962, 1041813876, 1013160888, -1109080660, -1092138269, 1052416981, 1042182662, 1057488419, 1053630028],
      [-1130707539, 1054299916, -1137530309, -1106955293, -1099686401, 1045829115, -1087551330, 1043113977, 1040823610, -1092272439],
      [1057449746, 1044546924, -1094267464, -1097286871, -1089926370, 1026004447, 1039181891, 1051021950, 1032733114, 1044038989],
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
    const javaAssign = "1120112022010211010201121000122021220001";
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
