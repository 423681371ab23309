package dev.kontract.core.rules.jsonata;

import java.util.ArrayList;
import java.util.Collection;

/**
 * An array built during evaluation. {@link #sequence} marks JSONata's result sequences, which
 * collapse to their only item (or to undefined when empty) when an expression's value is taken;
 * {@link #cons} marks an array constructor at the start or end of a path, which is never flattened;
 * {@link #keepSingleton} stops a one-item sequence from collapsing.
 */
final class Seq extends ArrayList<Object> {

    final boolean sequence;
    boolean cons;
    boolean keepSingleton;
    /** The top-level array input, wrapped so that it is taken as one item. */
    boolean outerWrapper;

    Seq(boolean sequence) {
        this.sequence = sequence;
    }

    Seq(boolean sequence, int capacity) {
        super(capacity);
        this.sequence = sequence;
    }

    Seq(boolean sequence, Collection<?> items) {
        super(items);
        this.sequence = sequence;
    }

    static Seq sequenceOf(Object item) {
        Seq seq = new Seq(true, 1);
        seq.add(item);
        return seq;
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
