package io.nettyvirtual.bench;

/** One numbered section of the suite: runs its benchmarks and writes its table into the report. */
interface Section {
    void run(ShortSuite suite) throws Exception;
}
