/**
 * Known public datasets that `recpipe datasets fetch NAME` can download and verify.
 *
 * Every archive carries the checksum its integrity is judged by; where a sha256 is published we
 * verify that, otherwise the md5 GroupLens publishes beside the archive (`<archive>.md5`).
 * Where each value comes from:
 *  - sha256 and byte sizes of the MovieLens archives: tensorflow/datasets,
 *    tensorflow_datasets/url_checksums/movielens.txt (commit 1c076ac), which records url, size and sha256.
 *  - md5 of the MovieLens archives: GroupLens' published `ml-*.zip.md5` files, as hard-coded in
 *    sisinflab/DataRec (datarec/datasets/movielens/movielens100k.py, movielens1m.py) and
 *    eli-osherovich/papers_with_code (datasets/movielens/dl_config.py, which also has ml-25m).
 *  - md5 of hetrec2011-lastfm-2k.zip: sisinflab/DataRec datarec/datasets/lastfm/lastfm_2011.py. No sha256
 *    or byte size was found published anywhere, so that archive is verified by md5 alone.
 *
 * `source` is the pipeline file's `source:` block without `path` (the caller adds the path that
 * fetchDataset returns). Columns are always named user, item, rating[, timestamp] so one pipeline file
 * runs on every dataset; for files with a header line `columns` renames the header's columns by position.
 */
export interface DatasetInfo {
  name: string;
  title: string;
  url: string;
  bytes?: number;
  sha256?: string;
  md5?: string;
  terms: string;
  /** Path of the ratings file inside the archive, with "/" separators. */
  ratingsFile: string;
  source: Record<string, unknown>;
}

const MOVIELENS_TERMS =
  "MovieLens data by GroupLens Research, University of Minnesota. Research use; no commercial use " +
  "without permission; do not redistribute; no endorsement by the University or GroupLens implied. " +
  "Cite F. M. Harper and J. A. Konstan, The MovieLens Datasets: History and Context, ACM TiiS 5(4), 2015. " +
  "Full terms: README in the archive.";

const LASTFM_TERMS =
  "Last.fm data released for HetRec 2011 (2nd Workshop on Information Heterogeneity and Fusion in " +
  "Recommender Systems, RecSys 2011); non-commercial use only, subject to Last.fm's terms of service. " +
  "Cite I. Cantador, P. Brusilovsky and T. Kuflik, HetRec 2011. Full terms: readme.txt in the archive.";

const CATALOGUE: readonly DatasetInfo[] = [
  {
    name: "ml-100k",
    title: "MovieLens 100K (100,000 ratings, 943 users, 1,682 movies, 1998)",
    url: "https://files.grouplens.org/datasets/movielens/ml-100k.zip",
    bytes: 4_924_029,
    sha256: "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229",
    md5: "0e33842e24a9c977be4e0107933c0723",
    terms: MOVIELENS_TERMS,
    ratingsFile: "ml-100k/u.data",
    source: { format: "tsv", header: false, columns: ["user", "item", "rating", "timestamp"] },
  },
  {
    // GroupLens republishes "latest" now and then; this checksum is the 2018 release (100,836 ratings).
    name: "ml-latest-small",
    title: "MovieLens Latest Small (100,836 ratings, 610 users, 9,742 movies, 2018 release)",
    url: "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip",
    bytes: 978_202,
    sha256: "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
    terms: MOVIELENS_TERMS,
    ratingsFile: "ml-latest-small/ratings.csv",
    source: { format: "csv", delimiter: ",", header: true, columns: ["user", "item", "rating", "timestamp"] },
  },
  {
    name: "ml-1m",
    title: "MovieLens 1M (1,000,209 ratings, 6,040 users, 3,706 movies, 2003)",
    url: "https://files.grouplens.org/datasets/movielens/ml-1m.zip",
    bytes: 5_917_549,
    sha256: "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20",
    md5: "c4d9eecfca2ab87c1945afe126590906",
    terms: MOVIELENS_TERMS,
    ratingsFile: "ml-1m/ratings.dat",
    // ratings.dat separates fields with the two characters "::".
    source: { format: "csv", delimiter: "::", header: false, columns: ["user", "item", "rating", "timestamp"] },
  },
  {
    name: "ml-25m",
    title: "MovieLens 25M (25,000,095 ratings, 162,541 users, 59,047 movies, 2019)",
    url: "https://files.grouplens.org/datasets/movielens/ml-25m.zip",
    bytes: 261_978_986,
    sha256: "8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa",
    md5: "6b51fb2759a8657d3bfcbfc42b592ada",
    terms: MOVIELENS_TERMS,
    ratingsFile: "ml-25m/ratings.csv",
    source: { format: "csv", delimiter: ",", header: true, columns: ["user", "item", "rating", "timestamp"] },
  },
  {
    // Implicit feedback: "rating" is the user's play count for the artist (column `weight`).
    name: "lastfm-2k",
    title: "Last.fm HetRec 2011 (92,834 user-artist play counts, 1,892 users, 17,632 artists; implicit)",
    url: "https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip",
    md5: "296d61afe4e8632b173fc2dd3be20ce2",
    terms: LASTFM_TERMS,
    ratingsFile: "user_artists.dat",
    source: { format: "tsv", header: true, columns: ["user", "item", "rating"] },
  },
];

/** The catalogue, copied so a caller cannot change it. */
export function listDatasets(): DatasetInfo[] {
  return CATALOGUE.map((d) => structuredClone(d));
}
