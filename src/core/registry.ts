import { didYouMean, InputError } from "./errors.js";
import type { StageDefinition, StageLoader, StageRole } from "./define-stage.js";

/**
 * The stage registry: built-ins from stages/index.ts plus plugins named by a pipeline file. Registering is one line
 * and refuses a duplicate type.
 */
export class StageRegistry {
  private readonly byType = new Map<string, StageDefinition>();
  private readonly byClass = new Map<string, StageLoader>();

  constructor(definitions: readonly StageDefinition[] = []) {
    for (const d of definitions) this.register(d);
  }

  register(def: StageDefinition): void {
    if (this.byType.has(def.type)) throw new InputError("E_SPEC", `stage type "${def.type}" is already registered; a plugin cannot replace a stage`);
    this.byType.set(def.type, def);
    for (const [cls, loader] of Object.entries(def.loaders ?? {})) {
      if (this.byClass.has(cls)) throw new InputError("E_SPEC", `a loader for class ${cls} is already registered (stage "${def.type}")`);
      this.byClass.set(cls, loader);
    }
  }

  /** A copy that plugins can be added to without changing this registry. */
  clone(): StageRegistry {
    return new StageRegistry([...this.byType.values()]);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  get(type: string, role?: StageRole | StageRole[], where = "type"): StageDefinition {
    const roles = role === undefined ? undefined : Array.isArray(role) ? role : [role];
    const def = this.byType.get(type);
    const candidates = this.list(roles).map((d) => d.type);
    if (!def || (roles && !roles.includes(def.role))) {
      const what = roles ? roles.join(" or ") : "stage";
      const found = def ? ` ("${type}" is ${def.role === "estimator" || def.role === "evaluator" ? "an" : "a"} ${def.role})` : "";
      throw new InputError("E_SPEC", `${where}: unknown ${what} type "${type}"${found}${didYouMean(type, candidates)}; known: ${candidates.join(", ")}`);
    }
    return def;
  }

  list(roles?: StageRole[]): StageDefinition[] {
    return [...this.byType.values()].filter((d) => !roles || roles.includes(d.role));
  }

  /** True for a class recpipe implements: a saved model it can load, or the estimator/evaluator class of a stage. */
  hasClass(className: string): boolean {
    return this.byClass.has(className) || [...this.byType.values()].some((d) => d.sparkClass === className);
  }

  loaderFor(className: string): StageLoader | undefined {
    return this.byClass.get(className);
  }

  knownClasses(): string[] {
    return [...this.byClass.keys()];
  }
}
