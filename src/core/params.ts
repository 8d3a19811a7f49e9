import { z } from "zod";

/**
 * Param fragments shared by stages, with Spark's names and docs, so each is declared once.
 */
export const columnName = (doc: string) => z.string().min(1).describe(doc);

export const seedParam = () => z.number().int().optional().describe("random seed (Spark HasSeed); default: derived from the pipeline seed and the stage name");
