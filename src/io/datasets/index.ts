export { listDatasets, type DatasetInfo } from "./catalogue.js";
export { fetchDataset, type FetchDatasetOptions, type FetchedDataset } from "./fetch-dataset.js";
