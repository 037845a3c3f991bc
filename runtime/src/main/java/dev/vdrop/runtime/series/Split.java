package dev.vdrop.runtime.series;

/**
 * Training and test examples of one series, as made by {@link Windows#split(double[])}: the test span
 * is {@code [testStart(), rows())}; training targets all lie before it; test targets cover each
 * test-span value exactly once.
 */
public final class Split {
    private final Examples train;
    private final Examples test;
    private final int testStart;
    private final int rows;

    Split(Examples train, Examples test, int testStart, int rows) {
        this.train = train;
        this.test = test;
        this.testStart = testStart;
        this.rows = rows;
    }

    /** {@return every window whose targets end before the test span, one per start index (stride 1)} */
    public Examples train() {
        return train;
    }

    /** {@return consecutive target blocks from the start of the test span to the end of the series} */
    public Examples test() {
        return test;
    }

    /** {@return the first index of the test span, {@code ⌊0.8 · rows⌋}} */
    public int testStart() {
        return testStart;
    }

    /** {@return the length of the series} */
    public int rows() {
        return rows;
    }
}
