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
  {
    id: 'wine',
    title: 'Wine cultivars',
    file: 'samples/wine.csv',
    target: 'cultivar',
    rows: 178,
    description:
      'Thirteen chemical measurements (alcohol, malic acid, flavanoids, proline, ...) of 178 Italian wines from three cultivars.',
    source:
      'Forina et al. (1988), PARVUS; UCI Machine Learning Repository (as in scikit-learn 1.2.1 load_wine).',
    sourceUrl: 'https://archive.ics.uci.edu/dataset/109/wine',
    licence: 'CC BY 4.0 (UCI).',
  },
  {
    id: 'diabetes',
    title: 'Diabetes progression (regression)',
    file: 'samples/diabetes.csv',
    target: 'progression',
    rows: 442,
    description:
      'Age, sex, body mass index, blood pressure and six blood serum measurements of 442 diabetes patients; the target is a number: the disease progression one year later.',
    source:
      'Efron, Hastie, Johnstone & Tibshirani (2004), "Least Angle Regression"; unscaled values as in scikit-learn 1.2.1 load_diabetes(scaled=False).',
    sourceUrl: 'https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html',
    licence: 'Published research data, distributed with scikit-learn (BSD-3-Clause).',
  },
  {
    id: 'digits',
    title: 'Handwritten digits (8 x 8)',
    file: 'samples/digits.csv',
    target: 'digit',
    rows: 1797,
    description:
      '1,797 handwritten digits as 8 x 8 images: 64 pixel counts from 0 to 16 (px<row>_<column>), and the digit 0 to 9.',
    source:
      'Alpaydin & Kaynak (1998), Optical Recognition of Handwritten Digits; UCI Machine Learning Repository (as in scikit-learn 1.2.1 load_digits).',
    sourceUrl: 'https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits',
    licence: 'CC BY 4.0 (UCI).',
  },
];
