// Makes `npx recpipe` (and node_modules/.bin/recpipe) work inside a clone of this repository, after `npm ci` or
// `npm install` has run the build: npm links the bins of a package's dependencies, not of the package itself. The
// link is what npm would make for a dependency: node_modules/.bin/recpipe -> the built CLI, which is made executable.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const binDir = join("node_modules", ".bin");
for (const [name, target] of Object.entries(pkg.bin ?? {})) {
  if (!existsSync(target)) throw new Error(`link-bin: ${target} is missing; build first`);
  chmodSync(target, 0o755);
  mkdirSync(binDir, { recursive: true });
  const link = join(binDir, name);
  if (existsSync(link) || isLink(link)) rmSync(link);
  symlinkSync(relative(binDir, target), link);
}

function isLink(p) {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
