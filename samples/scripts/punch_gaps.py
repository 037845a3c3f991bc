#!/usr/bin/env python3
"""Makes us-macro-quarterly-1959-2009-gaps.csv, the trending series with gaps that vdrop's
forecasting results use, from statsmodels' macrodata.csv (public domain; Debian's
python3-statsmodels installs it under /usr/lib/python3/dist-packages/statsmodels/datasets/macrodata/).

What changes, and nothing else:
- a first column `date`, the first day of each row's quarter (year, quarter 1..4 ->
  yyyy-01-01, -04-01, -07-01, -10-01), so the file can be read with --date-column date;
- GAPS values of the column `realgdp` emptied, at rows drawn with Python's random.Random(SEED)
  among the rows 1 .. n-2 (the first and last rows keep their values), without repetition.

    python3 samples/scripts/punch_gaps.py MACRODATA.csv OUT.csv

prints the emptied rows (data rows counted from 0, file lines from 1 with the header).
"""
import csv
import random
import sys

GAPS = 12
SEED = 21
COLUMN = "realgdp"


def main(source, target):
    with open(source, newline="") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    year, quarter, column = header.index("year"), header.index("quarter"), header.index(COLUMN)
    chosen = sorted(random.Random(SEED).sample(range(1, len(data) - 1), GAPS))
    with open(target, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["date"] + header)
        for i, row in enumerate(data):
            y, q = int(float(row[year])), int(float(row[quarter]))
            values = list(row)
            if i in chosen:
                values[column] = ""
            out.writerow([f"{y:04d}-{3 * q - 2:02d}-01"] + values)
    print(f"{len(data)} rows; emptied {COLUMN} at data rows {chosen} "
          f"(file lines {[i + 2 for i in chosen]})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
