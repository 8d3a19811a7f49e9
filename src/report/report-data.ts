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
    ratingHistogram?: { value: number; count: number }[];
    trainRows?: number;
    testRows?: number;
  };
  /** One entry per metric and model: the fitted model and each baseline ("global-mean", "bias-baseline"). */
  metrics: { name: string; value: number; model: string }[];
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
    }[];
  };
  recommendations?: { user: string; items: { item: string; score: number }[] }[];
  timingsSeconds?: Record<string, number>;
}
