import type { BadInputCase } from "./case.js";
import { cliCases } from "./cases-cli.js";
import { dataCases } from "./cases-data.js";
import { modelCases } from "./cases-model.js";
import { pipelineFileCases } from "./cases-pipeline-file.js";
import { similarItemsCases } from "./cases-similar-items.js";

/** Every case, in doc order. */
export const allCases: BadInputCase[] = [...cliCases, ...pipelineFileCases, ...dataCases, ...modelCases, ...similarItemsCases];
