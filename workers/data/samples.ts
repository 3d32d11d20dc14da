// The built-in samples: real tables bundled in static/samples (with source and licence) and the
// generated two-feature sets. Plain data, shown in the Data area.

export interface TableSample {
  id: string;
  title: string;
  /** Path under the app's base URL. */
  file: string;
  target: string;
  rows: number;
  description: string;
  source: string;
  sourceUrl: string;
  licence: string;
}

export const TABLE_SAMPLES: TableSample[] = [
  {
    id: 'iris',
    title: 'Iris flowers',
    file: 'samples/iris.csv',
    target: 'species',
    rows: 150,
    description: 'Sepal and petal sizes (cm) of 150 iris flowers of three species, 50 of each.',
    source:
      "R. A. Fisher (1936), via the UCI Machine Learning Repository (values as in R's datasets::iris).",
    sourceUrl: 'https://archive.ics.uci.edu/dataset/53/iris',
    licence: 'Public domain (published 1936); the UCI copy is offered under CC BY 4.0.',
  },
  {
    id: 'penguins',
    title: 'Palmer penguins',
    file: 'samples/penguins.csv',
    target: 'species',
    rows: 344,
    description:
      'Bill, flipper and body measurements of 344 penguins of three species on three islands, with some missing values (NA).',
    source:
      'Horst, Hill & Gorman (2020), palmerpenguins R package; data collected by Dr. Kristen Gorman and the Palmer Station LTER.',
    sourceUrl: 'https://allisonhorst.github.io/palmerpenguins/',
    licence: 'CC0 1.0 (public domain dedication).',
  },
];
