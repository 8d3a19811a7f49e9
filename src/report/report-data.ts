/**
 * Everything report.html shows, as plain data. The pipeline runner fills it in; the report never
 * reads Arrow tables or run-directory files itself, so it can be rendered (and tested) from a literal.
 */
export interface ReportData {
  name: string;
  /** ISO 8601 timestamp of the run; shown as given. */
  createdAt: string;
  recpipeVersion: string;
  /** The resolved pipeline file, shown verbatim. */
  pipelineYaml: string;
  data: {
    rows: number;
    users?: number;
    items?: number;
    /** Fraction of the user x item matrix that is empty, in [0, 1]. */
    sparsity?: number;
    /** Counts per distinct rating, or per bin [start, end) when the ratings are continuous (value = bin centre). */
    ratingHistogram?: { value: number; count: number; start?: number; end?: number }[];
    trainRows?: number;
    testRows?: number;
  };
  /** The prepare funnel: rows, distinct users and items after reading ("source") and after each prepare step. */
  prepare?: { step: string; type?: string; rows: number; users?: number; items?: number; duplicatePairs?: number }[];
  /** Said plainly at the top: no test set, a model that scores worse than a baseline, a refit on every row. */
  notes?: string[];
  /** One entry per metric and model: the fitted model and each baseline ("global-mean", "bias-baseline"). */
  metrics: { name: string; value: number; model: string }[];
  /** The fitted model's regression metrics on its training rows, shown beside the test metrics. */
  trainMetrics?: Record<string, number>;
  /** Training loss after each ALS sweep. */
  lossHistory?: { model: string; iteration: number; value: number }[];
  tuning?: {
    metricName: string;
    isLargerBetter: boolean;
    paramNames: string[];
    rows: {
      params: Record<string, number | string | boolean>;
      foldMetrics: number[];
      mean: number;
      std: number;
      /** 1 = best. */
      rank: number;
      /** Mean within one standard deviation of the best mean: the folds cannot tell it from the best. */
      closeToBest?: boolean;
    }[];
    /** Baselines scored on the same folds: rows the param maps must beat. */
    baselines?: { name: string; foldMetrics: number[]; mean: number; std: number }[];
    /** A best value at the edge of the grid, with the direction to extend it. */
    edges?: string[];
  };
  /** `label`: the item's attributes from the run's `items:` file (its title), when there is one. */
  recommendations?: { user: string; items: { item: string; score: number; label?: string }[] }[];
  /** How many users have recommendations in the run (the table shows a sample), and the run's k. */
  recommendationsTotalUsers?: number;
  recommendationsK?: number;
  timingsSeconds?: Record<string, number>;
}
