package dev.latchkey.query.projection;

/** The changes one projection collected during one unit of work, written together just before it commits. */
public interface ProjectionBatch {

    /** Writes everything collected, in the current transaction. */
    void flush();
}
