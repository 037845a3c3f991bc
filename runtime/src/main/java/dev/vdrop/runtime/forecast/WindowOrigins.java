package dev.vdrop.runtime.forecast;

import java.util.Arrays;
import java.util.Objects;

/**
 * The origins of the windows {@link LeadTimeWindows} keeps, in time order, and how many it dropped
 * for a missing value. A window's origin is the row of its last input value. Immutable.
 */
public final class WindowOrigins {
    private final int[] kept;
    private final int dropped;

    private WindowOrigins(int[] kept, int dropped) {
        this.kept = kept;
        this.dropped = dropped;
    }

    /**
     * Origins chosen by hand, e.g. the one window whose origin is the series' last row, to forecast
     * past it.
     *
     * @param kept the origins, rows of the series in increasing order
     * @param dropped how many windows were dropped, at least 0
     * @return the origins
     * @throws IllegalArgumentException when an origin is negative or the origins do not increase, or
     *     dropped is negative
     */
    public static WindowOrigins of(int[] kept, int dropped) {
        Objects.requireNonNull(kept, "kept");
        if (dropped < 0) {
            throw new IllegalArgumentException("the windows dropped are counted from 0, got " + dropped);
        }
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] < 0 || i > 0 && kept[i] <= kept[i - 1]) {
                throw new IllegalArgumentException("origins are rows of the series in increasing order, got "
                        + Arrays.toString(kept));
            }
        }
        return new WindowOrigins(kept.clone(), dropped);
    }

    /** As {@link #of}, for arrays this package made in order. */
    static WindowOrigins ofOrdered(int[] kept, int dropped) {
        return new WindowOrigins(kept, dropped);
    }

    /** {@return a copy of the origins of the windows kept, in time order} */
    public int[] kept() {
        return kept.clone();
    }

    /**
     * The origin of a kept window.
     *
     * @param i which window, from 0
     * @return its origin
     * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()}
     */
    public int get(int i) {
        return kept[i];
    }

    /** {@return how many windows touched a missing value and were dropped} */
    public int dropped() {
        return dropped;
    }

    /** {@return how many windows were kept} */
    public int size() {
        return kept.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowOrigins other && dropped == other.dropped && Arrays.equals(kept, other.kept);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(kept) + dropped;
    }

    @Override
    public String toString() {
        return "WindowOrigins[" + kept.length + " kept" + (kept.length == 0 ? "" : " (" + kept[0] + " to "
                + kept[kept.length - 1] + ")") + ", " + dropped + " dropped]";
    }
}
