export type { ReportData } from "./report-data.js";
export { renderReport } from "./render-report.js";
