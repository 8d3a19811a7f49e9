/**
 * Non-negative least squares from normal equations: min 1/2 x^T ata x - x^T atb subject to x >= 0.
 * A line-by-line port of Spark's mllib NNLS.solve (Polyak's projected gradient, taking a conjugate-gradient
 * direction only when the previous step hit no new bound). ata is a full symmetric row-major n x n matrix
 * (regularisation already on its diagonal). Writes the solution into outX.
 */
export function nnlsSolve(ata: Float64Array, atb: Float64Array, n: number, outX: Float64Array): void {
  const x = outX;
  x.fill(0, 0, n);
  const grad = new Float64Array(n);
  const dir = new Float64Array(n);
  const lastDir = new Float64Array(n);
  const res = new Float64Array(n);
  const tmp = new Float64Array(n);
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i] * b[i];
    return s;
  };
  const matVec = (out: Float64Array, v: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += ata[i * n + j] * v[j];
      out[i] = s;
    }
  };
  // optimal unconstrained step along dir; the denominator is pushed up slightly to avoid infinities (Spark)
  const steplen = (d: Float64Array): number => {
    const top = dot(d, res);
    matVec(tmp, d);
    return top / (dot(tmp, d) + 1e-20);
  };
  const stop = (step: number, ndir: number, nx: number): boolean => Number.isNaN(step) || step < 1e-7 || step > 1e40 || ndir < 1e-12 * nx || ndir < 1e-32;

  const iterMax = Math.max(400, 20 * n);
  let lastNorm = 0;
  let lastWall = 0; // last iteration that hit a bound constraint
  for (let iterno = 0; iterno < iterMax; iterno++) {
    matVec(res, x);
    for (let i = 0; i < n; i++) {
      res[i] -= atb[i];
      grad[i] = res[i] > 0 && x[i] === 0 ? 0 : res[i]; // projected gradient
    }
    const ngrad = dot(grad, grad);
    dir.set(grad);
    let step = steplen(grad);
    let ndir: number;
    const nx = dot(x, x);
    if (iterno > lastWall + 1) {
      const a = ngrad / lastNorm;
      for (let i = 0; i < n; i++) dir[i] += a * lastDir[i];
      const dstep = steplen(dir);
      ndir = dot(dir, dir);
      if (stop(dstep, ndir, nx)) {
        // reject the CG step if it could lead to premature termination
        dir.set(grad);
        ndir = dot(dir, dir);
      } else {
        step = dstep;
      }
    } else {
      ndir = dot(dir, dir);
    }
    if (stop(step, ndir, nx)) return;
    // don't run through the walls
    for (let i = 0; i < n; i++) if (step * dir[i] > x[i]) step = x[i] / dir[i];
    for (let i = 0; i < n; i++) {
      if (step * dir[i] > x[i] * (1 - 1e-14)) {
        x[i] = 0;
        lastWall = iterno;
      } else {
        x[i] -= step * dir[i];
      }
    }
    lastDir.set(dir);
    lastNorm = ngrad;
  }
}
